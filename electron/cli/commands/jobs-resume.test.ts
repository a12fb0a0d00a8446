// `jobs resume` on jobs it must not run, or need not: no network needed for any of these (the devnet runs are in
// arb-escape.test.ts). Each answer must say what is wrong and what to do, with the right exit code.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { JournalStore } from '../../services/journal/JournalStore'
import { jobsDir } from '../../services/paths'
import { main } from '../main'

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-jobs-resume-'))
afterAll(() => fs.rmSync(home, { recursive: true, force: true }))

async function run(...argv: string[]) {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { ESCAPE_HATCH_HOME: home } }, new AbortController().signal)
  return { code, stdout, stderr }
}

async function createJob(kind: string, finish?: 'succeeded' | 'failed') {
  const store = await JournalStore.open(jobsDir(home))
  try {
    const job = await store.createJob({ kind, title: `a ${kind} job`, params: {} })
    if (finish) await store.append(job.id, { type: 'job.finished', outcome: finish, summary: `it ${finish}` })
    return job.id
  } finally {
    store.close()
  }
}

describe('escape-hatch jobs resume', () => {
  it('an unknown job: exit 1, and how to list the jobs', async () => {
    const r = await run('jobs', 'resume', 'arb-escape-20990101-000000')
    expect(r.code).toBe(1)
    expect(r.stderr).toBe('escape-hatch: There is no job arb-escape-20990101-000000. Next: Run `escape-hatch jobs list` to see the jobs on this computer.\n')
  })

  it('a damaged journal is refused with the journal\'s own error, and nothing is appended to it', async () => {
    const id = await createJob('arb-escape')
    const file = path.join(jobsDir(home), `${id}.jsonl`)
    const first = fs.readFileSync(file, 'utf8')
    fs.writeFileSync(file, `${first}{"v":1,"seq":1,"broken\n${first}`)
    const before = fs.readFileSync(file, 'utf8')
    const r = await run('jobs', 'resume', id, '--l1-rpc', 'http://127.0.0.1:1', '--l2-rpc', 'http://127.0.0.1:1')
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^escape-hatch: This job's journal is damaged, so Escape Hatch will not act on it\. Next: Nothing has been deleted/)
    expect(fs.readFileSync(file, 'utf8')).toBe(before)
  })

  it('a finished job says so: exit 0 when it succeeded, 1 when it failed; nothing is run', async () => {
    const ok = await createJob('arb-escape', 'succeeded')
    const done = await run('jobs', 'resume', ok, '--json')
    expect(done.code).toBe(0)
    expect(JSON.parse(done.stdout)).toEqual({ jobId: ok, outcome: 'already-finished', status: 'succeeded', summary: 'it succeeded' })
    const failed = await createJob('arb-escape', 'failed')
    const r = await run('jobs', 'resume', failed)
    expect(r.code).toBe(1)
    expect(r.stdout).toBe(`Job ${failed} is already finished (failed): it failed. Nothing to do.\nSee it with: escape-hatch jobs show ${failed}\n`)
  })

  it('a kind this version cannot run is refused; so are contradictory options', async () => {
    const id = await createJob('op-withdrawal')
    const r = await run('jobs', 'resume', id)
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/is of kind "op-withdrawal", which this version of Escape Hatch cannot resume\. Next: Resumable kinds: arb-escape/)
    expect((await run('jobs', 'resume', id, '--signed', 'x.json', '--signer', 'ledger')).code).toBe(2)
    expect((await run('jobs', 'resume', id, '--signer', 'phone')).code).toBe(2)
    expect((await run('jobs', 'resume')).code).toBe(2)
    expect((await run('jobs', 'resume', id, '--poll-seconds', '0')).code).toBe(2)
  })
})
