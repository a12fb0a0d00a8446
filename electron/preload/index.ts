/**
 * The preload: exposes exactly one object, `window.escapeHatch`, built from the IPC contract. The page never sees
 * ipcRenderer, channel names or anything else; results and events arrive as plain data (errors included) because
 * the context bridge does not carry error classes.
 *
 * Runs sandboxed, so it is bundled to one CommonJS file (electron.vite.config.ts) with only `electron` external.
 */
// First: must take effect before any zod schema is created (see the module).
import '../../shared/ipc/configureZodForCsp'
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { createEscapeHatchApi } from '../../shared/ipc/createEscapeHatchApi'

contextBridge.exposeInMainWorld(
  'escapeHatch',
  createEscapeHatchApi({
    invoke: (channel, payload) => ipcRenderer.invoke(channel, payload),
    subscribe: (channel, listener) => {
      const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload)
      ipcRenderer.on(channel, forward)
      return () => {
        ipcRenderer.removeListener(channel, forward)
      }
    },
  }),
)
