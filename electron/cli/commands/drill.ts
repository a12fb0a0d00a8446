/**
 * `escape-hatch drill`: rehearse an escape end to end on the embedded devnet — the sequencer censors you, and you get
 * your ETH out anyway. Nothing leaves this machine (loopback only); the signer is a software Ledger.
 */
import { writeFile } from 'node:fs/promises'
import { toDrillReportView } from '../../services/drill/drillReportView'
import { writeDrillReportFile } from '../../services/drill/writeDrillReportFile'
import { renderDrillReportHtml } from '../../services/drill/renderDrillReport'
import { drillsDir } from '../../services/paths'
import { runArbitrumDrill, type ArbitrumDrillReport } from '../../services/drill/runArbitrumDrill'
import { runRetryableDrill, type RetryableDrillReport } from '../../services/drill/runRetryableDrill'
import { usageError, type Command } from '../command'

const STACKS = ['arbitrum'] as const

export const drillCommand: Command = {
  path: ['drill'],
  summary: 'Rehearse an escape on the embedded devnet: censored by the sequencer, get your ETH out from L1 alone.',
  description: [
    'Starts a local devnet (anvil L1 with the real rollup contracts, and a devnet L2 that is a simulation, not ArbOS),',
    'funds a user on L2, makes the sequencer censor them, and runs the whole escape as a journaled job with a software',
    'Ledger: sign the L2 withdrawal without broadcasting it, push it through the L1 delayed inbox, force its inclusion',
    'after the delay, wait for the state to be confirmed, check the L2 node’s withdrawal list against the confirmed root,',
    'and execute the withdrawal on L1 (time travel makes the days pass in seconds). It then checks the user’s L1 balance',
    'and that a replay is rejected. Everything stays on 127.0.0.1. Exit code 1 when any check fails.',
  ].join('\n'),
  options: {
    stack: { type: 'string', description: `Which rollup stack: ${STACKS.join(', ')}.`, default: 'arbitrum', valueName: 'STACK' },
    report: { type: 'string', description: 'Also write the report as a self-contained HTML file.', valueName: 'FILE.html' },
    'batch-mode': { type: 'string', description: 'How the devnet posts batches: calldata | blob.', default: 'calldata', valueName: 'MODE' },
    scenario: {
      type: 'string',
      description: 'escape (default), or retryable: a retryable ticket left without an auto-redeem is redeemed through the L1 delayed inbox while censored.',
      default: 'escape',
      valueName: 'NAME',
    },
  },
  async run(ctx) {
    const stack = String(ctx.options.stack ?? 'arbitrum')
    if (!(STACKS as readonly string[]).includes(stack)) usageError(`--stack must be one of ${STACKS.join(', ')}`)
    const batchMode = String(ctx.options['batch-mode'] ?? 'calldata')
    if (batchMode !== 'calldata' && batchMode !== 'blob') usageError('--batch-mode must be calldata or blob')
    const scenario = String(ctx.options.scenario ?? 'escape')
    if (scenario !== 'escape' && scenario !== 'retryable') usageError('--scenario must be escape or retryable')
    if (scenario === 'retryable') {
      const r = await runRetryableDrill({ workDir: drillsDir(ctx.dataDir), onProgress: ctx.progress, signal: ctx.signal })
      return { json: r, text: retryableText(r), exitCode: r.ok ? 0 : 1 }
    }
    const report = await runArbitrumDrill({ workDir: drillsDir(ctx.dataDir), batchMode, onProgress: ctx.progress, signal: ctx.signal })
    if (report.journalDir) {
      // The same report file the app keeps, so past drills look the same in the app whichever started them.
      try {
        writeDrillReportFile(report.journalDir, { cancelled: ctx.signal.aborted, report: toDrillReportView(report) })
      } catch (error) {
        ctx.progress(`The drill report could not be kept next to its journal (${error instanceof Error ? error.message : String(error)}).`)
      }
    }
    if (typeof ctx.options.report === 'string') {
      await writeFile(ctx.options.report, renderDrillReportHtml(report), 'utf8')
      ctx.progress(`Report written to ${ctx.options.report}`)
    }
    return { json: report, text: toText(report), exitCode: report.ok ? 0 : 1 }
  },
}

function toText(r: ArbitrumDrillReport): string {
  const lines = [`Arbitrum drill ${r.ok ? 'PASSED' : 'FAILED'} in ${(r.wallTimeMs / 1000).toFixed(1)} s (user ${r.user}, ${r.amountWei} wei).`]
  if (r.error) lines.push(`Error: ${r.error.shortMessage}`, ...r.error.steps.map((s) => `  - ${s}`))
  lines.push('', 'Steps:')
  for (const s of r.steps) lines.push(`  ${s.status.padEnd(9)} ${s.name.padEnd(22)} ${s.durationMs === undefined ? '' : `${s.durationMs} ms`}`)
  lines.push('', 'Transactions:')
  if (r.result) lines.push(`  L2 withdrawal (signed, not broadcast)  ${r.result.l2TxHash}`)
  for (const t of r.transactions) lines.push(`  ${t.step.padEnd(22)} ${t.hash} ${t.status}${t.blockNumber ? ` @${t.blockNumber}` : ''}`)
  lines.push('', `Send root: confirmed ${r.roots.confirmedSendRoot ?? '—'}, recomputed ${r.roots.recomputedFromL2SendList ?? '—'} → ${r.roots.matched ? 'matched' : 'NOT matched'}`)
  lines.push('', 'Checks:')
  for (const c of r.checks) lines.push(`  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name} — ${c.detail}`)
  return lines.join('\n')
}

function retryableText(r: RetryableDrillReport): string {
  const lines = [`Arbitrum retryable drill ${r.ok ? 'PASSED' : 'FAILED'} in ${(r.wallTimeMs / 1000).toFixed(1)} s (ticket ${r.ticketId ?? '—'}, ${r.callValueWei} wei to ${r.beneficiary}).`]
  if (r.error) lines.push(`Error: ${r.error.shortMessage}`, ...r.error.steps.map((s) => `  - ${s}`))
  lines.push('', 'Steps:', ...r.steps.map((s) => `  ${s.status.padEnd(9)} ${s.name}`))
  lines.push('', 'Transactions:', `  create ticket (L1)     ${r.createTicketL1Tx ?? '—'}`)
  if (r.result?.redeemL2TxHash) lines.push(`  redeem (L2, signed, not broadcast) ${r.result.redeemL2TxHash}`)
  for (const t of r.transactions) lines.push(`  ${t.step.padEnd(22)} ${t.hash} ${t.status}${t.blockNumber ? ` @${t.blockNumber}` : ''}`)
  lines.push('', 'Checks:', ...r.checks.map((c) => `  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name} — ${c.detail}`))
  return lines.join('\n')
}
