import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { z } from 'zod'
import { HttpRequestError, RpcRequestError } from 'viem'
import { EscapeError } from '../../../shared/errors/EscapeError'
import { decodeJournal } from '../../../shared/journal/lineCodec'
import { summarize } from '../../../shared/journal/reduce'
import { JobPausedError } from '../journal/JobPausedError'
import { JournalStore } from '../journal/JournalStore'
import { decimalBigint, defineStep, hash32 } from './defineStep'
import { runJob } from './runJob'
import { JournaledResultError } from './readStepResult'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

async function openJob() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-jobs-'))
  dirs.push(dir)
  const store = await JournalStore.open(dir)
  const job = await store.createJob({ kind: 'test-job', title: 'engine test', params: {} })
  return { store, jobId: job.id, dir }
}

const countStep = defineStep({ name: 'count', result: z.object({ block: decimalBigint, hash: hash32 }) })
const useStep = defineStep({ name: 'use', result: z.object({ next: decimalBigint }) })
const HASH = `0x${'ab'.repeat(32)}` as const

function twoSteps(store: JournalStore, jobId: string, work: { count: () => Promise<{ block: bigint; hash: `0x${string}` }>; use: (b: bigint) => Promise<{ next: bigint }> }) {
  return runJob<{ next: bigint }>({
    store,
    jobId,
    failureMessage: 'test job stopped',
    summarize: (r) => `next ${r.next}`,
    body: async (run) => {
      const counted = await run.step(countStep, work.count)
      return run.step(useStep, () => work.use(counted.block))
    },
  })
}

describe('runJob', () => {
  it('journals typed results as JSON (bigints as decimal strings) and never re-runs a completed step', async () => {
    const { store, jobId } = await openJob()
    let counts = 0
    await expect(
      twoSteps(store, jobId, {
        count: async () => (counts++, { block: 2n ** 70n, hash: HASH }),
        use: async () => {
          throw new RpcRequestError({ body: {}, url: 'http://127.0.0.1:1', error: { code: -32000, message: 'header not found' } })
        },
      }),
    ).rejects.toMatchObject({ kind: 'temporary' })
    const failed = (await store.load(jobId)).state
    expect(failed.status).toBe('active')
    expect(failed.steps.find((s) => s.name === 'count')?.result).toEqual({ block: (2n ** 70n).toString(), hash: HASH })
    expect(failed.steps.find((s) => s.name === 'use')?.status).toBe('failed')

    const result = await twoSteps(store, jobId, { count: async () => (counts++, { block: 0n, hash: HASH }), use: async (b) => ({ next: b + 1n }) })
    expect(result.next).toBe(2n ** 70n + 1n)
    expect(counts).toBe(1)
    expect((await store.load(jobId)).state.status).toBe('succeeded')
    store.close()
  })

  it('a node that is down or a bug leaves the job resumable; a classified critical error ends it', async () => {
    for (const [thrown, ends] of [
      [new HttpRequestError({ url: 'http://127.0.0.1:1', details: 'fetch failed' }), false],
      [new TypeError('x is undefined'), false],
      [new EscapeError('The RPC did not answer.', { cause: new HttpRequestError({ url: 'http://127.0.0.1:1' }) }), false],
      [new EscapeError('Already spent.', { kind: 'critical' }), true],
    ] as const) {
      const { store, jobId } = await openJob()
      await expect(twoSteps(store, jobId, { count: async () => Promise.reject(thrown), use: async () => ({ next: 0n }) })).rejects.toBeInstanceOf(EscapeError)
      expect((await store.load(jobId)).state.status).toBe(ends ? 'failed' : 'active')
      store.close()
    }
  })

  it('a planned pause is journaled as waiting, with its reason and date (record version 2); resuming clears it', async () => {
    const { store, jobId, dir } = await openJob()
    const until = new Date('2026-12-24T10:00:00.000Z')
    await expect(
      twoSteps(store, jobId, {
        count: async () => {
          throw new JobPausedError('Waiting for the force-inclusion deadline: L1 block 900.', { reason: 'deadline', until: { l1Block: 900n, estimatedAt: until } })
        },
        use: async () => ({ next: 0n }),
      }),
    ).rejects.toBeInstanceOf(JobPausedError)
    const paused = (await store.load(jobId)).state
    expect(paused.status).toBe('active')
    expect(summarize(paused).paused).toMatchObject({ step: 'count', wait: 'deadline', until: until.toISOString(), l1Block: '900', reason: expect.stringMatching(/deadline/) })
    expect(paused.steps.some((s) => s.status === 'failed')).toBe(false)
    const records = decodeJournal(fs.readFileSync(path.join(dir, `${jobId}.jsonl`), 'utf8')).records
    // Every record is version 3 since the hash chain (issue 14); step.waiting itself came with version 2.
    expect(records.map((r) => [r.type, r.v])).toEqual([['job.created', 3], ['step.started', 3], ['step.waiting', 3]])

    await twoSteps(store, jobId, { count: async () => ({ block: 1n, hash: HASH }), use: async (b) => ({ next: b }) })
    const done = (await store.load(jobId)).state
    expect(summarize(done).paused).toBeUndefined()
    expect(done.steps.find((s) => s.name === 'count')).toMatchObject({ status: 'completed', attempts: 2 })
    store.close()
  })

  it('a journaled result the step cannot read is a clear error that changes nothing', async () => {
    const { store, jobId } = await openJob()
    await store.append(jobId, { type: 'step.completed', step: 'count', result: { block: 'twelve', hash: HASH } })
    const before = (await store.load(jobId)).records.length
    const error = await twoSteps(store, jobId, { count: async () => ({ block: 1n, hash: HASH }), use: async () => ({ next: 0n }) }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(JournaledResultError)
    expect((error as JournaledResultError).shortMessage).toMatch(/result for step "count" that this version of Escape Hatch cannot read/)
    const after = await store.load(jobId)
    expect(after.records.length).toBe(before)
    expect(after.state.status).toBe('active')
    store.close()
  })
})
