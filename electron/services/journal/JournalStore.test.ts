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

  it('property: a cut inside what was acknowledged is damage (read-only, nothing appended); a cut in the unacknowledged last append is a torn tail', async () => {
    await fc.assert(
      fc.asyncProperty(eventSequence, fc.double({ min: 0, max: 1, noNaN: true }), async (events, cutFraction) => {
        const dir = tempDir()
        const { file, records } = await writeJob(dir, events)
        const committed = records.length
        // The crash window of an append: its line is on disk (fsynced), its commit not yet — never acknowledged.
        const commitFile = path.join(dir, 'test-job-1.commit')
        const commitBefore = fs.readFileSync(commitFile)
        const extra = await JournalStore.open(dir)
        const unacknowledged = await extra.append('test-job-1', { type: 'note', text: 'appended, never acknowledged' })
        extra.close()
        fs.writeFileSync(commitFile, commitBefore)
        const all = [...records, unacknowledged]

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
        expect(loaded.records).toEqual(all.slice(0, intact))
        expect(loaded.state).toEqual(reduce(all.slice(0, intact)))
        if (intact < committed) {
          // Records that were acted on are gone: never a torn tail, never appended to.
          expect(loaded.damaged).toBe(true)
          expect(loaded.problems).toEqual([expect.objectContaining({ kind: 'lost', present: intact, committed })])
          const before = fs.readFileSync(file)
          await expect(store.append('test-job-1', { type: 'note', text: 'after damage' })).rejects.toThrow(/damaged/)
          expect(fs.readFileSync(file)).toEqual(before)
          store.close()
          fs.rmSync(dir, { recursive: true, force: true })
          return
        }
        expect(loaded.damaged).toBe(false)
        // A torn tail is set aside and the journal keeps going from the intact prefix.
        const rec = await store.append('test-job-1', { type: 'note', text: 'after crash' })
        expect(rec.seq).toBe(intact)
        store.close()
        const again = await (await JournalStore.open(dir)).load('test-job-1')
        expect(again.records).toHaveLength(intact + 1)
        expect(again.problems).toEqual([])
        expect(again.damaged).toBe(false)
        fs.rmSync(dir, { recursive: true, force: true })
      }),
      { numRuns: 120, seed: 20261121 },
    )
  })

  it('the issue 14 cut: a journal cut inside its tx.signed line, with the records after it lost, is damage, not a torn tail', async () => {
    const dir = tempDir()
    const { file } = await writeJob(dir, [
      { type: 'step.started', step: 'send-l2-message' },
      { type: 'tx.signed', step: 'send-l2-message', chainId: 1, from: FROM, nonce: 3, hash: hash(1), raw: '0x02aa' },
      { type: 'tx.sent', hash: hash(1), endpoints: ['a'] },
      { type: 'tx.mined', hash: hash(1), blockNumber: '100', status: 'success' },
      { type: 'step.completed', step: 'send-l2-message', result: { l1TxHash: hash(1) } },
    ])
    const text = fs.readFileSync(file, 'utf8')
    fs.writeFileSync(file, text.slice(0, text.indexOf('"tx.signed"') + 5))
    const store = await JournalStore.open(dir)
    const loaded = await store.load('test-job-1')
    expect(loaded.damaged).toBe(true)
    expect(loaded.state.txs).toEqual([])
    const error = await store.append('test-job-1', { type: 'note', text: 'x' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(JournalError)
    expect((error as JournalError).shortMessage).toBe('This job\'s journal is damaged, so Escape Hatch will not act on it.')
    expect((error as JournalError).steps.join('\n')).toMatch(/a transaction it signed may already be on L1: nothing will be signed for this job/)
    expect((error as JournalError).details).toMatch(/6 records were written and acknowledged, but only 2 are intact/)
    store.close()
  })

  it('a line replaced in the middle by another valid one breaks the hash chain', async () => {
    const dir = tempDir()
    const { file } = await writeJob(dir, [{ type: 'note', text: 'one' }, { type: 'note', text: 'two' }, { type: 'note', text: 'three' }])
    const lines = fs.readFileSync(file, 'utf8').split('\n')
    // Line 3 rewritten with a correct checksum and sequence number, as a careful hand edit (or another copy) would be.
    const record = JSON.parse(lines[2]!.slice(17)) as Record<string, unknown>
    const json = JSON.stringify({ ...record, text: 'tw0' })
    const { createHash } = await import('node:crypto')
    lines[2] = `${createHash('sha256').update(json).digest('hex').slice(0, 16)} ${json}`
    fs.writeFileSync(file, lines.join('\n'))
    const loaded = await (await JournalStore.open(dir)).load('test-job-1')
    expect(loaded.damaged).toBe(true)
    expect(loaded.problems[0]).toMatchObject({ kind: 'corrupt', line: 4, reason: expect.stringMatching(/does not follow the line before it/) })
  })

  it('a chained journal whose .commit file is missing or unreadable is damage', async () => {
    const dir = tempDir()
    await writeJob(dir, [{ type: 'note', text: 'one' }])
    const commitFile = path.join(dir, 'test-job-1.commit')
    fs.writeFileSync(commitFile, 'x'.repeat(384))
    expect((await (await JournalStore.open(dir)).load('test-job-1')).problems).toEqual([expect.objectContaining({ kind: 'lost', reason: expect.stringMatching(/cannot be read/) })])
    fs.rmSync(commitFile)
    expect((await (await JournalStore.open(dir)).load('test-job-1')).problems).toEqual([expect.objectContaining({ kind: 'lost', reason: expect.stringMatching(/is missing/) })])
  })

  it('a commit torn by a crash (one slot spoiled) still holds the previous length: the journal replays', async () => {
    const dir = tempDir()
    const { records } = await writeJob(dir, [{ type: 'note', text: 'one' }, { type: 'note', text: 'two' }])
    const commitFile = path.join(dir, 'test-job-1.commit')
    const bytes = fs.readFileSync(commitFile)
    bytes.fill(0x20, (records.length % 2) * 192 + 40, (records.length % 2) * 192 + 60) // the newest slot, half overwritten
    fs.writeFileSync(commitFile, bytes)
    const store = await JournalStore.open(dir)
    const loaded = await store.load('test-job-1')
    expect(loaded.problems).toEqual([])
    expect(loaded.records).toHaveLength(records.length)
    await store.append('test-job-1', { type: 'note', text: 'three' })
    store.close()
    expect((await (await JournalStore.open(dir)).load('test-job-1')).records).toHaveLength(records.length + 1)
  })

  it('old journals (record versions 1 and 2, no chain, no .commit) replay, keep the torn-tail rule, and continue chained', async () => {
    const dir = tempDir()
    const { createHash } = await import('node:crypto')
    const line = (r: Record<string, unknown>) => {
      const json = JSON.stringify(r)
      return `${createHash('sha256').update(json).digest('hex').slice(0, 16)} ${json}\n`
    }
    const at = '2026-11-01T10:00:00.000Z'
    const old = [
      line({ v: 1, seq: 0, at, jobId: 'old-job-1', type: 'job.created', kind: 'test', title: 'old', params: null }),
      line({ v: 1, seq: 1, at, jobId: 'old-job-1', type: 'step.started', step: 'wait' }),
      line({ v: 2, seq: 2, at, jobId: 'old-job-1', type: 'step.waiting', step: 'wait', wait: 'deadline', reason: 'Waiting.' }),
    ].join('')
    const file = path.join(dir, 'old-job-1.jsonl')
    fs.writeFileSync(file, `${old}{"v":1,"seq":3,"at`)
    const store = await JournalStore.open(dir)
    const loaded = await store.load('old-job-1')
    expect(loaded.damaged).toBe(false)
    expect(loaded.records.map((r) => r.v)).toEqual([1, 1, 2])
    expect(loaded.problems.map((p) => p.kind)).toEqual(['torn-tail'])
    const next = await store.append('old-job-1', { type: 'note', text: 'continued by version 3' })
    expect(next).toMatchObject({ v: 3, seq: 3, prev: createHash('sha256').update(old.split('\n')[2]!).digest('hex') })
    store.close()
    expect(fs.existsSync(path.join(dir, 'old-job-1.commit'))).toBe(true)
    const again = await (await JournalStore.open(dir)).load('old-job-1')
    expect(again.problems).toEqual([])
    expect(again.records).toHaveLength(4)
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
    // Version 3 (hash chain, tx.found) is read since issue 14; the next one is not.
    const json = JSON.stringify({ v: 4, seq: 2, at: '2026-11-21T10:00:00.000Z', jobId: 'test-job-1', type: 'future.thing' })
    fs.appendFileSync(file, `${createHash('sha256').update(json).digest('hex').slice(0, 16)} ${json}\n`)
    const store = await JournalStore.open(dir)
    const loaded = await store.load('test-job-1')
    expect(loaded.problems[0]).toMatchObject({ kind: 'newer-version', version: 4 })
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
