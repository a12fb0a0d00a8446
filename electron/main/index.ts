/**
 * Electron main: app lifecycle and wiring only. Policy lives in ./policy (pure, unit-tested), the services behind the
 * window in electron/services (plain Node, shared with the CLI and the loopback bridge).
 */
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { app, BrowserWindow, dialog, protocol, session } from 'electron'
import { dataDir } from '../services/paths'
import { errorLogText } from '../../shared/errors/redactUrls'
import { startIpcServices, type IpcServices } from '../services/ipc/startIpcServices'
import { hardenSession } from './hardenSession'
import { APP_ENTRY_URL, APP_SCHEME } from './policy/appOrigin'
import { buildWindowOptions } from './policy/buildWindowOptions'
import { decideWindowOpen, isNavigationAllowed } from './policy/navigationPolicy'
import { APP_SCHEME_PRIVILEGES, registerAppProtocol } from './registerAppProtocol'
import { wireIpc } from './wireIpc'
import { createElectronFileDialog } from './createElectronFileDialog'

const here = path.dirname(fileURLToPath(import.meta.url))
const rendererDir = path.join(here, '../renderer')
const preloadPath = path.join(here, '../preload/index.cjs')

const home = dataDir(process.env)
// Keep Chromium's profile with the rest of our data, so a portable ESCAPE_HATCH_HOME carries everything.
app.setPath('userData', path.join(home, 'electron-profile'))
app.enableSandbox()
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }])

let mainWindow: BrowserWindow | undefined
let services: IpcServices | undefined

if (!app.requestSingleInstanceLock()) {
  // Two windows over one journal would race for the same jobs: hand over to the running instance.
  app.quit()
} else {
  app.on('second-instance', () => {
    if (!mainWindow) return
    if (mainWindow.isMinimized()) mainWindow.restore()
    mainWindow.focus()
  })

  // Applies to every web contents the app ever creates, including ones we did not expect.
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => {
      if (!isNavigationAllowed(event.url)) event.preventDefault()
    })
    contents.on('will-redirect', (event) => {
      if (!isNavigationAllowed(event.url)) event.preventDefault()
    })
    contents.on('will-frame-navigate', (event) => {
      if (!isNavigationAllowed(event.url)) event.preventDefault()
    })
    contents.on('will-attach-webview', (event) => event.preventDefault())
    contents.setWindowOpenHandler(({ url }) => decideWindowOpen(url))
  })

  app.on('window-all-closed', () => app.quit())
  app.on('will-quit', () => services?.stop())

  app.whenReady().then(start, (error: unknown) => fail(error))
}

async function start(): Promise<void> {
  hardenSession(session.defaultSession)
  registerAppProtocol(rendererDir)
  services = await startIpcServices({
    dataDir: home,
    customDataDir: Boolean(process.env.ESCAPE_HATCH_HOME?.trim()),
    version: app.getVersion(),
    platform: process.platform,
    onUnexpectedError: (error, where) => console.error(`[escape-hatch] unexpected error in ${where}: ${errorLogText(error)}`),
    fileDialog: createElectronFileDialog(dialog, () => mainWindow),
  })
  const window = new BrowserWindow(buildWindowOptions({ preloadPath, devTools: !app.isPackaged }))
  mainWindow = window
  const unwire = wireIpc(services.router, window)
  window.once('ready-to-show', () => window.show())
  window.on('closed', () => {
    unwire()
    mainWindow = undefined
  })
  await window.loadURL(APP_ENTRY_URL)
}

function fail(error: unknown): void {
  console.error(`[escape-hatch] could not start: ${errorLogText(error)}`)
  app.exit(1)
}
