/**
 * Headers on every response that serves the app's pages and assets (app:// in Electron, http://127.0.0.1 in the
 * bridge): the CSP, no MIME sniffing, no referrer, an isolated browsing context, no caching, and no powerful
 * browser features (the Ledger is reached from the main process, never through WebHID/WebUSB).
 */
const PERMISSIONS_POLICY = ['camera', 'microphone', 'geolocation', 'hid', 'usb', 'serial', 'bluetooth', 'payment', 'clipboard-read', 'display-capture']
  .map((feature) => `${feature}=()`)
  .join(', ')

export function buildResponseHeaders(contentType: string, contentSecurityPolicy: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': contentSecurityPolicy,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': PERMISSIONS_POLICY,
    'Cache-Control': 'no-store',
  }
}
