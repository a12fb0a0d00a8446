/** The diagnosis as a self-contained HTML page for support (dates in local time with UTC, ETH with wei). */
import { formatEther } from 'viem'
import type { DiagnosisView } from '../../../shared/ipc/escapeSchemas'
import { formatLocalAndUtc } from '../reports/formatLocalAndUtc'
import { escapeHtml as esc, renderHtmlPage } from '../reports/htmlPage'

export function renderDiagnosisReportHtml(d: DiagnosisView, app: { version: string }): string {
  const when = (iso: string, estimate: boolean) => `${estimate ? 'about ' : ''}${formatLocalAndUtc(new Date(iso))}`
  const exits = d.exits
    .map((e) => {
      const facts = Object.entries(e.facts)
        .map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(k === 'valueWei' ? `${formatEther(BigInt(v))} ETH (${v} wei)` : v)}</td></tr>`)
        .join('')
      return `<h2>${esc(e.title)}${e.matchesQuery ? ' — the transaction you pasted' : ''}</h2>
<p>Stage: <b>${esc(e.stageLabel)}</b> <code>${esc(e.stage)}</code></p>
${e.blocker ? `<p>What blocks it: ${esc(e.blocker)}</p>` : ''}
<p>Next: ${e.nextAction ? `${esc(e.nextAction.description)} — ${e.nextAction.ready ? 'now' : `from ${esc(when(e.nextAction.at, e.nextAction.estimate))}`} (by ${esc(e.nextAction.by)})` : 'nothing — this exit is done'}</p>
${e.deadlines.length > 0 ? `<table><tr><th>date</th><th>when</th><th>computed from</th></tr>${e.deadlines.map((x) => `<tr><td>${esc(x.what)}</td><td>${esc(when(x.at, x.estimate))}${x.passed ? ' (passed)' : ''}</td><td>${esc(x.basis)}</td></tr>`).join('')}</table>` : ''}
<table>${facts}</table>`
    })
    .join('\n')
  const body = `<h1>Escape Hatch diagnosis — ${esc(d.network.name)}</h1>
<p>Address <code>${esc(d.address)}</code>${d.fromTransaction ? ` (from transaction <code>${esc(d.fromTransaction.hash)}</code>: ${esc(d.fromTransaction.found)})` : ''}, read at ${esc(d.network.l1Name)} block ${esc(d.l1Block)} on ${esc(formatLocalAndUtc(new Date(d.at)))} by Escape Hatch ${esc(app.version)}. ${esc(d.l1BlockTime)}.</p>
<p>Sources: L1 ${esc(d.sources.l1.join(', '))}${d.sources.l2 ? `; L2 node ${esc(d.sources.l2)} (untrusted: what it says is checked against L1)` : '; no L2 node'}.</p>
${d.exits.length === 0 ? '<p>No exit in flight was found for this address.</p>' : exits}
${d.notes.length > 0 ? `<h2>Notes</h2><ul>${d.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>` : ''}
<p class="note">No keys were used. RPC addresses are cut to their host (API keys often sit in their path or query).</p>`
  return renderHtmlPage(`Escape Hatch diagnosis — ${d.network.name} — ${d.address}`, body)
}
