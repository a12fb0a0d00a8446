import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { JournalStore } from '../../services/journal/JournalStore'
import { jobsDir } from '../../services/paths'
import { main } from '../main'

const homes: string[] = []
afterEach(() => {
  for (const d of homes.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

async function run(home: string, ...argv: string[]) {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { ESCAPE_HATCH_HOME: home } }, new AbortController().signal)
  return { code, stdout, stderr }
}

async function pausedJob() {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-jobs-cli-'))
  homes.push(home)
  const store = await JournalStore.open(jobsDir(home))
  const job = await store.createJob({ kind: 'test-job', title: 'Get 1 ETH out', params: {} })
  await store.append(job.id, { type: 'step.started', step: 'wait-force-inclusion' })
  await store.append(job.id, { type: 'step.waiting', step: 'wait-force-inclusion', wait: 'deadline', reason: 'Waiting for the force-inclusion delay to pass on L1.', until: '2026-12-08T10:30:00.000Z' })
  store.close()
  return { home, jobId: job.id }
}

describe('escape-hatch jobs', () => {
  it('shows a job that waits on purpose as paused, with why and until when — never as in progress', async () => {
    const { home, jobId } = await pausedJob()
    const shown = await run(home, 'jobs', 'show', jobId)
    expect(shown.code, shown.stderr).toBe(0)
    expect(shown.stdout).toMatch(/paused {4}wait-force-inclusion — Waiting for the force-inclusion delay to pass on L1\., until about .*2026-12-08 10:30 UTC/)
    expect(shown.stdout).not.toMatch(/started\s+wait-force-inclusion/)
    const listed = await run(home, 'jobs', 'list')
    expect(listed.stdout).toMatch(new RegExp(`${jobId}\\s+paused\\s+.*until 2026-12-08 10:30 UTC`))
  })

  it('abandons a job only as the user decision, and says so', async () => {
    const { home, jobId } = await pausedJob()
    const done = await run(home, 'jobs', 'abandon', jobId, '--reason', 'moved the funds another way', '--json')
    expect(done.code, done.stderr).toBe(0)
    expect(JSON.parse(done.stdout)).toEqual({ id: jobId, status: 'abandoned' })
    const again = await run(home, 'jobs', 'abandon', jobId)
    expect(again.code).not.toBe(0)
    expect(again.stderr).toMatch(/already abandoned/)
  })
})
