import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { execFileSync, spawnSync } from 'node:child_process'
import { afterAll, describe, expect, it } from 'vitest'
import { JournalStore } from '../services/journal/JournalStore'
import { jobsDir } from '../services/paths'
import { main } from './main'

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-cli-'))
afterAll(() => fs.rmSync(home, { recursive: true, force: true }))

async function run(...argv: string[]) {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { ESCAPE_HATCH_HOME: home } }, new AbortController().signal)
  return { code, stdout, stderr }
}

describe('escape-hatch CLI', () => {
  it('prints help listing the commands, and per-command help', async () => {
    const top = await run('--help')
    expect(top.code).toBe(0)
    expect(top.stdout).toContain('jobs list')
    const sub = await run('jobs', 'show', '--help')
    expect(sub.code).toBe(0)
    expect(sub.stdout).toContain('Usage: escape-hatch jobs show JOB_ID')
  })

  it('version --json is machine-readable, also with the flag first', async () => {
    for (const argv of [['version', '--json'], ['--json', 'version']]) {
      const r = await run(...argv)
      expect(r.code).toBe(0)
      expect(JSON.parse(r.stdout)).toMatchObject({ name: 'escape-hatch', node: process.versions.node })
    }
  })

  it('usage errors exit 2 with a pointer to help; unknown commands too', async () => {
    expect(await run('version', '--bogus')).toMatchObject({ code: 2 })
    const unknown = await run('frobnicate')
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toMatch(/unknown command "frobnicate".*--help/)
    expect((await run('jobs', 'show')).stderr).toMatch(/exactly one job id/)
    expect((await run('jobs')).code).toBe(2)
  })

  it('lists and shows jobs from the journal; a missing job is a one-line error with the next step and exit 1', async () => {
    const store = await JournalStore.open(jobsDir(home))
    const job = await store.createJob({ kind: 'arb-escape', title: 'Get 1 ETH out of Arbitrum', params: { amountWei: '1000000000000000000' } })
    await store.append(job.id, { type: 'step.started', step: 'sign-l2-tx' })
    store.close()

    const list = await run('jobs', 'list', '--json')
    expect(list.code).toBe(0)
    expect(JSON.parse(list.stdout).jobs[0]).toMatchObject({ id: job.id, currentStep: 'sign-l2-tx' })
    const show = await run('jobs', 'show', job.id)
    expect(show.stdout).toContain('started   sign-l2-tx')

    const missing = await run('jobs', 'show', 'no-such-job', '--json')
    expect(missing.code).toBe(1)
    expect(JSON.parse(missing.stdout).error).toMatchObject({ name: 'JournalError', kind: 'user-action' })
    expect(missing.stderr.trim().split('\n')).toHaveLength(1)
    expect(missing.stderr).toContain('Next: Run `escape-hatch jobs list`')
  })

  it('runs as a real process through the bin entry (npx escape-hatch)', () => {
    const bin = path.resolve(__dirname, '../../bin/escape-hatch.mjs')
    const out = execFileSync(process.execPath, [bin, 'version', '--json'], { env: { ...process.env, ESCAPE_HATCH_HOME: home }, encoding: 'utf8' })
    expect(JSON.parse(out).version).toMatch(/^\d+\.\d+\.\d+/)
    const bad = spawnSync(process.execPath, [bin, 'jobs', 'show', 'nope-nope'], { env: { ...process.env, ESCAPE_HATCH_HOME: home }, encoding: 'utf8' })
    expect(bad.status).toBe(1)
  })
})
