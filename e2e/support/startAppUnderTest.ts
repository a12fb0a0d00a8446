/**
 * The app under test: a temp data folder, the real services (journal, router, handlers, job feed) and the loopback
 * bridge, opened in Debian Chromium with a fresh profile. Every request the page makes is recorded; anything that is
 * not this bridge is refused and kept in `offLoopback` so a test can assert nothing tried to leave the machine.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { startBridge, type Bridge } from '../../electron/bridge/startBridge'
import { startIpcServices, type IpcServices } from '../../electron/services/ipc/startIpcServices'
import { jobsDir } from '../../electron/services/paths'

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

export async function startAppUnderTest(seed: (services: IpcServices) => Promise<void> = async () => {}): Promise<AppUnderTest> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-e2e-home-'))
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-e2e-profile-'))
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }
  const services = await startIpcServices({ dataDir: home, customDataDir: true, version: pkg.version, platform: 'linux' })
  let bridge: Bridge | undefined
  let context: BrowserContext | undefined
  try {
    await seed(services)
    bridge = await startBridge({ router: services.router, rendererDir: path.join(repoRoot, 'out/bridge-renderer') })
    const bridgeHost = `127.0.0.1:${bridge.port}`
    context = await chromium.launchPersistentContext(profile, {
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
      if (new URL(url).host === bridgeHost) return route.continue()
      offLoopback.push(url)
      return route.abort('blockedbyclient')
    })
    const watch = (page: Page) => {
      page.on('request', (request) => requests.push(request.url()))
      page.on('websocket', (socket) => {
        requests.push(socket.url())
        if (new URL(socket.url()).host !== bridgeHost) offLoopback.push(socket.url())
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
        await ctx.close()
        await br.close()
        services.stop()
        fs.rmSync(home, { recursive: true, force: true })
        fs.rmSync(profile, { recursive: true, force: true })
      },
    }
  } catch (error) {
    await context?.close()
    await bridge?.close()
    services.stop()
    throw error
  }
}
