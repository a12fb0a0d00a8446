/**
 * The one URL redactor (issue 14 defect 4): every `scheme://…` URL in a text keeps its scheme and host[:port] only.
 * Paths, queries, fragments and userinfo (user:password@) go: RPC providers put API keys in the path
 * (`/v2/KEY`), the query (`?apikey=`) or the userinfo. A URL that had more than its host is marked `/…`.
 *
 * Applied wherever text leaves the process: the journal's append path (every record except the job's saved
 * parameters, which hold RPC URLs only when the user asked with --save-rpc-urls), serializeError (journal, IPC,
 * reports, --json errors), the CLI's output, reports and log lines. It also finds URLs inside JSON embedded in a
 * string (viem's "Request body: {…}") and JSON-escaped ones (`http:\/\/host\/v2\/KEY`).
 */

// scheme ":" "//" (either slash may be JSON-escaped), then the authority (userinfo, host or [IPv6], port), then
// anything up to whitespace, a quote, <, >, a backtick or a backslash that does not escape a slash. The scheme is
// bounded so that long runs like `a+b+c+…` (base64) stay linear.
const URL_PATTERN = /([a-z][a-z0-9+.-]{0,31}):(\\?\/)(\\?\/)([^\s/\\?#"'<>`]*)((?:[/?#]|\\\/)(?:[^\s"'<>`\\]|\\\/)*)?/gi

export function redactUrlsInText(text: string): string {
  if (!text.includes('/')) return text
  return text.replace(URL_PATTERN, (_m, scheme: string, s1: string, s2: string, authority: string, rest: string | undefined) => {
    const host = authority.slice(authority.lastIndexOf('@') + 1)
    const more = (rest !== undefined && rest !== '/' && rest !== '\\/') || host !== authority
    return `${scheme}:${s1}${s2}${host}${more ? `${s1}…` : ''}`
  })
}

export interface RedactUrlsDeepOptions {
  /** Top-level keys whose values are kept as they are (URLs there by design). */
  keepKeys?: readonly string[]
}

/** Every string in a JSON-like value (objects, arrays, strings; other values as they are), redacted. */
export function redactUrlsDeep<T>(value: T, options: RedactUrlsDeepOptions = {}): T {
  const keep = new Set(options.keepKeys ?? [])
  const walk = (v: unknown, depth: number): unknown => {
    if (typeof v === 'string') return redactUrlsInText(v)
    if (Array.isArray(v)) return v.map((x) => walk(x, depth + 1))
    if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, depth === 0 && keep.has(k) ? x : walk(x, depth + 1)]))
    }
    return v
  }
  return walk(value, 0) as T
}

/** An error as one log entry — stack (or message) and its causes — with every URL redacted. */
export function errorLogText(error: unknown, depth = 0): string {
  const own = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error)
  const cause = error instanceof Error && error.cause !== undefined && depth < 8 ? `\nCaused by: ${errorLogText(error.cause, depth + 1)}` : ''
  return redactUrlsInText(own) + cause
}
