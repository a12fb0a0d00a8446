/**
 * The app under test: a temp data folder, the real services (journal, router, handlers, job feed) and the loopback
 * bridge, opened in Debian Chromium with a fresh profile. Every request the page makes is recorded; anything that is
 * not this bridge is refused and kept in `offLoopback` so a test can assert nothing tried to leave the machine.
 *
 * `stop()` is bounded: each step (close chromium, the bridge, the services and any drill or rebuild with its anvil)
 * gets a time limit, and then every process started since this app was started (chromium and its helpers, anvil)
 * that is still alive is killed by PID, so a stuck teardown can neither hang the run nor leave processes behind.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { startBridge, type Bridge } from '../../electron/bridge/startBridge'
import { startIpcServices, type IpcServices } from '../../electron/services/ipc/startIpcServices'
import { jobsDir } from '../../electron/services/paths'
import { listDescendantPids } from '../../electron/services/test-support/processTable'
import type { SoftLedgerDevice } from '../../electron/services/signers/soft-ledger/SoftLedgerTransport'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
export const artifactsDir = path.join(repoRoot, 'e2e/artifacts')

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
  '--no-first-run',
]

export interface AppUnderTest {
  home: string
  jobsDir: string
  services: IpcServices
  bridge: Bridge
  context: BrowserContext
  page: Page
  /** Every URL the page requested (HTTP and WebSocket). */
  requests: string[]
  /** Requests that were not for this bridge; they were aborted. Must stay empty. */
  offLoopback: string[]
  /** Console errors and uncaught page errors. */
  pageErrors: string[]
  /** Open a new page in the same profile with the same recording. */
  newPage(): Promise<Page>
  stop(): Promise<void>
}

export interface RecordedBrowser {
  context: BrowserContext
  page: Page
  requests: string[]
  offLoopback: string[]
  pageErrors: string[]
}

/**
 * Debian Chromium with a fresh profile that may reach only `allowedHost` (the bridge): every request is recorded,
 * anything else is aborted and kept in `offLoopback`; console errors and page errors are kept in `pageErrors`.
 */
export async function openRecordedBrowser(profile: string, allowedHost: string): Promise<RecordedBrowser> {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
    serviceWorkers: 'block',
  })
  const requests: string[] = []
  const offLoopback: string[] = []
  const pageErrors: string[] = []
  await context.route('**/*', (route) => {
    const url = route.request().url()
    if (new URL(url).host === allowedHost) return route.continue()
    offLoopback.push(url)
    return route.abort('blockedbyclient')
  })
  const watch = (page: Page) => {
    page.on('request', (request) => requests.push(request.url()))
    page.on('websocket', (socket) => {
      requests.push(socket.url())
      if (new URL(socket.url()).host !== allowedHost) offLoopback.push(socket.url())
    })
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text())
    })
    page.on('pageerror', (error) => pageErrors.push(error.message))
  }
  context.on('page', watch)
  const existing = context.pages()[0]
  if (existing) watch(existing)
  const page = existing ?? (await context.newPage())
  return { context, page, requests, offLoopback, pageErrors }
}

/** Each teardown step's limit; past it the step is abandoned and its processes are killed below. */
const STOP_STEP_MS = 20_000

export interface AppUnderTestOptions {
  /** The software Ledger behind the app's 'soft-ledger' signer, so the test can switch its faults (never over IPC). */
  softLedger?: SoftLedgerDevice
}

export async function startAppUnderTest(seed: (services: IpcServices) => Promise<void> = async () => {}, options: AppUnderTestOptions = {}): Promise<AppUnderTest> {
  const startedBefore = new Set(listDescendantPids(process.pid))
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-e2e-home-'))
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-e2e-profile-'))
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }
  const services = await startIpcServices({ dataDir: home, customDataDir: true, version: pkg.version, platform: 'linux', ...(options.softLedger ? { softLedger: options.softLedger } : {}) })
  let bridge: Bridge | undefined
  let context: BrowserContext | undefined
  try {
    await seed(services)
    bridge = await startBridge({ router: services.router, rendererDir: path.join(repoRoot, 'out/bridge-renderer') })
    const bridgeHost = `127.0.0.1:${bridge.port}`
    const browser = await openRecordedBrowser(profile, bridgeHost)
    context = browser.context
    const { page, requests, offLoopback, pageErrors } = browser
    const ctx = context
    const br = bridge
    return {
      home,
      jobsDir: jobsDir(home),
      services,
      bridge: br,
      context: ctx,
      page,
      requests,
      offLoopback,
      pageErrors,
      newPage: () => ctx.newPage(),
      async stop() {
        const problems: string[] = []
        await bounded(ctx.close(), 'closing chromium', problems)
        await bounded(br.close(), 'closing the bridge', problems)
        services.stop()
        await bounded(Promise.all([services.drill.stop(), services.opDerive.stop()]), 'stopping the drill and rebuild services', problems)
        const killed = killStartedSince(startedBefore)
        fs.rmSync(home, { recursive: true, force: true })
        fs.rmSync(profile, { recursive: true, force: true })
        if (problems.length > 0) throw new Error(`the app under test did not stop cleanly: ${problems.join('; ')}; killed ${killed.length} process(es) by PID`)
      },
    }
  } catch (error) {
    await bounded(context?.close(), 'closing chromium', [])
    await bounded(bridge?.close(), 'closing the bridge', [])
    services.stop()
    killStartedSince(startedBefore)
    throw error
  }
}

async function bounded(step: Promise<unknown> | undefined, what: string, problems: string[]): Promise<void> {
  let timer: NodeJS.Timeout | undefined
  const limit = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), STOP_STEP_MS)))
  try {
    const outcome = await Promise.race([step?.then(() => 'done' as const), limit])
    if (outcome === 'timeout') problems.push(`${what} took more than ${STOP_STEP_MS / 1000} s`)
  } catch (error) {
    problems.push(`${what} failed: ${error instanceof Error ? error.message : String(error)}`)
  } finally {
    clearTimeout(timer)
  }
}

/** SIGKILL every process below this one that was not there before the app started: chromium's, anvil. */
export function killStartedSince(before: ReadonlySet<number>): number[] {
  const strays = listDescendantPids(process.pid).filter((pid) => !before.has(pid))
  for (const pid of strays) {
    try {
      process.kill(pid, 'SIGKILL')
    } catch {
      // already gone
    }
  }
  return strays
}
