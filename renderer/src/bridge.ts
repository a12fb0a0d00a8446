/**
 * The only module that touches `window.escapeHatch` (lint enforces it). Whether the API comes from Electron's
 * preload or the loopback bridge's client is invisible here: both are built from shared/ipc by the same function.
 * Everything the rest of the renderer needs goes through `invoke` and `onEvent` (shared/ipc/callApi), which turn
 * error data back into error classes (so `instanceof` and `kind` work) and keep the contract's types.
 */
import { EscapeError, registerErrorClass } from '../../shared/errors/EscapeError'
import { invokeApi, onApiEvent } from '../../shared/ipc/callApi'
import type { EscapeHatchApi, EventName, EventPayload, InvokeName, InvokeResponse } from '../../shared/ipc/contract'

declare global {
  interface Window {
    escapeHatch?: EscapeHatchApi
  }
}

export class AppApiMissingError extends EscapeError {
  override name = 'AppApiMissingError'
  constructor() {
    super('This page is not connected to Escape Hatch.', {
      kind: 'user-action',
      steps: ['Open Escape Hatch from its app icon, or open the address the bridge printed (it includes a one-time token).'],
    })
  }
}
registerErrorClass('AppApiMissingError', AppApiMissingError)

function api(): EscapeHatchApi {
  const value = window.escapeHatch
  if (!value) throw new AppApiMissingError()
  return value
}

/** Call one channel of the contract; resolves with the checked response, rejects with the re-hydrated error. */
export function invoke<K extends InvokeName>(name: K, ...args: Parameters<EscapeHatchApi[K]>): Promise<InvokeResponse<K>> {
  return invokeApi(api(), name, ...args)
}

/** Listen to one event; a payload that fails the contract goes to `onError` instead of `listener`. */
export function onEvent<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void, onError: (error: EscapeError) => void): () => void {
  return onApiEvent(api(), name, listener, onError)
}
