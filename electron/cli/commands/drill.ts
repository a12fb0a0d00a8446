/**
 * `escape-hatch drill`: rehearse an escape end to end on the embedded devnet — the sequencer censors you (or the
 * operator is gone), and you get your money out anyway. Nothing leaves this machine (loopback only); the signer is a
 * software Ledger.
 */
import { writeFile } from 'node:fs/promises'
import { toDrillReportView, toOpDrillReportView, toRetryableDrillReportView } from '../../services/drill/drillReportView'
import { writeDrillReportFile } from '../../services/drill/writeDrillReportFile'
import { renderDrillReportHtml } from '../../services/drill/renderDrillReport'
import { drillsDir } from '../../services/paths'
import { ARBITRUM_DRILL_ASSETS, runArbitrumDrill, type ArbitrumDrillAsset, type ArbitrumDrillReport } from '../../services/drill/runArbitrumDrill'
import { OP_DRILL_SCENARIOS, runOpDrill, type OpDrillReport, type OpDrillScenario } from '../../services/drill/runOpDrill'
import { runRetryableDrill, type RetryableDrillReport } from '../../services/drill/runRetryableDrill'
import { usageError, type Command, type CommandContext } from '../command'

const STACKS = ['arbitrum', 'op', 'all'] as const
const ARBITRUM_SCENARIOS = ['escape', 'retryable'] as const

