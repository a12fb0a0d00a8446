/**
 * Serves the renderer build on app://escape-hatch/ from the folder inside the (integrity-checked) asar. The scheme is
 * registered as privileged (standard + secure) before the app is ready; see index.ts.
 */
import { readFile } from 'node:fs/promises'
import { protocol } from 'electron'
import { APP_HOST, APP_SCHEME } from './policy/appOrigin'
import { buildContentSecurityPolicy } from '../../shared/ipc/contentSecurityPolicy'
import { resolveRendererAsset } from './policy/resolveRendererAsset'
import { buildResponseHeaders } from './policy/responseHeaders'

export const APP_SCHEME_PRIVILEGES = { standard: true, secure: true, supportFetchAPI: true, codeCache: true } as const

export function registerAppProtocol(rendererDir: string): void {
  const csp = buildContentSecurityPolicy()
  protocol.handle(APP_SCHEME, async (request) => {
    const url = new URL(request.url)
    const asset = url.hostname === APP_HOST && request.method === 'GET' ? resolveRendererAsset(rendererDir, url.pathname) : undefined
    if (!asset) return new Response('Not found', { status: 404, headers: buildResponseHeaders('text/plain; charset=utf-8', csp) })
    try {
      return new Response(await readFile(asset.file), { status: 200, headers: buildResponseHeaders(asset.contentType, csp) })
    } catch {
      return new Response('Not found', { status: 404, headers: buildResponseHeaders('text/plain; charset=utf-8', csp) })
    }
  })
}
