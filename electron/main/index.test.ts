// The main process's wiring, with Electron replaced by a recording fake: every hardening hook index.ts,
// hardenSession.ts and wireIpc.ts install is called the way Electron would call it, and must refuse. The pure
// decisions behind the hooks are tested in ./policy; this file checks they are actually wired in.
// tools/mutate-electron.ts removes each hook in turn and checks that a test here fails.
import type { EventEmitter } from 'node:events'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { buildContentSecurityPolicy } from '../../shared/ipc/contentSecurityPolicy'

type Handler = (...args: never[]) => unknown

const fake = await vi.hoisted(async () => {
  const { EventEmitter: Emitter } = await import('node:events')
  const state = {
    Emitter,
    calls: [] as string[],
    singleInstanceLock: true,
    appHandlers: new Map<string, Handler[]>(),
    session: {} as Record<string, Handler>,
    ipcHandlers: new Map<string, Handler>(),
    windows: [] as { options: { webPreferences?: Record<string, unknown> }; webContents: Record<string, unknown>; loadedUrl?: string }[],
    protocolHandlers: new Map<string, Handler>(),
    resolveReady: undefined as undefined | (() => void),
  }
  return state
})


function fakeContents(url = 'app://escape-hatch/index.html') {
  const contents = new fake.Emitter() as EventEmitter & Record<string, unknown>
  contents.mainFrame = { processId: 7, routingId: 1, url }
  contents.isDestroyed = () => false
  contents.send = vi.fn()
  contents.windowOpenHandler = undefined
  contents.setWindowOpenHandler = (h: Handler) => {
    contents.windowOpenHandler = h
  }
  return contents
}

vi.mock('electron', () => {
  const on = (event: string, handler: Handler) => {
    fake.appHandlers.set(event, [...(fake.appHandlers.get(event) ?? []), handler])
  }
  const app = {
    setPath: () => {},
    enableSandbox: () => fake.calls.push('app.enableSandbox'),
    requestSingleInstanceLock: () => {
      fake.calls.push('app.requestSingleInstanceLock')
      return fake.singleInstanceLock
    },
    quit: () => fake.calls.push('app.quit'),
    exit: (code: number) => fake.calls.push(`app.exit(${code})`),
    on,
    whenReady: () => new Promise<void>((resolve) => (fake.resolveReady = resolve)),
    getVersion: () => '0.0.0-test',
    isPackaged: true,
  }
  const recordSession = (name: string) => (handler: Handler) => {
    fake.session[name] = handler
  }
  const defaultSession = {
    setPermissionRequestHandler: recordSession('permissionRequest'),
    setPermissionCheckHandler: recordSession('permissionCheck'),
    setDevicePermissionHandler: recordSession('devicePermission'),
    setDisplayMediaRequestHandler: recordSession('displayMedia'),
    webRequest: { onBeforeRequest: recordSession('beforeRequest'), onHeadersReceived: recordSession('headersReceived') },
  }
  class BrowserWindow extends fake.Emitter {
    webContents = fakeContents()
    constructor(readonly options: { webPreferences?: Record<string, unknown> }) {
      super()
      fake.windows.push(this as never)
    }
    async loadURL(url: string) {
      ;(this as unknown as { loadedUrl: string }).loadedUrl = url
    }
    show() {}
    isMinimized() {
      return false
    }
    restore() {}
    focus() {}
  }
  return {
    app,
    BrowserWindow,
    session: { defaultSession },
    protocol: { registerSchemesAsPrivileged: () => {}, handle: (scheme: string, h: Handler) => fake.protocolHandlers.set(scheme, h) },
    dialog: { showSaveDialog: async () => ({ canceled: true, filePath: '' }), showOpenDialog: async () => ({ canceled: true, filePaths: [] }) },
    ipcMain: {
      handle: (channel: string, h: Handler) => fake.ipcHandlers.set(channel, h),
      removeHandler: (channel: string) => fake.ipcHandlers.delete(channel),
    },
  }
})

let home: string
beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-main-'))
  vi.stubEnv('ESCAPE_HATCH_HOME', home)
  fake.calls = []
  fake.singleInstanceLock = true
  fake.appHandlers.clear()
  fake.session = {}
  fake.ipcHandlers.clear()
  fake.windows = []
  fake.protocolHandlers.clear()
  fake.resolveReady = undefined
  vi.resetModules()
})
afterEach(() => {
  for (const h of fake.appHandlers.get('will-quit') ?? []) (h as () => void)()
  vi.unstubAllEnvs()
  fs.rmSync(home, { recursive: true, force: true })
})

/** Loads electron/main/index.ts against the fake and lets `app.whenReady()` resolve; returns the main window. */
async function startMain() {
  await import('./index')
  if (!fake.resolveReady) return undefined
  fake.resolveReady()
  await vi.waitFor(() => expect(fake.windows[0]?.loadedUrl).toBeDefined(), { timeout: 10_000, interval: 10 })
  return fake.windows[0]!
}

function emitCreated() {
  const contents = fakeContents()
  for (const h of fake.appHandlers.get('web-contents-created') ?? []) (h as (e: unknown, c: unknown) => void)({}, contents)
  return contents
}