export const drillCommand: Command = {
  path: ['drill'],
  summary: 'Rehearse an escape on the embedded devnet: censored by the sequencer (or the operator gone), get your money out from L1 alone.',
  description: [
    'Starts a local devnet (anvil L1 with the real rollup contracts and a devnet L2), funds a user on L2, takes the L2',
    'away from them, and runs the whole escape as a journaled job with a software Ledger (time travel makes the days',
    'pass in seconds). It then checks the user’s L1 balances. Everything stays on 127.0.0.1. Exit code 1 when any check fails.',
    '--stack arbitrum (default): the devnet L2 is a simulation, not ArbOS. The sequencer censors the user; the escape signs',
    'the L2 withdrawal without broadcasting it, pushes it through the L1 delayed inbox, forces its inclusion after the',
    'delay, waits for the state to be confirmed, checks the L2 node’s withdrawal list against the confirmed root, executes',
    'the withdrawal on L1 and checks that a replay is rejected. --asset erc20 takes out a token instead (deposited to L2',
    'through the real token gateways of @arbitrum/token-bridge-contracts, withdrawn through them: the L1 token balance',
    'must rise by exactly the amount); --asset eth,erc20 takes both out in one job (`--stack all` runs this one).',
    '--stack op: the devnet OP L2 runs the project’s own executor from a genesis with the real predeploys; the user holds',
    'ETH and a WETH bridged through the standard bridge. --scenario censored (default): the sequencer drops the user’s',
    'L2 transactions; the escape sends forced withdrawals as L1 deposits, checks a proposer’s game through the untrusted L2',
    'node, proves, waits out the game clock, proof maturity and airgap, and finalizes. --scenario operator-gone: no',
    'sequencer, batcher, proposer or L2 RPC; the escape rebuilds the chain from L1 alone and creates its own game.',
  ].join('\n'),
  options: {
    stack: { type: 'string', description: `Which rollup stack: ${STACKS.join(', ')} (all = the Arbitrum drill and both OP scenarios, one after the other; \`npm run drill\`).`, default: 'arbitrum', valueName: 'STACK' },
    scenario: {
      type: 'string',
      description: `Arbitrum: ${ARBITRUM_SCENARIOS.join(' | ')} (default escape; retryable: a retryable ticket left without an auto-redeem is redeemed through the L1 delayed inbox while censored). OP: ${OP_DRILL_SCENARIOS.join(' | ')} (default censored).`,
      valueName: 'SCENARIO',
    },
    report: { type: 'string', description: 'Also write the report as a self-contained HTML file.', valueName: 'FILE.html' },
    asset: { type: 'string', description: `Arbitrum escape drill: what the user takes out, ${ARBITRUM_DRILL_ASSETS.join(' | ')} or eth,erc20 (both in one job); default eth.`, valueName: 'ASSETS' },
    'batch-mode': { type: 'string', description: 'How the devnet posts batches: calldata | blob.', default: 'calldata', valueName: 'MODE' },
  },
  async run(ctx) {
    const stack = String(ctx.options.stack ?? 'arbitrum')
    if (!(STACKS as readonly string[]).includes(stack)) usageError(`--stack must be one of ${STACKS.join(', ')}`)
    const batchMode = String(ctx.options['batch-mode'] ?? 'calldata')
    if (batchMode !== 'calldata' && batchMode !== 'blob') usageError('--batch-mode must be calldata or blob')
    const scenario = typeof ctx.options.scenario === 'string' ? ctx.options.scenario : undefined
    const assetText = typeof ctx.options.asset === 'string' ? ctx.options.asset : undefined
    if (assetText !== undefined && (stack !== 'arbitrum' || scenario === 'retryable')) usageError('--asset applies to --stack arbitrum (the escape scenario)')
    const assets = parseAssets(assetText ?? 'eth')
    if (stack === 'all') {
      if (scenario !== undefined) usageError('--scenario applies to --stack arbitrum or op')
      if (typeof ctx.options.report === 'string') usageError('--report needs one drill: give --stack arbitrum or op')
      return runAll(ctx, batchMode)
    }
    if (stack === 'op') {
      if (scenario !== undefined && !(OP_DRILL_SCENARIOS as readonly string[]).includes(scenario)) usageError(`--scenario must be one of ${OP_DRILL_SCENARIOS.join(', ')}`)
      return runOp(ctx, (scenario as OpDrillScenario | undefined) ?? 'censored', batchMode === 'blob' ? 'blobs' : 'calldata')
    }
    if (scenario !== undefined && !(ARBITRUM_SCENARIOS as readonly string[]).includes(scenario)) {
      usageError(`--scenario for --stack arbitrum must be one of ${ARBITRUM_SCENARIOS.join(', ')} (${OP_DRILL_SCENARIOS.join(', ')}: --stack op)`)
    }
    if (scenario === 'retryable') {
      const r = await runRetryableDrill({ workDir: drillsDir(ctx.dataDir), onProgress: ctx.progress, signal: ctx.signal })
      if (r.journalDir) keep(ctx, () => writeDrillReportFile(r.journalDir!, { cancelled: ctx.signal.aborted, report: toRetryableDrillReportView(r) }))
      if (typeof ctx.options.report === 'string') {
        await writeFile(ctx.options.report, renderDrillReportHtml(toRetryableDrillReportView(r)), 'utf8')
        ctx.progress(`Report written to ${ctx.options.report}`)
      }
      return { json: r, text: retryableText(r), exitCode: r.ok ? 0 : 1 }
    }
    const report = await runArbitrumDrill({ workDir: drillsDir(ctx.dataDir), batchMode, assets, onProgress: ctx.progress, signal: ctx.signal })
    if (report.journalDir) {
      // The same report file the app keeps, so past drills look the same in the app whichever started them.
      keep(ctx, () => writeDrillReportFile(report.journalDir!, { cancelled: ctx.signal.aborted, report: toDrillReportView(report) }))
    }
    if (typeof ctx.options.report === 'string') {
      await writeFile(ctx.options.report, renderDrillReportHtml(toDrillReportView(report)), 'utf8')
      ctx.progress(`Report written to ${ctx.options.report}`)
    }
    return { json: report, text: arbitrumText(report), exitCode: report.ok ? 0 : 1 }
  },
}

async function runOp(ctx: CommandContext, scenario: OpDrillScenario, dataAvailability: 'calldata' | 'blobs') {
  const report = await runOpDrill({ workDir: drillsDir(ctx.dataDir), scenario, dataAvailability, onProgress: ctx.progress, signal: ctx.signal })
  if (report.journalDir) keep(ctx, () => writeDrillReportFile(report.journalDir!, { cancelled: ctx.signal.aborted, report: toOpDrillReportView(report) }))
  if (typeof ctx.options.report === 'string') {
    await writeFile(ctx.options.report, renderDrillReportHtml(toOpDrillReportView(report)), 'utf8')
    ctx.progress(`Report written to ${ctx.options.report}`)
  }
  return { json: report, text: opText(report), exitCode: report.ok ? 0 : 1 }
}

