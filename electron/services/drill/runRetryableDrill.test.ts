// `drill --scenario retryable` end to end on the devnet (issue 16 "Must show"): a ticket left without an auto-redeem
// is redeemed through the L1 delayed inbox while the sequencer censors the redeemer; the beneficiary's L2 balance
// rises by the ticket's call value. Fails on the code before the redeem job (no job kind, no devnet tickets).
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runRetryableDrill } from './runRetryableDrill'

const workDir = mkdtempSync(join(tmpdir(), 'eh-retryable-drill-'))
afterAll(() => rmSync(workDir, { recursive: true, force: true }))

describe('the Arbitrum retryable drill', () => {
  it('redeems a stuck ticket through the delayed inbox while censored, and the beneficiary is paid', async () => {
    const lines: string[] = []
    const report = await runRetryableDrill({ workDir, onProgress: (m) => lines.push(m) })
    if (!report.ok) console.error(JSON.stringify({ error: report.error, checks: report.checks, tail: lines.slice(-30) }, null, 2))
    expect(report.error).toBeUndefined()
    expect(report.checks.map((c) => [c.name, c.ok])).toEqual([
      ['the ticket exists on L2 with no successful auto-redeem', true],
      ['the redeem was forced in through the delayed inbox', true],
      ['the ticket is redeemed', true],
      ["the beneficiary's L2 balance rose by the call value", true],
    ])
    expect(report.steps.map((s) => s.name)).toEqual([
      'find-ticket', 'prepare', 'sign-l2-tx', 'send-l2-message', 'track-message', 'wait-force-inclusion', 'force-inclusion', 'detect-sequencing', 'confirm-redeem',
    ])
    expect(report.transactions.map((t) => t.step)).toEqual(['send-l2-message', 'force-inclusion'])
    // The expiry and the keep-alive option are shown before anything is signed.
    expect(lines.join('\n')).toMatch(/expires .* unless redeemed or kept alive[\s\S]*keepalive/)
  }, 240_000)
})
