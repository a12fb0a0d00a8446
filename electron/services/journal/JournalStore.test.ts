import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { spawn } from 'node:child_process'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import type { JournalEvent } from '../../../shared/journal/records'
import { reduce } from '../../../shared/journal/reduce'
import { JournalError, JournalStore } from './JournalStore'

const dirs: string[] = []
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-journal-'))
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}` as const
const FROM = '0x00000000000000000000000000000000000000aa'

/** Random event sequences that obey the append rules (tx outcomes only for signed txs, unique nonces, …). */
const eventSequence = fc
  .array(
    fc.oneof(
      fc.record({ kind: fc.constant('step' as const), step: fc.constantFrom('sign', 'send-l1', 'wait-delay', 'force', 'prove'), outcome: fc.constantFrom('started', 'completed', 'failed') }),
      fc.record({ kind: fc.constant('note' as const), text: fc.string({ maxLength: 40 }) }),
      fc.record({ kind: fc.constant('tx' as const), advance: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ kind: fc.constant('prompt' as const), answer: fc.oneof(fc.boolean(), fc.string({ maxLength: 10 })) }),
    ),
    { maxLength: 40 },
  )
  .map((ops) => {
    const events: JournalEvent[] = []
    let nonce = 0
    for (const op of ops) {
      if (op.kind === 'step') {
        if (op.outcome === 'started') events.push({ type: 'step.started', step: op.step })
        else if (op.outcome === 'completed') events.push({ type: 'step.completed', step: op.step, result: { ok: true, at: nonce } })
        else events.push({ type: 'step.failed', step: op.step, error: { name: 'EscapeError', shortMessage: 'RPC timed out', steps: ['Retry.'], kind: 'temporary' } })
      } else if (op.kind === 'note') events.push({ type: 'note', text: op.text })
      else if (op.kind === 'prompt') events.push({ type: 'prompt.answered', prompt: `p${events.length}`, answer: op.answer })
      else {
        const h = hash(1000 + nonce)
        events.push({ type: 'tx.signed', step: 'send-l1', chainId: 31337, from: FROM, nonce, hash: h, raw: `0x02${'ab'.repeat(nonce % 7)}` })
        if (op.advance >= 1) events.push({ type: 'tx.sent', hash: h, endpoints: ['http://127.0.0.1:8545'] })
        if (op.advance >= 2) events.push({ type: 'tx.mined', hash: h, blockNumber: String(100 + nonce), status: op.advance === 2 ? 'success' : 'reverted' })
        nonce++
      }
    }
    return events
  })

async function writeJob(dir: string, events: JournalEvent[]) {
  const store = await JournalStore.open(dir, { now: () => new Date('2026-11-21T10:00:00.000Z') })
  const job = await store.createJob({ kind: 'test', title: 'property test job', params: { amount: '1000000000000000000' }, jobId: 'test-job-1' })
  for (const e of events) await store.append(job.id, e)
  const loaded = await store.load(job.id)
  store.close()
  return { file: path.join(dir, 'test-job-1.jsonl'), records: loaded.records }
}

describe('JournalStore', () => {
  it('replays what was appended, across a reopen', async () => {
    const dir = tempDir()
    const { records } = await writeJob(dir, [
      { type: 'step.started', step: 'sign' },
      { type: 'tx.signed', step: 'sign', chainId: 1, from: FROM, nonce: 3, hash: hash(1), raw: '0x02aa' },
      { type: 'tx.sent', hash: hash(1), endpoints: ['a'] },
      { type: 'step.completed', step: 'sign', result: { txHash: hash(1) } },
    ])
    const store = await JournalStore.open(dir)
    const loaded = await store.load('test-job-1')
    expect(loaded.problems).toEqual([])
    expect(loaded.state).toEqual(reduce(records))
    expect(loaded.state.txs[0]?.status).toBe('sent')
    expect(loaded.state.steps[0]).toMatchObject({ name: 'sign', status: 'completed' })
    const { jobs } = await store.list()
    expect(jobs).toHaveLength(1)
    expect(jobs[0]).toMatchObject({ id: 'test-job-1', pendingTxs: 1, status: 'active' })
    store.close()
  })

  it('property: any truncation replays to the longest intact prefix, and appending continues after it', async () => {
    await fc.assert(
      fc.asyncProperty(eventSequence, fc.double({ min: 0, max: 1, noNaN: true }), async (events, cutFraction) => {
        const dir = tempDir()
        const { file, records } = await writeJob(dir, events)
        const bytes = fs.readFileSync(file)
        const cut = Math.floor(cutFraction * bytes.length)
        fs.writeFileSync(file, bytes.subarray(0, cut))
        // Records whose whole line (with its newline) survived the cut.
        const intact = countCompleteLines(bytes.subarray(0, cut))
        const store = await JournalStore.open(dir)
        if (intact === 0) {
          await expect(store.load('test-job-1')).rejects.toBeInstanceOf(JournalError)
          store.close()
          return
        }
        const loaded = await store.load('test-job-1')
        expect(loaded.damaged).toBe(false)
        expect(loaded.records).toEqual(records.slice(0, intact))
        expect(loaded.state).toEqual(reduce(records.slice(0, intact)))
        // A torn tail is set aside and the journal keeps going from the intact prefix.
        const rec = await store.append('test-job-1', { type: 'note', text: 'after crash' })
        expect(rec.seq).toBe(intact)
        store.close()
        const again = await (await JournalStore.open(dir)).load('test-job-1')
        expect(again.records).toHaveLength(intact + 1)
        expect(again.problems.filter((p) => p.kind !== 'torn-tail')).toEqual([])
        fs.rmSync(dir, { recursive: true, force: true })
      }),
      { numRuns: 120, seed: 20261121 },
    )
  })

  it('a damaged middle line is reported, kept aside, never dropped, and blocks further appends', async () => {
    const dir = tempDir()
    await writeJob(dir, [{ type: 'note', text: 'one' }, { type: 'note', text: 'two' }, { type: 'note', text: 'three' }])
    const file = path.join(dir, 'test-job-1.jsonl')
    const original = fs.readFileSync(file, 'utf8')
    const damaged = original.replace('"two"', '"tw0"')
    fs.writeFileSync(file, damaged)
    const store = await JournalStore.open(dir)
    const loaded = await store.load('test-job-1')
    expect(loaded.damaged).toBe(true)
    expect(loaded.records.map((r) => r.type)).toEqual(['job.created', 'note'])
    expect(loaded.problems[0]).toMatchObject({ kind: 'corrupt', line: 3, linesAfter: 1 })
    expect(fs.readFileSync(file, 'utf8')).toBe(damaged) // untouched
    expect(fs.readdirSync(dir).some((f) => f.startsWith('test-job-1.corrupt-'))).toBe(true)
    await expect(store.append('test-job-1', { type: 'note', text: 'x' })).rejects.toThrow(/damaged/)
    store.close()
  })

  it('loading a damaged job again and again sets its damage aside once, not once per load', async () => {
    const dir = tempDir()
    await writeJob(dir, [{ type: 'note', text: 'one' }, { type: 'note', text: 'two' }, { type: 'note', text: 'three' }])
    const file = path.join(dir, 'test-job-1.jsonl')
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"two"', '"tw0"'))
    let ms = Date.parse('2026-11-21T00:00:00Z')
    for (let i = 0; i < 100; i++) {
      // A fresh store each time, as each `jobs list` / jobs:list does, with the clock moving on.
      const store = await JournalStore.open(dir, { now: () => new Date((ms += 7)) })
      const loaded = await store.load('test-job-1')
      expect(loaded.damaged).toBe(true)
      await store.list()
      store.close()
    }
    const copies = fs.readdirSync(dir).filter((f) => f.startsWith('test-job-1.corrupt-'))
    expect(copies).toHaveLength(1)
    expect(fs.readFileSync(path.join(dir, copies[0]!), 'utf8')).toContain('"tw0"')
    // A different damage is a different copy.
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('"three"', '"thr33"'))
    await (await JournalStore.open(dir)).load('test-job-1')
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('test-job-1.corrupt-'))).toHaveLength(2)
  })

  it('refuses a record from a newer app version instead of guessing', async () => {
    const dir = tempDir()
    await writeJob(dir, [{ type: 'note', text: 'one' }])
    const file = path.join(dir, 'test-job-1.jsonl')
    const { createHash } = await import('node:crypto')
    // Version 2 (step.waiting) is read since the job engine; the next one is not.
    const json = JSON.stringify({ v: 3, seq: 2, at: '2026-11-21T10:00:00.000Z', jobId: 'test-job-1', type: 'future.thing' })
    fs.appendFileSync(file, `${createHash('sha256').update(json).digest('hex').slice(0, 16)} ${json}\n`)
    const store = await JournalStore.open(dir)
    const loaded = await store.load('test-job-1')
    expect(loaded.problems[0]).toMatchObject({ kind: 'newer-version', version: 3 })
    expect(loaded.records).toHaveLength(2)
    store.close()
  })

  it('enforces the append rules: no outcome for an unknown tx, no second tx on a nonce, fee bump only with consent', async () => {
    const dir = tempDir()
    const store = await JournalStore.open(dir)
    const job = await store.createJob({ kind: 'test', title: 't', params: null })
    await expect(store.append(job.id, { type: 'tx.sent', hash: hash(9), endpoints: [] })).rejects.toThrow(/no signed transaction/)
    await store.append(job.id, { type: 'tx.signed', step: 's', chainId: 1, from: FROM, nonce: 0, hash: hash(1), raw: '0x01' })
    await expect(store.append(job.id, { type: 'tx.signed', step: 's', chainId: 1, from: FROM, nonce: 0, hash: hash(2), raw: '0x02' })).rejects.toThrow(/already used/)
    await expect(store.append(job.id, { type: 'tx.signed', step: 's', chainId: 1, from: FROM, nonce: 0, hash: hash(2), raw: '0x02', replaces: hash(1) })).rejects.toThrow(/consent/)
    await store.append(job.id, { type: 'prompt.answered', prompt: `replace:${hash(1)}`, answer: { maxFeePerGas: '30000000000' } })
    await store.append(job.id, { type: 'tx.signed', step: 's', chainId: 1, from: FROM, nonce: 0, hash: hash(2), raw: '0x02', replaces: hash(1) })
    const { state } = await store.load(job.id)
    expect(state.txs.map((t) => [t.hash, t.status])).toEqual([
      [hash(1), 'replaced'],
      [hash(2), 'signed'],
    ])
    await store.append(job.id, { type: 'job.finished', outcome: 'succeeded' })
    await expect(store.append(job.id, { type: 'step.started', step: 'x' })).rejects.toThrow(/succeeded/)
    await store.append(job.id, { type: 'note', text: 'notes are still allowed' })
    // Invalid payloads never reach the disk.
    await expect(store.append(job.id, { type: 'note', text: 5 } as unknown as JournalEvent)).rejects.toThrow(/not valid/)
    store.close()
  })

  it('one writer per job: a live process holding the lock keeps others out; a dead one does not', async () => {
    const dir = tempDir()
    const store = await JournalStore.open(dir)
    const job = await store.createJob({ kind: 'test', title: 't', params: null })
    store.close()
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' })
    try {
      fs.writeFileSync(path.join(dir, `${job.id}.lock`), String(sleeper.pid))
      const other = await JournalStore.open(dir)
      await expect(other.append(job.id, { type: 'note', text: 'x' })).rejects.toThrow(/open in another/)
      other.close()
    } finally {
      sleeper.kill('SIGKILL')
      await new Promise((r) => sleeper.once('exit', r))
    }
    const after = await JournalStore.open(dir)
    await after.append(job.id, { type: 'note', text: 'stale lock taken over' })
    after.close()
  })
})

function countCompleteLines(buf: Buffer): number {
  let n = 0
  for (const b of buf) if (b === 0x0a) n++
  return n
}