/** Every drill, one after the other (each on its own devnet), then which passed. */
async function runAll(ctx: CommandContext, batchMode: 'calldata' | 'blob') {
  const results: { drill: string; ok: boolean; wallTimeMs: number; failed: string[]; error: string | undefined }[] = []
  const summarize = (drill: string, r: { ok: boolean; wallTimeMs: number; checks: { name: string; ok: boolean }[]; error?: { shortMessage: string } | undefined }) =>
    results.push({ drill, ok: r.ok, wallTimeMs: r.wallTimeMs, failed: r.checks.filter((c) => !c.ok).map((c) => c.name), error: r.error?.shortMessage })
  ctx.progress('Drill 1/3: Arbitrum, ETH and an ERC-20 in one job…')
  const arbitrum = await runArbitrumDrill({ workDir: drillsDir(ctx.dataDir), batchMode, assets: ['eth', 'erc20'], onProgress: ctx.progress, signal: ctx.signal })
  if (arbitrum.journalDir) keep(ctx, () => writeDrillReportFile(arbitrum.journalDir!, { cancelled: ctx.signal.aborted, report: toDrillReportView(arbitrum) }))
  summarize('arbitrum', arbitrum)
  for (const [i, scenario] of OP_DRILL_SCENARIOS.entries()) {
    if (ctx.signal.aborted) break
    ctx.progress(`Drill ${i + 2}/3: OP Stack, ${scenario}…`)
    const op = await runOpDrill({ workDir: drillsDir(ctx.dataDir), scenario, dataAvailability: batchMode === 'blob' ? 'blobs' : 'calldata', onProgress: ctx.progress, signal: ctx.signal })
    if (op.journalDir) keep(ctx, () => writeDrillReportFile(op.journalDir!, { cancelled: ctx.signal.aborted, report: toOpDrillReportView(op) }))
    summarize(`op ${scenario}`, op)
  }
  const ok = results.length === 1 + OP_DRILL_SCENARIOS.length && results.every((r) => r.ok)
  const text = [
    `Drills: ${results.filter((r) => r.ok).length} of ${1 + OP_DRILL_SCENARIOS.length} passed.`,
    ...results.map((r) => `  ${r.ok ? 'PASSED' : 'FAILED'}  ${r.drill.padEnd(18)} ${(r.wallTimeMs / 1000).toFixed(1)} s${r.error ? ` — ${r.error}` : ''}${r.failed.length ? ` — failed checks: ${r.failed.join('; ')}` : ''}`),
    'Each drill’s journal and report are in the drills folder; run one with --stack arbitrum|op [--scenario …] --report FILE.html for its full report.',
  ].join('\n')
  return { json: { ok, drills: results }, text, exitCode: ok ? 0 : 1 }
}

/** eth | erc20 | eth,erc20 (each once). */
function parseAssets(text: string): ArbitrumDrillAsset[] {
  const parts = text.split(',').map((p) => p.trim())
  for (const p of parts) if (!(ARBITRUM_DRILL_ASSETS as readonly string[]).includes(p)) usageError(`--asset must be ${ARBITRUM_DRILL_ASSETS.join(', ')} or eth,erc20 (got "${p}")`)
  if (new Set(parts).size !== parts.length) usageError('--asset: give each asset once')
  return parts as ArbitrumDrillAsset[]
}

function keep(ctx: CommandContext, write: () => void): void {
  try {
    write()
  } catch (error) {
    ctx.progress(`The drill report could not be kept next to its journal (${error instanceof Error ? error.message : String(error)}).`)
  }
}

function stepAndTxLines(r: Pick<ArbitrumDrillReport, 'steps' | 'error'>): string[] {
  const lines: string[] = []
  if (r.error) lines.push(`Error: ${r.error.shortMessage}`, ...r.error.steps.map((s) => `  - ${s}`))
  lines.push('', 'Steps:')
  for (const s of r.steps) lines.push(`  ${s.status.padEnd(9)} ${s.name.padEnd(22)} ${s.durationMs === undefined ? '' : `${s.durationMs} ms`}`)
  return lines
}