function navigationEvent(url: string) {
  return { url, preventDefault: vi.fn() }
}

describe('electron main wiring (Electron replaced by a recording fake)', () => {
  it('turns the sandbox on for every renderer and builds the window with sandbox and isolation', async () => {
    const window = await startMain()
    expect(fake.calls).toContain('app.enableSandbox')
    expect(window?.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webviewTag: false })
  })

  it('takes the single-instance lock and quits when another instance holds it', async () => {
    fake.singleInstanceLock = false
    await import('./index')
    expect(fake.calls).toContain('app.requestSingleInstanceLock')
    expect(fake.calls).toContain('app.quit')
    expect(fake.resolveReady).toBeUndefined() // never waits for ready, never opens a window
    expect(fake.appHandlers.get('web-contents-created')).toBeUndefined()
    fake.resolveReady = undefined
  })

  it('cancels navigation away from the app in every web contents (will-navigate, will-redirect, will-frame-navigate)', async () => {
    await startMain()
    const contents = emitCreated()
    for (const name of ['will-navigate', 'will-redirect', 'will-frame-navigate']) {
      const away = navigationEvent('https://evil.example/')
      contents.emit(name, away)
      expect(away.preventDefault, name).toHaveBeenCalled()
      const inside = navigationEvent('app://escape-hatch/index.html#/jobs')
      contents.emit(name, inside)
      expect(inside.preventDefault, name).not.toHaveBeenCalled()
    }
  })

  it('refuses to attach a webview', async () => {
    await startMain()
    const contents = emitCreated()
    const attach = { preventDefault: vi.fn() }
    contents.emit('will-attach-webview', attach, {}, {})
    expect(attach.preventDefault).toHaveBeenCalled()
  })

  it('denies every new window', async () => {
    await startMain()
    const contents = emitCreated()
    const handler = contents.windowOpenHandler as ((d: { url: string }) => unknown) | undefined
    expect(handler).toBeTypeOf('function')
    expect(handler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' })
    expect(handler!({ url: 'app://escape-hatch/index.html' })).toEqual({ action: 'deny' })
  })

  it('grants no permission and no device', async () => {
    await startMain()
    const request = vi.fn()
    ;(fake.session.permissionRequest as (c: unknown, p: string, cb: (ok: boolean) => void) => void)({}, 'hid', request)
    expect(request).toHaveBeenCalledWith(false)
    expect((fake.session.permissionCheck as (c: unknown, p: string) => boolean)({}, 'media')).toBe(false)
    expect((fake.session.devicePermission as (d: unknown) => boolean)({ deviceType: 'hid', origin: 'app://escape-hatch' })).toBe(false)
  })

  it('cancels every request that leaves app:// and data:', async () => {
    await startMain()
    const decide = (url: string) => {
      const cb = vi.fn()
      ;(fake.session.beforeRequest as (d: { url: string }, cb: (r: { cancel: boolean }) => void) => void)({ url }, cb)
      return cb.mock.calls[0]?.[0] as { cancel: boolean } | undefined
    }
    expect(decide('https://evil.example/x.js')).toEqual({ cancel: true })
    expect(decide('file:///etc/passwd')).toEqual({ cancel: true })
    expect(decide('app://escape-hatch/assets/app.js')).toEqual({ cancel: false })
  })

  it('puts the CSP on every response', async () => {
    await startMain()
    const cb = vi.fn()
    ;(fake.session.headersReceived as (d: unknown, cb: (r: unknown) => void) => void)({ url: 'app://escape-hatch/index.html', responseHeaders: { 'X-Other': ['1'] } }, cb)
    expect(cb).toHaveBeenCalledWith({ responseHeaders: { 'X-Other': ['1'], 'Content-Security-Policy': [buildContentSecurityPolicy()] } })
  })

  it('answers IPC only from the main frame of its own window showing the app', async () => {
    const window = await startMain()
    const contents = window!.webContents
    const invoke = fake.ipcHandlers.get('app:get-info') as (event: unknown, payload: unknown) => Promise<{ ok: boolean; error?: { name: string } }>
    expect(invoke).toBeTypeOf('function')
    const mainFrame = contents.mainFrame as { processId: number; routingId: number; url: string }
    const trusted = await invoke({ sender: contents, senderFrame: mainFrame }, {})
    expect(trusted, JSON.stringify(trusted)).toMatchObject({ ok: true })
    // Another web contents (a second window, a devtools page) even with a frame that looks like ours.
    expect(await invoke({ sender: fakeContents(), senderFrame: mainFrame }, {})).toMatchObject({ ok: false, error: { name: 'IpcUntrustedSenderError' } })
    // A subframe of our window, and our frame after it was navigated elsewhere.
    expect(await invoke({ sender: contents, senderFrame: { ...mainFrame, routingId: 2 } }, {})).toMatchObject({ ok: false, error: { name: 'IpcUntrustedSenderError' } })
    expect(await invoke({ sender: contents, senderFrame: { ...mainFrame, url: 'https://evil.example/' } }, {})).toMatchObject({ ok: false, error: { name: 'IpcUntrustedSenderError' } })
  })
})
