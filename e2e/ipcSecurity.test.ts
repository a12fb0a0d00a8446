/**
 * IPC security through the loopback bridge, with the real router and handlers behind it: what a compromised or
 * foreign page could try. Electron's own navigation/window/permission policy cannot run here (no Electron binary);
 * it is unit-tested in electron/main/policy. This suite checks the bridge's equivalent and the shared router.
 */
import * as http from 'node:http'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket as NodeWebSocket } from 'ws'
import { BRIDGE_SOCKET_PATH } from '../shared/ipc/bridgeProtocol'
import { invokeNames } from '../shared/ipc/contract'
import { artifactsDir, startAppUnderTest, type AppUnderTest } from './support/startAppUnderTest'
import { ARB_JOB, seedJobs } from './support/seedJobs'
import type { BrowserGlobals } from './support/browserGlobals'

let app: AppUnderTest

beforeAll(async () => {
  app = await startAppUnderTest((services) => seedJobs(services.journal))
  await app.page.goto(app.bridge.url)
  await app.page.getByRole('navigation', { name: 'Jobs' }).getByRole('link').first().waitFor()
})
afterAll(async () => {
  await app?.stop()
})

type RawResult = { ok: boolean; error?: { name: string; shortMessage: string; steps: string[]; details?: string } }

/** Speak the bridge protocol directly from inside our own page (what injected script could do). */
async function rawInvoke(channel: string, payload: unknown): Promise<RawResult> {
  return app.page.evaluate(
    async ({ channel, payload, path }) => {
      const { location, WebSocket } = globalThis as unknown as BrowserGlobals
      const token = new URLSearchParams(location.search).get('token') ?? ''
      const socket = new WebSocket(`ws://${location.host}${path}?token=${encodeURIComponent(token)}`)
      await new Promise((resolve, reject) => {
        socket.onopen = resolve
        socket.onerror = reject
      })
      const reply = new Promise<string>((resolve) => (socket.onmessage = (m) => resolve(String(m.data))))
      socket.send(JSON.stringify({ type: 'invoke', id: 1, channel, payload }))
      const frame = JSON.parse(await reply) as { result: unknown }
      socket.close()
      return frame.result as RawResult
    },
    { channel, payload, path: BRIDGE_SOCKET_PATH },
  )
}

/** Try a WebSocket upgrade from Node; resolves with the HTTP status of the refusal, or 101 when it was accepted. */
function upgradeStatus(query: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new NodeWebSocket(`ws://127.0.0.1:${app.bridge.port}${BRIDGE_SOCKET_PATH}${query}`, { headers: { Origin: app.bridge.origin, ...headers } })
    socket.on('open', () => {
      socket.close()
      resolve(101)
    })
    socket.on('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0)
      socket.terminate()
    })
    socket.on('error', (error) => reject(error))
  })
}

function httpStatus(path: string, host = `127.0.0.1:${app.bridge.port}`): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port: app.bridge.port, path, headers: { Host: host } }, (response) => {
      response.resume()
      resolve(response.statusCode ?? 0)
    })
    request.on('error', reject)
  })
}

