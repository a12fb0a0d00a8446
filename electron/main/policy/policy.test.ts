import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { APP_ENTRY_URL, APP_ORIGIN, isAppUrl } from './appOrigin'
import { buildWindowOptions } from './buildWindowOptions'
import { decideWindowOpen, isNavigationAllowed, isPermissionGranted, isRequestAllowed } from './navigationPolicy'
import { resolveRendererAsset } from './resolveRendererAsset'
import { buildResponseHeaders } from './responseHeaders'

describe('app origin', () => {
  it('recognises only our scheme and host', () => {
    expect(APP_ENTRY_URL).toBe('app://escape-hatch/index.html')
    expect(isAppUrl(APP_ENTRY_URL)).toBe(true)
    expect(isAppUrl(`${APP_ORIGIN}/#/jobs/x`)).toBe(true)
    for (const url of [
      'https://escape-hatch/index.html',
      'app://escape-hatch.evil.com/index.html',
      'app://evil/index.html',
      'app://user:pw@escape-hatch/index.html',
      'app://escape-hatch:8080/index.html',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'not a url',
      '',
    ]) expect(isAppUrl(url), url).toBe(false)
  })
})

describe('navigation policy', () => {
  it('allows navigation only within the app and never opens windows', () => {
    expect(isNavigationAllowed('app://escape-hatch/index.html#/jobs/a')).toBe(true)
    expect(isNavigationAllowed('https://etherscan.io/tx/0x00')).toBe(false)
    expect(isNavigationAllowed('http://127.0.0.1:5173/')).toBe(false)
    expect(isNavigationAllowed('file:///home/user/.ssh/id_rsa')).toBe(false)
    expect(decideWindowOpen('app://escape-hatch/index.html')).toEqual({ action: 'deny' })
    expect(decideWindowOpen('https://example.com')).toEqual({ action: 'deny' })
  })

  it('grants no browser permission', () => {
    for (const p of ['media', 'notifications', 'geolocation', 'clipboard-read', 'clipboard-sanitized-write', 'hid', 'usb', 'serial', 'openExternal', 'fullscreen']) {
      expect(isPermissionGranted(p), p).toBe(false)
    }
  })

  it('lets the page load only app:// and data: resources', () => {
    expect(isRequestAllowed('app://escape-hatch/assets/index-abc.js')).toBe(true)
    expect(isRequestAllowed('data:image/svg+xml,<svg/>')).toBe(true)
    expect(isRequestAllowed('devtools://devtools/bundled/inspector.html')).toBe(true)
    for (const url of ['https://rpc.ankr.com/eth', 'http://127.0.0.1:8545', 'ws://127.0.0.1:1', 'file:///etc/hosts', 'ftp://x', 'blob:app://escape-hatch/1']) {
      expect(isRequestAllowed(url), url).toBe(false)
    }
  })
})

describe('response headers', () => {
  it('carry the CSP and the hardening headers', () => {
    expect(buildResponseHeaders('text/html', 'x')).toMatchObject({ 'Content-Security-Policy': 'x', 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' })
    expect(buildResponseHeaders('text/html', 'x')['Permissions-Policy']).toContain('hid=()')
  })
})

describe('window options', () => {
  it('sets every security preference explicitly', () => {
    const options = buildWindowOptions({ preloadPath: '/app/out/preload/index.cjs', devTools: false })
    expect(options.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      devTools: false,
    })
    expect(options.webPreferences).not.toHaveProperty('enableBlinkFeatures')
    expect([options.width, options.height]).toEqual([1280, 800])
  })
})

describe('resolveRendererAsset', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-assets-'))

  it('maps paths inside the build folder to files with their type', () => {
    expect(resolveRendererAsset(root, '/')).toEqual({ file: path.join(root, 'index.html'), contentType: 'text/html; charset=utf-8' })
    expect(resolveRendererAsset(root, '/assets/index-abc.js')).toEqual({ file: path.join(root, 'assets/index-abc.js'), contentType: 'text/javascript; charset=utf-8' })
    expect(resolveRendererAsset(root, '/assets/a%20b.css')?.file).toBe(path.join(root, 'assets/a b.css'))
  })

  it('refuses traversal, odd encodings, dot-files and unknown types', () => {
    for (const p of ['/../etc/passwd.html', '/assets/../../x.js', '/%2e%2e/%2e%2e/etc/passwd.js', '/..%2f..%2fsecret.js', '/a%00.js', '/a\\..\\b.js', '/%E0%A4%A.js', '/.env', '/assets/.hidden.js', '/index.js.map', '/x.exe', '/assets']) {
      expect(resolveRendererAsset(root, p), p).toBeUndefined()
    }
  })
})
