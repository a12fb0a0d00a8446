/**
 * The drill report as one self-contained HTML file (no scripts, no external resources; inline CSS), so it can be
 * opened anywhere, attached to an issue, or archived. Every value is escaped.
 */
import { escapeHtml, renderHtmlPage } from '../reports/htmlPage'
import type { ArbitrumDrillReport } from './runArbitrumDrill'

const esc = escapeHtml

const ms = (v: number | undefined): string => (v === undefined ? '—' : v < 1000 ? `${v} ms` : `${(v / 1000).toFixed(2)} s`)

export function renderDrillReportHtml(report: ArbitrumDrillReport): string {
  const r = report.result
  const rows = (cells: unknown[][]) => cells.map((c) => `<tr>${c.map((v) => `<td>${esc(v)}</td>`).join('')}</tr>`).join('\n')
  return renderHtmlPage(`Escape Hatch drill — Arbitrum — ${report.ok ? 'passed' : 'FAILED'}`, `<h1>Escape Hatch drill — Arbitrum: <span class="${report.ok ? 'ok' : 'bad'}">${report.ok ? 'PASSED' : 'FAILED'}</span></h1>
<p>${esc(report.startedAt)} → ${esc(report.finishedAt)}, wall time ${esc(ms(report.wallTimeMs))}${report.restarts ? `, ${report.restarts} simulated restart(s)` : ''}.
User ${esc(report.user)} withdrew ${esc(report.amountWei)} wei while censored by the sequencer.</p>
<p class="note">${esc(report.devnet.note)} L1 ${esc(report.devnet.l1RpcUrl)} (chain ${esc(report.devnet.l1ChainId)}), L2 ${esc(report.devnet.l2RpcUrl)} (chain ${esc(report.devnet.l2ChainId)}), batches in ${esc(report.devnet.batchMode)}.</p>
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
  ['fund the user on L2 (setup)', report.devnet.l2ChainId, report.setup.fundL2TxHash, '', ''],
  ...(r ? [['the user’s L2 withdrawal (signed, never broadcast on L2)', report.devnet.l2ChainId, r.l2TxHash, `L2 block ${r.l2Block}`, '']] : []),
  ...report.transactions.map((t) => [t.step, t.chainId, t.hash, t.status, t.blockNumber ?? '']),
])}
</table>
<h2>Roots</h2>
<table><tr><th>confirmed sendRoot (L1)</th><td>${esc(report.roots.confirmedSendRoot)}</td></tr>
<tr><th>recomputed from the L2 node’s send list</th><td>${esc(report.roots.recomputedFromL2SendList)}</td></tr>
<tr><th>matched</th><td class="${report.roots.matched ? 'ok' : 'bad'}">${report.roots.matched ? 'yes' : 'no'}</td></tr></table>
${r ? `<p>Delayed message #${esc(r.messageIndex)}, sequenced in batch ${esc(r.sequencedInBatch)} ${r.forced ? '(forced with forceInclusion)' : '(included by the sequencer)'}; withdrawal #${esc(r.sendPosition)}${r.proofMethod ? `, its proof ${r.proofMethod === 'node-interface' ? 'from the L2 node’s NodeInterface' : 'rebuilt from the full send list'} (checked against the confirmed sendRoot either way)` : ''}.</p>` : ''}
${report.l2Rpc ? `<p class="note">Requests to the untrusted L2 node during the escape: ${esc(report.l2Rpc.total)} (${esc(Object.entries(report.l2Rpc.byMethod).map(([m, n]) => `${m} ×${n}`).join(', '))}).</p>` : ''}
<p class="note">Setup: ${esc(report.setup.censorship)}; devnet started in ${esc(ms(report.setup.devnetStartMs))}.</p>`)
}
