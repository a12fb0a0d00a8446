// The OP Stack drill in the suite, both scenarios: the whole escape on the devnet OP L2 with the software Ledger, ending
// with the user's L1 ETH and WETH up by the amounts (minus L1 fees and bonds), the game's root claim equal to the
// devnet chain's own output root, and no proof signed before its game was checked.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { OP_ESCAPE_STEPS } from '../flows/op/opEscapeJob'
import { runOpDrill } from './runOpDrill'

const work = mkdtempSync(join(tmpdir(), 'eh-op-drill-'))
afterAll(() => rmSync(work, { recursive: true, force: true }))

const CHECKS = (censorship: string) => [
  ['the user is funded on L2 (ETH and the bridged WETH)', true],
  [censorship, true],
  ['user L1 ETH rose by the amount (minus the L1 fees and bonds paid)', true],
  ['user L1 WETH rose by the amount', true],
  ['no nonce signed twice', true],
  ['every proof was signed after its game’s root claim was checked', true],
  ['the game’s root claim equals the devnet chain’s own output root at its block', true],
]

describe('escape-hatch drill --stack op', () => {
  it('censored: the sequencer drops the user’s L2 txs; forced withdrawals, a proposer’s game checked through the untrusted L2 node, prove, finalize', async () => {
    const report = await runOpDrill({ workDir: work, scenario: 'censored' })
    expect(report.error).toBeUndefined()
    expect(report.checks.map((c) => [c.name, c.ok])).toEqual(CHECKS('the sequencer censors the user'))
    expect(report.setup.censorship).toMatch(/left it out|refused/)
    expect(report.ok).toBe(true)
    expect(report.result?.game.createdByUs).toBe(false)
    expect(report.result?.withdrawals.map((w) => w.finalizeTx !== undefined || w.alreadyFinalized)).toEqual([true, true])
    expect(report.steps.map((s) => s.name)).toEqual([...OP_ESCAPE_STEPS])
    expect(report.steps.every((s) => s.status === 'completed' && s.durationMs !== undefined)).toBe(true)
    expect(report.transactions.every((t) => t.status === 'mined')).toBe(true)
  }, 300_000)

  it('operator-gone: no sequencer, batcher, proposer or L2 RPC; rebuild from L1 alone, our own game, prove, finalize', async () => {
    const report = await runOpDrill({ workDir: work, scenario: 'operator-gone' })
    expect(report.error).toBeUndefined()
    expect(report.checks.map((c) => [c.name, c.ok])).toEqual(CHECKS('the operator is gone (no sequencer, batcher, proposer or L2 RPC)'))
    expect(report.setup.censorship).toMatch(/refuses connections/)
    expect(report.ok).toBe(true)
    expect(report.result?.game.createdByUs).toBe(true)
    expect(report.roots.source).toBeDefined()
    expect(report.steps.every((s) => s.status === 'completed')).toBe(true)
  }, 300_000)
})
