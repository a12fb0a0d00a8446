/**
 * A job report for support staff: what the journal says happened, in a form a user can send without leaking
 * secrets. The journal never holds keys; what it may hold that a user should not hand out is RPC URLs (their path
 * or query often carries an API key), so every URL is cut to scheme and host. Signed transaction bytes are left out
 * unless asked for: they are not secret, but a support ticket does not need them.
 */
import { redactUrlsDeep } from '../../../shared/errors/redactUrls'
import type { JournalProblem } from '../../../shared/journal/lineCodec'
import type { JsonValue } from '../../../shared/journal/records'
import type { JobState } from '../../../shared/journal/reduce'
import { describeProblem, type LoadedJob } from '../journal/JournalStore'
import { formatLocalAndUtc } from './formatLocalAndUtc'
import { escapeHtml as esc, renderHtmlPage } from './htmlPage'

export interface JobReport {
  schema: 'escape-hatch-job-report/v1'
  generatedAt: string
  app: { version: string; platform: string }
  job: Omit<JobState, 'params' | 'txs'> & {
    params: JsonValue
    txs: (Omit<JobState['txs'][number], 'raw'> & { raw?: string })[]
  }
  journal: { records: number; damaged: boolean; problems: string[] }
}

export interface BuildJobReportParameters {
  loaded: LoadedJob
  app: { version: string; platform: string }
  includeRaw?: boolean
  now?: Date
}

export function buildJobReport({ loaded, app, includeRaw = false, now = new Date() }: BuildJobReportParameters): JobReport {
  const { state } = loaded
  const job = {
    ...state,
    txs: state.txs.map(({ raw, ...tx }) => (includeRaw ? { ...tx, raw } : tx)),
  }
  return {
    schema: 'escape-hatch-job-report/v1',
    generatedAt: now.toISOString(),
    app,
    // Every string (params, error messages and steps, notes, prompts) may quote a URL: redact them all.
    job: redactUrlsDeep(job as unknown as JsonValue) as unknown as JobReport['job'],
    journal: { records: loaded.records.length, damaged: loaded.damaged, problems: loaded.problems.map((p: JournalProblem) => describeProblem(p)) },
  }
}

export function renderJobReportHtml(report: JobReport): string {
  const { job } = report
  const rows = (cells: unknown[][]) => cells.map((c) => `<tr>${c.map((v) => `<td>${esc(v)}</td>`).join('')}</tr>`).join('\n')
  const statusClass = job.status === 'succeeded' ? 'ok' : job.status === 'active' ? '' : 'bad'
  const body = `<h1>${esc(job.title)}</h1>
<p>Job <code>${esc(job.id)}</code> (${esc(job.kind)}), status <b class="${statusClass}">${esc(job.status)}</b>${job.summary ? ` — ${esc(job.summary)}` : ''}.
Created ${esc(job.createdAt)}, last change ${esc(job.updatedAt)}. Report made ${esc(report.generatedAt)} by Escape Hatch ${esc(report.app.version)} on ${esc(report.app.platform)}.</p>
${report.journal.damaged || report.journal.problems.length > 0 ? `<h2 class="bad">Journal problems</h2><ul>${report.journal.problems.map((p) => `<li>${esc(p)}</li>`).join('')}</ul>` : `<p class="note">Journal: ${esc(report.journal.records)} records, all intact.</p>`}
<h2>Steps</h2>
<table><tr><th>step</th><th>status</th><th>attempts</th><th>started</th><th>finished</th><th>error / what to do</th></tr>
${job.steps
  .map(
    (s) =>
      `<tr><td>${esc(s.name)}</td><td class="${s.status === 'failed' ? 'bad' : s.status === 'completed' ? 'ok' : ''}">${esc(s.waiting ? 'paused' : s.status)}</td><td>${esc(s.attempts)}</td><td>${esc(s.startedAt)}</td><td>${esc(s.finishedAt ?? '')}</td><td>${
        s.error
          ? `<b>${esc(s.error.shortMessage)}</b><ul>${s.error.steps.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>`
          : s.waiting
            ? `${esc(s.waiting.reason)}${s.waiting.until ? ` — until about ${esc(formatLocalAndUtc(new Date(s.waiting.until)))}` : ''}`
            : ''
      }</td></tr>`,
  )
  .join('\n')}
</table>
<h2>Transactions</h2>
<table><tr><th>step</th><th>chain</th><th>from</th><th>nonce</th><th>hash</th><th>status</th><th>block</th></tr>
${rows(job.txs.map((t) => [t.step, t.chainId, t.from, t.nonce, t.hash, t.status + (t.replacedBy ? ` by ${t.replacedBy}` : ''), t.blockNumber ?? '']))}
</table>
${job.files.length > 0 ? `<h2>Files</h2><table><tr><th>purpose</th><th>path</th><th>sha256</th></tr>${rows(job.files.map((f) => [f.purpose, f.path, f.sha256]))}</table>` : ''}
${job.notes.length > 0 ? `<h2>Notes</h2><ul>${job.notes.map((n) => `<li>${esc(n.at)} ${esc(n.text)}</li>`).join('')}</ul>` : ''}
<h2>Parameters</h2>
<pre>${esc(JSON.stringify(job.params, null, 2))}</pre>
<p class="note">URLs are cut to scheme and host (API keys often sit in their path or query). No keys are ever in a journal.</p>`
  return renderHtmlPage(`Escape Hatch job report — ${job.title}`, body)
}
