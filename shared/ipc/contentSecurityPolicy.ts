/**
 * The Content Security Policy of the app's pages. It lives with the IPC contract because it is what makes IPC the
 * window's only way out: connect-src 'none' in Electron, exactly one loopback socket through the bridge.
 * Electron main sends it as a header from its app:// protocol handler, the renderer build writes it into index.html
 * as a meta tag, and the loopback bridge sends it with its one WebSocket added — so the e2e suite runs the renderer
 * under the policy the app ships.
 *
 * Everything is 'none' unless the renderer needs it: scripts and styles only from our own origin (no inline code, no
 * eval), no network in Electron (all data comes over IPC), no frames, forms, plugins or workers, and Trusted Types
 * required so a DOM-XSS sink cannot be fed a string.
 */
export interface ContentSecurityPolicyParameters {
  /** Extra connect-src sources (the bridge's ws:// URL). Electron passes none: the renderer talks only over IPC. */
  connectSrc?: readonly string[]
  /** A meta tag cannot carry frame-ancestors (browsers ignore it there and warn); leave it out of that copy. */
  forMetaTag?: boolean
}

export function buildContentSecurityPolicy({ connectSrc = [], forMetaTag = false }: ContentSecurityPolicyParameters = {}): string {
  for (const source of connectSrc) {
    if (!/^wss?:\/\/127\.0\.0\.1:\d{1,5}$/.test(source)) throw new Error(`connect-src may only name a loopback WebSocket, not ${source}`)
  }
  const directives: [string, ...string[]][] = [
    ['default-src', "'none'"],
    ['script-src', "'self'"],
    ['style-src', "'self'"],
    ['img-src', "'self'", 'data:'],
    ['font-src', "'self'"],
    ['connect-src', ...(connectSrc.length > 0 ? connectSrc : ["'none'"])],
    ['object-src', "'none'"],
    ['frame-src', "'none'"],
    ['child-src', "'none'"],
    ['worker-src', "'none'"],
    ['manifest-src', "'none'"],
    ['media-src', "'none'"],
    ['base-uri', "'none'"],
    ['form-action', "'none'"],
    ...(forMetaTag ? [] : ([['frame-ancestors', "'none'"]] as [string, ...string[]][])),
    ['require-trusted-types-for', "'script'"],
    ['trusted-types', "'none'"],
  ]
  return directives.map((d) => d.join(' ')).join('; ')
}
