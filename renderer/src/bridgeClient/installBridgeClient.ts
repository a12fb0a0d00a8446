/**
 * Entry script the loopback bridge injects before the app's own script (it is not part of the Electron build). It
 * defines `window.escapeHatch` with the same shape and the same builder as Electron's preload, read-only like
 * contextBridge's, and denies new windows as Electron main does. The run's token comes from the page URL the bridge
 * printed (`?token=...`).
 */
// First: must take effect before any zod schema is created (see the module).
import '../../../shared/ipc/configureZodForCsp'
import { createEscapeHatchApi } from '../../../shared/ipc/createEscapeHatchApi'
import { BRIDGE_SOCKET_PATH } from '../../../shared/ipc/bridgeProtocol'
import { connectBridge } from './connectBridge'

const token = new URLSearchParams(window.location.search).get('token') ?? ''
const socketUrl = `ws://${window.location.host}${BRIDGE_SOCKET_PATH}?token=${encodeURIComponent(token)}`
const transport = connectBridge(socketUrl, (problem) => console.error(`[escape-hatch bridge] ignored ${problem}`))

// defineProperty rather than assignment: non-writable and non-configurable, so page code cannot swap the API out.
Object.defineProperty(window, 'escapeHatch', { value: createEscapeHatchApi(transport), writable: false, configurable: false, enumerable: true })
// Electron main denies every new window (setWindowOpenHandler); do the same here.
Object.defineProperty(window, 'open', { value: () => null, writable: false, configurable: false })
