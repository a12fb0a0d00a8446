/**
 * Session-wide rules, applied before any window exists: no permissions, no devices, no request leaves app:// (and
 * data:), and every response carries the CSP. The decisions are the pure, unit-tested functions in ./policy.
 */
import type { Session } from 'electron'
import { buildContentSecurityPolicy } from '../../shared/ipc/contentSecurityPolicy'
import { isPermissionGranted, isRequestAllowed } from './policy/navigationPolicy'

export function hardenSession(session: Session): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => callback(isPermissionGranted(permission)))
  session.setPermissionCheckHandler((_contents, permission) => isPermissionGranted(permission))
  session.setDevicePermissionHandler(() => false)
  session.setDisplayMediaRequestHandler((_request, callback) => callback({}))
  session.webRequest.onBeforeRequest((details, callback) => callback({ cancel: !isRequestAllowed(details.url) }))
  const csp = buildContentSecurityPolicy()
  session.webRequest.onHeadersReceived((details, callback) =>
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } }),
  )
}
