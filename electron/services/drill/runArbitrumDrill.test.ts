// The Arbitrum drill in the suite: the whole escape on the devnet with the software Ledger, a lying L2 node caught
// before anything is signed, and a simulated crash after every single journal record, resumed from disk each time.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ArbSendRootMismatchError, ArbUntrustedDataError } from '../../../shared/rollups/arbitrum-nitro/errors'
import type { JournalEvent } from '../../../shared/journal/records'
import type { JournalStore } from '../journal/JournalStore'
import type { BroadcastJournal } from '../journal/journalPort'
import { runArbitrumDrill } from './runArbitrumDrill'

const work = mkdtempSync(join(tmpdir(), 'eh-arb-drill-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

class SimulatedCrash extends Error {
  override name = 'SimulatedCrash'
}

/**
 * A journal that "kills the process" right after appending a record it has not been killed after before: that record
 * is on disk, nothing after it is. Records that repeat on resume (a re-send journals tx.sent again) are keyed by type,
 * step and hash, so every distinct point of the job gets exactly one kill and the job still makes progress.
 */
function killAfterEachNewRecord(store: JournalStore, killedAt: Set<string>, seen: JournalEvent[]): BroadcastJournal {
  let dead = false
  return {
    load: (jobId) => store.load(jobId),
    async append(jobId, event) {
      if (dead) throw new SimulatedCrash('the process is dead')
      const record = await store.append(jobId, event)
      seen.push(event)
      const key = JSON.stringify([event.type, 'step' in event ? event.step : '', 'hash' in event ? event.hash : ''])
      if (!killedAt.has(key) && event.type !== 'job.finished') {
        killedAt.add(key)
        dead = true
        throw new SimulatedCrash(`killed after ${key}`)
      }
      return record
    },
  }
}

describe('escape-hatch drill --stack arbitrum', () => {
  it('gets the censored user’s ETH out: forced inclusion, confirmed root matched, withdrawal executed, replay rejected, L1 balance up', async () => {
    const report = await runArbitrumDrill({ workDir: work })
    expect(report.error).toBeUndefined()
    expect(report.checks.map((c) => [c.name, c.ok])).toEqual([
      ['sequencer censors the user', true],
      ['user L1 balance rose by the amount (minus the L1 fees paid)', true],
      ['one L1 transaction per step, no duplicate nonce', true],
      ['replay of the withdrawal is rejected', true],
      ['send root recomputed from the L2 send list equals the confirmed sendRoot on L1', true],
    ])
    expect(report.ok).toBe(true)
    expect(report.result?.forced).toBe(true)
    expect(report.steps.map((s) => s.status)).toEqual(Array(9).fill('completed'))
    expect(report.transactions.map((t) => [t.step, t.status])).toEqual([
      ['send-l2-message', 'mined'],
      ['force-inclusion', 'mined'],
      ['execute-withdrawal', 'mined'],
    ])
    // The proof came from the node's NodeInterface (checked against L1), not from a scan of everyone's withdrawals:
    // no eth_getLogs at all, one constructOutboxProof call per proof (wait-confirmation, then execute-withdrawal).
    expect(report.result?.proofMethod).toBe('node-interface')
    expect(report.l2Rpc?.getLogs).toEqual([])
    expect(report.l2Rpc?.byMethod.eth_getLogs).toBeUndefined()
    expect(report.l2Rpc?.byMethod.eth_call).toBe(2)
    expect(report.l2Rpc?.byMethod.eth_getBlockByHash).toBe(1)
  }, 180_000)

  it('a node without eth_call (no NodeInterface) falls back to the full send list, verified the same way', async () => {
    const report = await runArbitrumDrill({ workDir: work, beforeEscape: ({ l2 }) => l2.setLying(['no-eth-call']) })
    expect(report.error).toBeUndefined()
    expect(report.ok).toBe(true)
    expect(report.result?.proofMethod).toBe('send-list')
    expect(report.l2Rpc?.byMethod.eth_call).toBe(2) // asked, refused, then the list
    expect(report.l2Rpc?.getLogs.length).toBeGreaterThanOrEqual(2)
    expect(report.l2Rpc?.getLogs.every((f) => f.fromBlock === '0')).toBe(true)
  }, 180_000)

  it('an L2 node whose header for the confirmed block is altered is caught before signing; an honest node then finishes', async () => {
    let caught: unknown
    let executeSignedBeforeCatch: boolean | undefined
    let executeSigned = false
    const report = await runArbitrumDrill({
      workDir: work,
      beforeEscape: ({ l2 }) => l2.setLying(['headers']),
      shouldResume: async (error, attempt, { l2 }) => {
        if (attempt > 0) return false
        caught = error
        executeSignedBeforeCatch = executeSigned
        l2.setLying([])
        return true
      },
      wrapJournal: (store) => ({
        load: (id) => store.load(id),
        append: async (id, event) => {
          if (event.type === 'tx.signed' && event.step === 'execute-withdrawal') executeSigned = true
          return store.append(id, event)
        },
      }),
    })
    expect(caught).toBeInstanceOf(ArbUntrustedDataError)
    expect((caught as Error).message).toMatch(/carries another send root/)
    expect(executeSignedBeforeCatch).toBe(false)
    expect(report.ok).toBe(true)
    expect(report.result?.proofMethod).toBe('node-interface')
  }, 180_000)

  it('a node hiding the withdrawal from its receipt (to make it look dropped) is caught against its verified send list; the job is not ended', async () => {
    let caught: unknown
    const report = await runArbitrumDrill({
      workDir: work,
      beforeEscape: ({ l2 }) => l2.setLying(['receipts']),
      shouldResume: async (error, attempt, { l2 }) => {
        if (attempt > 0) return false
        caught = error
        l2.setLying([])
        return true
      },
    })
    expect(caught).toBeInstanceOf(ArbUntrustedDataError)
    expect((caught as Error).message).toMatch(/lists your withdrawal in its send list but not in your transaction's receipt/)
    expect(report.ok).toBe(true)
    expect(report.restarts).toBe(1)
    // Only this rare path reads the full list (to prove an absence, which one receipt cannot).
    expect(report.l2Rpc?.getLogs.length).toBeGreaterThan(0)
  }, 180_000)

  it('a lying L2 node (send list altered) is caught before the withdrawal is signed; an honest node then finishes the job', async () => {
    let caught: unknown
    let executeSigned = false
    let executeSignedBeforeCatch: boolean | undefined
    const report = await runArbitrumDrill({
      workDir: work,
      beforeEscape: ({ l2 }) => l2.setLying(['send-list']),
      shouldResume: async (error, attempt, { l2 }) => {
        if (attempt > 0) return false
        caught = error
        executeSignedBeforeCatch = executeSigned
        l2.setLying([])
        return true
      },
      wrapJournal: (store) => ({
        load: (id) => store.load(id),
        append: async (id, event) => {
          if (event.type === 'tx.signed' && event.step === 'execute-withdrawal') executeSigned = true
          return store.append(id, event)
        },
      }),
    })
    expect(caught).toBeInstanceOf(ArbSendRootMismatchError)
    // Its NodeInterface proof is a self-consistent lie (an altered send list's root): refused against L1's root.
    expect((caught as Error).message).toMatch(/The send root from .* does not match the send root confirmed on L1/)
    expect(executeSignedBeforeCatch).toBe(false)
    expect(executeSigned).toBe(true)
    expect(report.restarts).toBe(1)
    expect(report.ok).toBe(true)
    expect(report.steps.find((s) => s.name === 'wait-confirmation')?.attempts).toBe(2)
  }, 180_000)

  it('killed after every journal record and resumed from disk each time: same outcome, no duplicate transaction', async () => {
    const seen: JournalEvent[] = []
    const killedAt = new Set<string>()
    let crashes = 0
    const report = await runArbitrumDrill({
      workDir: work,
      wrapJournal: (store) => killAfterEachNewRecord(store, killedAt, seen),
      shouldResume: (error) => {
        const text = `${String(error)} ${String((error as Error)?.cause ?? '')}`
        if (!/killed after|the process is dead/.test(text)) return false
        crashes++
        return true
      },
    })
    expect(report.error).toBeUndefined()
    expect(report.ok).toBe(true)
    expect(crashes).toBeGreaterThanOrEqual(25)
    expect(report.restarts).toBe(crashes)
    // Every L1 transaction was signed once, sent, and mined once.
    expect(seen.filter((e) => e.type === 'tx.signed').map((e) => (e as { step: string }).step)).toEqual(['send-l2-message', 'force-inclusion', 'execute-withdrawal'])
    expect(report.transactions.map((t) => t.status)).toEqual(['mined', 'mined', 'mined'])
  }, 300_000)
})
