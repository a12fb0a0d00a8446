// The Arbitrum drill with tokens (issue 16): a token deposited to L2 through the real token gateways is taken out
// through them while the sequencer censors the user — alone, and together with ETH in one job.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { JournalStore } from '../journal/JournalStore'
import type { BroadcastJournal } from '../journal/journalPort'
import { runArbitrumDrill } from './runArbitrumDrill'

class SimulatedCrash extends Error {
  override name = 'SimulatedCrash'
}

/** "Kills the process" right after each new record of the second asset's steps (every distinct point once). */
function killAfterSecondAssetRecords(store: JournalStore, killedAt: Set<string>): BroadcastJournal {
  let dead = false
  return {
    load: (jobId) => store.load(jobId),
    async append(jobId, event) {
      if (dead) throw new SimulatedCrash('the process is dead')
      const record = await store.append(jobId, event)
      const step = 'step' in event ? String(event.step) : ''
      const key = JSON.stringify([event.type, step, 'hash' in event ? event.hash : ''])
      if (step.endsWith('#1') && !killedAt.has(key)) {
        killedAt.add(key)
        dead = true
        throw new SimulatedCrash(`killed after ${key}`)
      }
      return record
    },
  }
}

const work = mkdtempSync(join(tmpdir(), 'eh-arb-token-drill-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

describe('escape-hatch drill --stack arbitrum --asset erc20', () => {
  it('takes the censored user’s token out through the gateways: the L1 token balance rises by exactly the amount', async () => {
    const report = await runArbitrumDrill({ workDir: work, assets: ['erc20'] })
    expect(report.error).toBeUndefined()
    expect(report.checks.map((c) => [c.name, c.ok])).toEqual([
      ['sequencer censors the user', true],
      ['user L1 ETH balance fell by exactly the L1 fees paid', true],
      ['user L1 token balance rose by exactly the amount', true],
      ['one L1 transaction per step, no duplicate nonce', true],
      ['replay of the withdrawal is rejected', true],
      ['send root recomputed from the L2 send list equals the confirmed sendRoot on L1', true],
    ])
    expect(report.ok).toBe(true)
    expect(report.result?.assets?.map((a) => a.kind)).toEqual(['erc20'])
    expect(report.transactions.map((t) => [t.step, t.status])).toEqual([
      ['send-l2-message', 'mined'],
      ['force-inclusion', 'mined'],
      ['execute-withdrawal', 'mined'],
    ])
  }, 180_000)

  it('ETH and a token in one job: each its own L2 withdrawal, delayed message, proof and execution; one forceInclusion covers both', async () => {
    const report = await runArbitrumDrill({ workDir: work, assets: ['eth', 'erc20'] })
    expect(report.error).toBeUndefined()
    expect(report.checks.filter((c) => !c.ok)).toEqual([])
    expect(report.checks.map((c) => c.name)).toContain('user L1 token balance rose by exactly the amount')
    expect(report.checks.map((c) => c.name)).toContain('user L1 balance rose by the amount (minus the L1 fees paid)')
    const assets = report.result?.assets ?? []
    expect(assets.map((a) => a.kind)).toEqual(['eth', 'erc20'])
    expect(new Set(assets.map((a) => a.sendPosition)).size).toBe(2)
    expect(assets.every((a) => a.executeTx !== undefined && !a.alreadySpent)).toBe(true)
    expect(report.transactions.map((t) => [t.step, t.status])).toEqual([
      ['send-l2-message', 'mined'],
      ['send-l2-message#1', 'mined'],
      ['force-inclusion#1', 'mined'],
      ['execute-withdrawal', 'mined'],
      ['execute-withdrawal#1', 'mined'],
    ])
  }, 180_000)

  it('ETH and a token, killed after every record of the token leg and resumed from disk each time: nothing signed or sent twice', async () => {
    const killedAt = new Set<string>()
    const report = await runArbitrumDrill({
      workDir: work,
      assets: ['eth', 'erc20'],
      wrapJournal: (store) => killAfterSecondAssetRecords(store, killedAt),
      shouldResume: (error) => /killed after|the process is dead/.test(`${String(error)} ${String((error as Error)?.cause ?? '')}`),
    })
    expect(report.error).toBeUndefined()
    expect(report.restarts).toBe(killedAt.size)
    expect(report.restarts).toBeGreaterThanOrEqual(10)
    expect(report.checks.filter((c) => !c.ok)).toEqual([])
    expect(report.transactions.map((t) => t.step)).toEqual(['send-l2-message', 'send-l2-message#1', 'force-inclusion#1', 'execute-withdrawal', 'execute-withdrawal#1'])
  }, 180_000)
})