function checkLines(r: Pick<ArbitrumDrillReport, 'checks'>): string[] {
  return ['', 'Checks:', ...r.checks.map((c) => `  ${c.ok ? 'ok  ' : 'FAIL'} ${c.name} — ${c.detail}`)]
}

function arbitrumText(r: ArbitrumDrillReport): string {
  const what = [...(r.amountWei !== '0' ? [`${r.amountWei} wei`] : []), ...(r.token ? [`${r.token.amount} ${r.token.symbol} (wei units, L1 token ${r.token.l1Token})`] : [])].join(' + ')
  const lines = [`Arbitrum drill ${r.ok ? 'PASSED' : 'FAILED'} in ${(r.wallTimeMs / 1000).toFixed(1)} s (user ${r.user}, ${what}).`, ...stepAndTxLines(r)]
  lines.push('', 'Transactions:')
  if (r.token) lines.push(`  setup: token deposit through the gateway router ${r.token.depositL1TxHash} (token bridge deployed in ${r.token.tokenBridgeMs} ms)`)
  const legs = r.result?.assets ?? (r.result ? [{ kind: 'eth', l2TxHash: r.result.l2TxHash }] : [])
  for (const a of legs) lines.push(`  L2 ${a.kind === 'eth' ? 'ETH' : 'token'} withdrawal (signed, not broadcast)  ${a.l2TxHash}`)
  for (const t of r.transactions) lines.push(`  ${t.step.padEnd(22)} ${t.hash} ${t.status}${t.blockNumber ? ` @${t.blockNumber}` : ''}`)
  lines.push('', `Send root: confirmed ${r.roots.confirmedSendRoot ?? '—'}, recomputed ${r.roots.recomputedFromL2SendList ?? '—'} → ${r.roots.matched ? 'matched' : 'NOT matched'}`)
  return [...lines, ...checkLines(r)].join('\n')
}

function opText(r: OpDrillReport): string {
  const what = r.assets.map((a) => `${a.amountWei} wei ${a.symbol}`).join(' + ')
  const lines = [`OP Stack drill (${r.scenario}) ${r.ok ? 'PASSED' : 'FAILED'} in ${(r.wallTimeMs / 1000).toFixed(1)} s (user ${r.user}, ${what}).`, ...stepAndTxLines(r)]
  lines.push('', 'Transactions:')
  for (const t of r.setup.fundTxs) lines.push(`  setup: ${t.what.padEnd(22)} ${t.hash}`)
  for (const t of r.transactions) lines.push(`  ${t.step.padEnd(22)} ${t.hash} ${t.status}${t.blockNumber ? ` @${t.blockNumber}` : ''}`)
  const g = r.result?.game
  lines.push('', `Game: ${g ? `${g.address} at L2 block ${g.l2Block} (${g.createdByUs ? 'created by the job' : 'a proposer’s'})` : '—'}; root claim ${r.roots.gameRootClaim ?? '—'}, devnet chain ${r.roots.devnetChainOutputRoot ?? '—'} → ${r.roots.matched ? 'matched' : 'NOT matched'}`)
  return [...lines, ...checkLines(r)].join('\n')
}

function retryableText(r: RetryableDrillReport): string {
  const lines = [`Arbitrum retryable drill ${r.ok ? 'PASSED' : 'FAILED'} in ${(r.wallTimeMs / 1000).toFixed(1)} s (ticket ${r.ticketId ?? '—'}, ${r.callValueWei} wei to ${r.beneficiary}).`]
  if (r.error) lines.push(`Error: ${r.error.shortMessage}`, ...r.error.steps.map((s) => `  - ${s}`))
  lines.push('', 'Steps:', ...r.steps.map((s) => `  ${s.status.padEnd(9)} ${s.name}`))
  lines.push('', 'Transactions:', `  create ticket (L1)     ${r.createTicketL1Tx ?? '—'}`)
  if (r.result?.redeemL2TxHash) lines.push(`  redeem (L2, signed, not broadcast) ${r.result.redeemL2TxHash}`)
  for (const t of r.transactions) lines.push(`  ${t.step.padEnd(22)} ${t.hash} ${t.status}${t.blockNumber ? ` @${t.blockNumber}` : ''}`)
  return [...lines, ...checkLines(r)].join('\n')
}
