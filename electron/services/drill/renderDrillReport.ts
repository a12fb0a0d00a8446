/**
 * Every drill's report (Arbitrum escape, Arbitrum retryable, OP Stack censored / operator gone) as one self-contained
 * HTML file (no scripts, no external resources; inline CSS): opened anywhere, attached to an issue, archived. One frame
 * for all of them — verdict, what was taken out, error, checks, steps, transactions — and a section of the drill's
 * own (the roots it matched). For people: steps in plain words, dates in local time with UTC beside, amounts in ETH
 * with the exact wei next to them. Every value is escaped; every URL is cut to its host (renderHtmlPage).
 */
import { formatEther } from 'viem'
import type { ArbitrumDrillReportView, DrillReportView, OpDrillReportView, RetryableDrillReportView } from '../../../shared/ipc/drillSchemas'
import type { SerializedError } from '../../../shared/errors/EscapeError'
import { plainStepName } from '../../../shared/journal/stepLabels'
import { escapeHtml as esc, renderHtmlPage } from '../reports/htmlPage'
import { formatLocalAndUtc } from '../reports/formatLocalAndUtc'

const ms = (v: number | undefined): string => (v === undefined ? '—' : v < 1000 ? `${v} ms` : `${(v / 1000).toFixed(2)} s`)
const rows = (cells: unknown[][]) => cells.map((c) => `<tr>${c.map((v) => `<td>${esc(v)}</td>`).join('')}</tr>`).join('\n')
const date = (iso: string | undefined): string => (iso ? formatLocalAndUtc(new Date(iso)) : '—')
/** "1.5 ETH (1500000000000000000 wei)", the symbol given for tokens of 18 decimals (the drills' WETH). */
export const ethAmount = (wei: string, symbol = 'ETH'): string => `${formatEther(BigInt(wei))} ${symbol} (${wei} wei)`

interface DrillPage {
  title: string
  ok: boolean
  /** One sentence: who took what out, in which situation. */
  story: string
  devnetNote: string
  report: { startedAt: string; finishedAt: string; wallTimeMs: number; jobId?: string | undefined; error?: SerializedError | undefined; checks: { name: string; ok: boolean; detail: string }[] }
  steps: { name: string; status: string; attempts: number; startedAt?: string; durationMs?: number | undefined }[]
  /** [what, chain, hash, status, block] */
  txs: unknown[][]
  /** Trusted HTML the caller built with esc: the drill's own section (roots). */
  extra: string
}

function renderDrillPage(page: DrillPage): string {
  const { report } = page
  const verdict = page.ok ? 'PASSED' : 'FAILED'
  return renderHtmlPage(
    `${page.title} — ${page.ok ? 'passed' : 'FAILED'}`,
    `<h1>${esc(page.title)}: <span class="${page.ok ? 'ok' : 'bad'}">${verdict}</span></h1>
<p>Started ${esc(date(report.startedAt))}, finished ${esc(date(report.finishedAt))}; it took ${esc(ms(report.wallTimeMs))}. ${esc(page.story)}</p>
<p class="note">${esc(page.devnetNote)}</p>
${report.error ? `<h2 class="bad">Error</h2><p><b>${esc(report.error.shortMessage)}</b></p><ul>${report.error.steps.map((s) => `<li>${esc(s)}</li>`).join('')}</ul><pre>${esc(report.error.details ?? '')}</pre>` : ''}
<h2>Checks</h2>
<table><tr><th>check</th><th>result</th><th>detail</th></tr>
${report.checks.map((c) => `<tr><td>${esc(c.name)}</td><td class="${c.ok ? 'ok' : 'bad'}">${c.ok ? 'ok' : 'FAILED'}</td><td>${esc(c.detail)}</td></tr>`).join('\n')}
</table>
<h2>Steps${report.jobId ? ` (job ${esc(report.jobId)})` : ''}</h2>
<table><tr><th>step</th><th>status</th><th>attempts</th><th>started</th><th>time</th></tr>
${page.steps.map((s) => `<tr><td title="${esc(s.name)}">${esc(plainStepName(s.name))}</td><td>${esc(s.status)}</td><td>${esc(s.attempts)}</td><td>${esc(s.startedAt ? date(s.startedAt) : '')}</td><td>${esc(ms(s.durationMs))}</td></tr>`).join('\n')}
</table>
<h2>Transactions</h2>
<table><tr><th>what</th><th>chain</th><th>hash</th><th>status</th><th>block</th></tr>
${rows(page.txs)}
</table>
${page.extra}`,
  )
}

const jobTxs = (r: { transactions: { step: string; chainId: number; hash: string; status: string; blockNumber?: string | undefined }[] }) =>
  r.transactions.map((t) => [plainStepName(t.step), t.chainId, t.hash, t.status, t.blockNumber ?? ''])

export function renderDrillReportHtml(report: DrillReportView): string {
  if (report.stack === 'op') return renderOp(report)
  if (report.scenario === 'retryable') return renderRetryable(report)
  return renderArbitrum(report)
}

