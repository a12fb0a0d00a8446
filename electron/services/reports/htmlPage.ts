/**
 * Self-contained HTML reports (drill reports, job reports for support): one file, no scripts, no external
 * resources, inline CSS, a CSP that forbids everything else, and every value escaped. They can be opened anywhere,
 * attached to a support ticket, or archived with a custodian's drill records.
 */
import { redactUrlsInText } from '../../../shared/errors/redactUrls'

export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string)
}

/**
 * `title` is escaped here; `body` is trusted HTML the caller built with escapeHtml. Every URL in either is cut to its
 * host (a report is handed to others; RPC URLs carry API keys in their paths).
 */
export function renderHtmlPage(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${redactUrlsInText(escapeHtml(title))}</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.5rem}.ok{color:#126b2b}.bad{color:#a4161a}
table{border-collapse:collapse;width:100%;margin:0.5rem 0 1.5rem}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f3f3f3}code,td{font-family:ui-monospace,monospace;font-size:12px;word-break:break-all}.note{color:#555}
</style></head><body>
${redactUrlsInText(body)}
</body></html>
`
}