describe('IPC security through the bridge', () => {
  it('exposes exactly the contract as a read-only window.escapeHatch', async () => {
    const shape = await app.page.evaluate(() => {
      const window = globalThis as unknown as BrowserGlobals
      const api = window.escapeHatch!
      const descriptor = Object.getOwnPropertyDescriptor(window, 'escapeHatch')
      let replaced = true
      try {
        window.escapeHatch = {}
        replaced = window.escapeHatch !== api
      } catch {
        replaced = false
      }
      return { keys: Object.keys(api).sort(), frozen: Object.isFrozen(api), writable: descriptor?.writable, configurable: descriptor?.configurable, replaced }
    })
    // Exactly the contract's invokes plus `on` (events): nothing else reaches the page.
    const expectedKeys = [...invokeNames, 'on'].sort()
    expect(expectedKeys).toEqual(expect.arrayContaining(['getJob', 'startDrill', 'previewEscape', 'diagnose', 'on']))
    expect(shape).toEqual({ keys: expectedKeys, frozen: true, writable: false, configurable: false, replaced: false })
  })

  it('rejects an unknown channel', async () => {
    const result = await rawInvoke('shell:exec', { command: 'rm -rf ~' })
    expect(result.ok).toBe(false)
    expect(result.error).toMatchObject({ name: 'IpcUnknownChannelError', shortMessage: 'The app received a request for an action it does not have.' })
    expect(result.error?.details).toBe('Unknown channel: shell:exec')
    expect((await rawInvoke('__proto__', {})).error?.name).toBe('IpcUnknownChannelError')
  })

  it('rejects malformed payloads with a clear error, and the window shows it as such', async () => {
    const raw = await rawInvoke('jobs:get', { jobId: 42 })
    expect(raw.error).toMatchObject({ name: 'IpcInvalidPayloadError', shortMessage: 'The app received a malformed request and refused it.' })
    expect(raw.error?.details).toContain('jobId:')

    // A tampered link: the job id reaches the router as written and is refused there.
    const { page } = app
    await page.goto(`${app.bridge.url}#/jobs/..%2F..%2F..%2Fetc%2Fpasswd`)
    const panel = page.getByRole('alert').filter({ hasText: 'The app received a malformed request and refused it.' })
    await panel.waitFor()
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Job could not be opened')
    expect(await panel.getByRole('listitem').allInnerTexts()).toEqual([
      'Nothing was changed. Go back and try again.',
      'If this keeps happening, restart Escape Hatch and report the details below.',
    ])
    await panel.getByText('Technical details').click()
    expect(await panel.locator('pre').innerText()).toContain('Channel: jobs:get (request)')
    expect(await panel.locator('pre').innerText()).toContain('jobId: expected a job id')
    await page.screenshot({ path: path.join(artifactsDir, 'ipc-malformed-request.png') })
  })

  it('closes a connection that sends frames outside the bridge protocol', async () => {
    const code = await app.page.evaluate(async (path) => {
      const { location, WebSocket } = globalThis as unknown as BrowserGlobals
      const token = new URLSearchParams(location.search).get('token') ?? ''
      const socket = new WebSocket(`ws://${location.host}${path}?token=${encodeURIComponent(token)}`)
      await new Promise((resolve) => (socket.onopen = resolve))
      const closed = new Promise<number>((resolve) => (socket.onclose = (e) => resolve(e.code)))
      socket.send('{"type":"invoke","channel":"jobs:list"}')
      return closed
    }, BRIDGE_SOCKET_PATH)
    expect(code).toBe(1008)
  })

  it('refuses a missing or wrong token, a foreign origin and a foreign host name', async () => {
    const good = `?token=${encodeURIComponent(app.bridge.token)}`
    expect(await upgradeStatus(good)).toBe(101)
    expect(await upgradeStatus('')).toBe(401)
    expect(await upgradeStatus('?token=')).toBe(401)
    expect(await upgradeStatus(`?token=${encodeURIComponent(app.bridge.token.slice(0, -1))}x`)).toBe(401)
    expect(await upgradeStatus(good, { Origin: 'https://evil.example' })).toBe(403)
    expect(await upgradeStatus(good, { Origin: 'null' })).toBe(403)
    expect(await upgradeStatus(good, { Host: `evil.example:${app.bridge.port}` })).toBe(421)

    expect(await httpStatus(`/${good}`)).toBe(200)
    expect(await httpStatus('/')).toBe(401)
    expect(await httpStatus('/?token=wrong')).toBe(401)
    expect(await httpStatus(`/${good}`, `rebind.example:${app.bridge.port}`)).toBe(421)
    expect(await httpStatus('/../../etc/passwd')).toBe(404)
  })

  it('a page opened without the token gets no app and no API', async () => {
    const page = await app.newPage()
    try {
      const response = await page.goto(`${app.bridge.origin}/`)
      expect(response?.status()).toBe(401)
      expect(await page.locator('body').innerText()).toContain('it includes a one-time token')
      expect(await page.evaluate(() => 'escapeHatch' in globalThis)).toBe(false)
    } finally {
      await page.close()
    }
  })

  it('blocks navigation away from the app: links, new windows, forms and frames', async () => {
    const { page } = app
    await page.goto(`${app.bridge.url}#/jobs/${ARB_JOB.id}`)
    await page.getByRole('article', { name: ARB_JOB.title }).waitFor()
    const before = page.url()
    const pagesBefore = app.context.pages().length

    // A link to another site, as injected content might add (the CSP's Trusted Types rule out innerHTML).
    await page.evaluate(() => {
      const { document } = globalThis as unknown as BrowserGlobals
      const a = document.createElement('a')
      a.href = 'https://example.com/steal'
      a.textContent = 'Claim your airdrop'
      a.id = 'foreign-link'
      document.querySelector('main')?.prepend(a)
    })
    await page.locator('#foreign-link').click()
    await page.getByRole('alert').filter({ hasText: 'Escape Hatch does not open other pages or sites.' }).waitFor()
    await page.screenshot({ path: path.join(artifactsDir, 'navigation-blocked.png') })
    await page.locator('#foreign-link').click({ button: 'middle' })
    expect(page.url()).toBe(before)

    // window.open is denied, as Electron's setWindowOpenHandler does.
    expect(await page.evaluate(() => (globalThis as unknown as BrowserGlobals).open('https://example.com/popup'))).toBeNull()

    // Forms and frames are stopped by the CSP (form-action 'none', frame-src 'none') before any request is made.
    const violations = await page.evaluate(async () => {
      const { document } = globalThis as unknown as BrowserGlobals
      const seen: string[] = []
      document.addEventListener('securitypolicyviolation', (e) => seen.push(e.effectiveDirective))
      const form = document.createElement('form')
      form.action = 'https://example.com/collect'
      form.method = 'post'
      document.body.append(form)
      form.submit()
      const frame = document.createElement('iframe')
      frame.src = 'https://example.com/frame'
      document.body.append(frame)
      await new Promise((r) => setTimeout(r, 300))
      // The policy is enforced twice (response header and meta tag), so each violation is reported twice.
      return [...new Set(seen)].sort()
    })
    expect(violations).toEqual(['form-action', 'frame-src'])
    expect(page.url()).toBe(before)
    expect(app.context.pages().length).toBe(pagesBefore)
  })

  it('no request left loopback during the run', () => {
    expect(app.requests.length).toBeGreaterThan(0)
    expect(app.offLoopback).toEqual([])
    for (const url of app.requests) expect(new URL(url).hostname).toBe('127.0.0.1')
  })
})