function renderArbitrum(report: ArbitrumDrillReportView): string {
  const r = report.result
  return renderDrillPage({
    title: 'Escape Hatch drill — Arbitrum',
    ok: report.ok,
    story: `User ${report.user} withdrew ${ethAmount(report.amountWei)} while censored by the sequencer${report.restarts ? `, with ${report.restarts} simulated restart(s)` : ''}.`,
    devnetNote: `${report.devnet.note} L1 ${report.devnet.l1RpcUrl} (chain ${report.devnet.l1ChainId}), L2 ${report.devnet.l2RpcUrl} (chain ${report.devnet.l2ChainId}), batches in ${report.devnet.batchMode}.`,
    report,
    steps: report.steps,
    txs: [
      ['fund the user on L2 (setup)', report.devnet.l2ChainId, report.setup.fundL2TxHash, '', ''],
      ...(r ? [['the user’s L2 withdrawal (signed, never broadcast on L2)', report.devnet.l2ChainId, r.l2TxHash, `L2 block ${r.l2Block}`, '']] : []),
      ...jobTxs(report),
    ],
    extra: `<h2>Roots</h2>
<table><tr><th>confirmed sendRoot (L1)</th><td>${esc(report.roots.confirmedSendRoot)}</td></tr>
<tr><th>recomputed from the L2 node’s send list</th><td>${esc(report.roots.recomputedFromL2SendList)}</td></tr>
<tr><th>matched</th><td class="${report.roots.matched ? 'ok' : 'bad'}">${report.roots.matched ? 'yes' : 'no'}</td></tr></table>
${r ? `<p>Delayed message #${esc(r.messageIndex)}, sequenced in batch ${esc(r.sequencedInBatch)} ${r.forced ? '(forced with forceInclusion)' : '(included by the sequencer)'}; withdrawal #${esc(r.sendPosition)}${r.proofMethod ? `, its proof ${r.proofMethod === 'node-interface' ? 'from the L2 node’s NodeInterface' : 'rebuilt from the full send list'} (checked against the confirmed sendRoot either way)` : ''}.</p>` : ''}
${report.l2Rpc ? `<p class="note">Requests to the untrusted L2 node during the escape: ${esc(report.l2Rpc.total)} (${esc(Object.entries(report.l2Rpc.byMethod).map(([m, n]) => `${m} ×${n}`).join(', '))}).</p>` : ''}
<p class="note">Setup: ${esc(report.setup.censorship)}; devnet started in ${esc(ms(report.setup.devnetStartMs))}.</p>`,
  })
}

function renderRetryable(report: RetryableDrillReportView): string {
  const r = report.result
  return renderDrillPage({
    title: 'Escape Hatch drill — Arbitrum retryable ticket',
    ok: report.ok,
    story: `A retryable ticket${report.ticketId ? ` (${report.ticketId})` : ''} paying ${ethAmount(report.callValueWei)} to ${report.beneficiary}, left without an auto-redeem, was redeemed by ${report.user} through the L1 delayed inbox while the sequencer censored them.`,
    devnetNote: 'The devnet L2 is a simulation of Arbitrum, not ArbOS; everything ran on 127.0.0.1.',
    report,
    steps: report.steps,
    txs: [
      ...(report.createTicketL1Tx ? [['create the ticket on L1 (setup)', '', report.createTicketL1Tx, '', '']] : []),
      ...(r?.redeemL2TxHash ? [['the redeem’s L2 transaction (signed, carried through L1)', '', r.redeemL2TxHash, r.redeemedBy ? 'redeemed' : '', '']] : []),
      ...jobTxs(report),
    ],
    extra: r ? `<p>${r.forced ? 'Forced in with forceInclusion' : 'Included by the sequencer'}${r.sequencedInBatch ? ` in batch ${esc(r.sequencedInBatch)}` : ''}.</p>` : '',
  })
}

function renderOp(report: OpDrillReportView): string {
  const r = report.result
  const what = report.assets.map((a) => ethAmount(a.amountWei, a.symbol)).join(' and ')
  const situation = report.scenario === 'censored' ? 'while the sequencer censored them' : 'after the operator vanished (no sequencer, batcher, proposer or L2 RPC)'
  return renderDrillPage({
    title: `Escape Hatch drill — OP Stack, ${report.scenario === 'censored' ? 'censored' : 'operator gone'}`,
    ok: report.ok,
    story: `User ${report.user} withdrew ${what} ${situation}.`,
    devnetNote: `${report.devnet.note} L1 ${report.devnet.l1RpcUrl} (chain ${report.devnet.l1ChainId}), L2 ${report.devnet.l2RpcUrl} (chain ${report.devnet.l2ChainId}), batches in ${report.devnet.dataAvailability}.`,
    report,
    steps: report.steps,
    txs: [
      ...report.setup.fundTxs.map((t) => [`setup: ${t.what}`, report.devnet.l1ChainId, t.hash, '', '']),
      ...(r?.withdrawals ?? []).map((w) => [`the deposit’s L2 transaction (${report.assets[w.asset]?.symbol ?? `asset ${w.asset}`}, computed from L1)`, report.devnet.l2ChainId, w.l2TxHash, `withdrawal ${w.withdrawalHash}`, '']),
      ...jobTxs(report),
    ],
    extra: `<h2>Roots</h2>
<table><tr><th>game</th><td>${esc(r ? `${r.game.address} (#${r.game.index}, ${r.game.createdByUs ? 'created by the job' : 'a proposer’s'}), L2 block ${r.game.l2Block}, ${r.rounds} proof round(s)` : '—')}</td></tr>
<tr><th>its root claim</th><td>${esc(report.roots.gameRootClaim)}</td></tr>
<tr><th>checked by the job against</th><td>${esc(report.roots.source)}</td></tr>
<tr><th>the devnet chain’s own output root</th><td>${esc(report.roots.devnetChainOutputRoot)}</td></tr>
<tr><th>matched</th><td class="${report.roots.matched ? 'ok' : 'bad'}">${report.roots.matched ? 'yes' : 'no'}</td></tr></table>
<p class="note">Setup: ${esc(report.setup.censorship)}; devnet started in ${esc(ms(report.setup.devnetStartMs))}.</p>`,
  })
}
