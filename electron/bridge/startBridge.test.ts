import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { EscapeError } from '../../shared/errors/EscapeError'
import { startIpcServices, type IpcServices } from '../services/ipc/startIpcServices'
import { startBridge } from './startBridge'

let services: IpcServices
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-bridge-home-'))
beforeAll(async () => {
  services = await startIpcServices({ dataDir: home, customDataDir: true, version: '0.1.0', platform: 'linux' })
})
afterAll(() => {
  services.stop()
  fs.rmSync(home, { recursive: true, force: true })
})

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

function rendererDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-bridge-'))
  dirs.push(dir)
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text)
  return dir
}

async function startError(dir: string): Promise<EscapeError> {
  try {
    const bridge = await startBridge({ router: services.router, rendererDir: dir })
    await bridge.close()
  } catch (error) {
    return error as EscapeError
  }
  throw new Error('the bridge started')
}

const csp = `<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;">`

describe('startBridge', () => {
  it('refuses to start without the bridge build, with the command that makes it', async () => {
    const error = await startError(rendererDir({ 'index.html': `<html><head>${csp}<script type="module" src="./a.js"></script></head></html>` }))
    expect(error.shortMessage).toBe('The renderer has not been built for the bridge.')
    expect(error.steps[0]).toContain('vite build --config renderer/vite.config.ts')
  })

  it('refuses to serve a build whose page has no CSP meta tag', async () => {
    const error = await startError(rendererDir({ 'index.html': '<html><head><script type="module" src="./a.js"></script></head></html>', 'bridge-client.js': '' }))
    expect(error.shortMessage).toMatch(/no Content-Security-Policy meta tag/)
  })

  it('serves the page with its own CSP and the client loaded before the app', async () => {
    const dir = rendererDir({ 'index.html': `<html><head>${csp}<script type="module" src="./app.js"></script></head></html>`, 'bridge-client.js': '', 'app.js': '' })
    const bridge = await startBridge({ router: services.router, rendererDir: dir })
    try {
      const response = await fetch(bridge.url)
      const html = await response.text()
      const header = response.headers.get('content-security-policy')
      expect(header).toContain(`connect-src ws://127.0.0.1:${bridge.port};`)
      expect(header).toContain("frame-ancestors 'none'")
      expect(html).toContain(`connect-src ws://127.0.0.1:${bridge.port};`)
      expect(html.indexOf('src="./bridge-client.js"')).toBeLessThan(html.indexOf('src="./app.js"'))
      expect(bridge.token).toMatch(/^[A-Za-z0-9_-]{43}$/)
    } finally {
      await bridge.close()
    }
  })
})
