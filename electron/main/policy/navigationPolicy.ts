/**
 * What a page may load or open. The app is one window showing one page: it never navigates away, never opens
 * windows, never embeds webviews and asks for no browser permissions (the Ledger is reached from main over node-hid,
 * not WebHID). Main calls these from its web-contents and session hooks; they are pure so the policy is unit-tested.
 */
import { APP_SCHEME, isAppUrl } from './appOrigin'

/** `will-navigate` / `will-redirect` / `will-frame-navigate`: only within our own origin (a reload, a hash change). */
export function isNavigationAllowed(url: string): boolean {
  return isAppUrl(url)
}

/** `setWindowOpenHandler`: no new windows, whatever the URL (links to explorers will go through a vetted IPC call). */
export function decideWindowOpen(_url: string): { action: 'deny' } {
  return { action: 'deny' }
}

/** Session permission request/check handlers: nothing is granted (camera, notifications, HID, clipboard read...). */
export function isPermissionGranted(_permission: string): boolean {
  return false
}

/**
 * `session.webRequest.onBeforeRequest`: the renderer may load only our own app:// resources and inline data: images.
 * Everything else — http(s), ws, file, ftp — is cancelled, so even a compromised page cannot reach the network.
 * devtools: is allowed so the inspector works in development builds (packaged builds disable devTools).
 */
export function isRequestAllowed(url: string): boolean {
  if (isAppUrl(url)) return true
  const scheme = url.slice(0, url.indexOf(':') + 1).toLowerCase()
  return scheme === 'data:' || scheme === 'devtools:'
}

export const ALLOWED_SCHEMES = [`${APP_SCHEME}:`, 'data:', 'devtools:'] as const
