/**
 * Map a request path of our own origin to a file of the renderer build, for the app:// protocol handler (Electron)
 * and the loopback bridge's static server. Only files inside the build folder, only known types; anything else is
 * "not found" rather than an error page (nothing about the file system leaks to the page).
 */
import * as path from 'node:path'

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
}

export interface RendererAsset {
  file: string
  contentType: string
}

/** `pathname` is the URL's pathname (still percent-encoded); `/` means index.html. */
export function resolveRendererAsset(rootDir: string, pathname: string): RendererAsset | undefined {
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return undefined
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined
  const relative = decoded === '/' || decoded === '' ? 'index.html' : decoded.replace(/^\/+/, '')
  const root = path.resolve(rootDir)
  const file = path.resolve(root, relative)
  if (!file.startsWith(root + path.sep)) return undefined
  // Dot-files and source maps are not part of what the page needs.
  if (relative.split('/').some((segment) => segment.startsWith('.'))) return undefined
  const contentType = CONTENT_TYPES[path.extname(file).toLowerCase()]
  return contentType ? { file, contentType } : undefined
}
