/**
 * Where the app's own pages live. The renderer is served from a privileged custom scheme rather than file:// (so
 * the file-protocol fuse can be off and no page gets file:// powers) and never from a dev server URL (so there is
 * no http origin main would have to trust). Everything that decides "is this our page?" uses these.
 */
export const APP_SCHEME = 'app'
export const APP_HOST = 'escape-hatch'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`

/** True only for URLs of our own origin (scheme and host both match; no credentials, no port). */
export function isAppUrl(url: string): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  return parsed.protocol === `${APP_SCHEME}:` && parsed.hostname === APP_HOST && parsed.port === '' && parsed.username === '' && parsed.password === ''
}
