/**
 * The OP drill report as one self-contained HTML file (no scripts, no external resources), like the Arbitrum one
 * (renderDrillReport.ts): checks, steps with their times, every transaction, the roots matched. Every value escaped.
 */
import { escapeHtml as esc, renderHtmlPage } from '../reports/htmlPage'
import type { OpDrillReport } from './runOpDrill'

const ms = (v: number | undefined): string => (v === undefined ? '—' : v < 1000 ? `${v} ms` : `${(v / 1000).toFixed(2)} s`)
const rows = (cells: unknown[][]) => cells.map((c) => `<tr>${c.map((v) => `<td>${esc(v)}</td>`).join('')}</tr>`).join('\n')

export function renderOpDrillReportHtml(report: OpDrillReport): string {
  const verdict = report.ok ? 'PASSED' : 'FAILED'
  const r = report.result
  const what = report.assets.map((a) => `${a.amountWei} wei ${a.symbol}`).join(' and ')
  const situation = report.scenario === 'censored' ? 'while the sequencer censored them' : 'after the operator vanished (no sequencer, batcher, proposer or L2 RPC)'
  return renderHtmlPage(
    `Escape Hatch drill — OP Stack (${report.scenario}) — ${report.ok ? 'passed' : 'FAILED'}`,
    `<h1>Escape Hatch drill — OP Stack, ${esc(report.scenario)}: <span class="${report.ok ? 'ok' : 'bad'}">${verdict}</span></h1>
<p>${esc(report.startedAt)} → ${esc(report.finishedAt)}, wall time ${esc(ms(report.wallTimeMs))}. User ${esc(report.user)} withdrew ${esc(what)} ${esc(situation)}.</p>
<p class="note">${esc(report.devnet.note)} L1 ${esc(report.devnet.l1RpcUrl)} (chain ${esc(report.devnet.l1ChainId)}), L2 ${esc(report.devnet.l2RpcUrl)} (chain ${esc(report.devnet.l2ChainId)}), batches in ${esc(report.devnet.dataAvailability)}.</p>
${report.error ? `<h2 class="bad">Error</h2><p><b>${esc(report.error.shortMessage)}</b></p><ul>${report.error.steps.map((s) => `<li>${esc(s)}</li>`).join('')}</ul><pre>${esc(report.error.details ?? '')}</pre>` : ''}
<h2>Checks</h2>
<table><tr><th>check</th><th>result</th><th>detail</th></tr>
${report.checks.map((c) => `<tr><td>${esc(c.name)}</td><td class="${c.ok ? 'ok' : 'bad'}">${c.ok ? 'ok' : 'FAILED'}</td><td>${esc(c.detail)}</td></tr>`).join('\n')}
</table>
<h2>Steps (job ${esc(report.jobId)})</h2>
<table><tr><th>step</th><th>status</th><th>attempts</th><th>started</th><th>time</th></tr>
${rows(report.steps.map((s) => [s.name, s.status, s.attempts, s.startedAt, ms(s.durationMs)]))}
</table>
<h2>Transactions</h2>
<table><tr><th>what</th><th>chain</th><th>hash</th><th>status</th><th>block</th></tr>
${rows([
  ...report.setup.fundTxs.map((t) => [`setup: ${t.what}`, report.devnet.l1ChainId, t.hash, '', '']),
  ...(r?.withdrawals ?? []).map((w) => [`the deposit’s L2 transaction (asset ${w.asset}, computed from L1)`, report.devnet.l2ChainId, w.l2TxHash, `withdrawal ${w.withdrawalHash}`, '']),
  ...report.transactions.map((t) => [t.step, t.chainId, t.hash, t.status, t.blockNumber ?? '']),
])}
</table>
<h2>Roots</h2>
<table><tr><th>game</th><td>${esc(r ? `${r.game.address} (#${r.game.index}, ${r.game.createdByUs ? 'created by the job' : 'a proposer’s'}), L2 block ${r.game.l2Block}, ${r.rounds} proof round(s)` : '—')}</td></tr>
<tr><th>its root claim</th><td>${esc(report.roots.gameRootClaim)}</td></tr>
<tr><th>checked by the job against</th><td>${esc(report.roots.source)}</td></tr>
<tr><th>the devnet chain’s own output root</th><td>${esc(report.roots.devnetChainOutputRoot)}</td></tr>
<tr><th>matched</th><td class="${report.roots.matched ? 'ok' : 'bad'}">${report.roots.matched ? 'yes' : 'no'}</td></tr></table>
<p class="note">Setup: ${esc(report.setup.censorship)}; devnet started in ${esc(ms(report.setup.devnetStartMs))}.</p>`,
  )
}
