/**
 * The only module that touches `window.escapeHatch` (lint enforces it). Whether the API comes from Electron's
 * preload or the loopback bridge's client is invisible here: both are built from shared/ipc by the same function.
 * Everything the rest of the renderer needs goes through `invoke` and `onEvent`, which turn error data back into
 * error classes (so `instanceof` and `kind` work) and keep the contract's types.
 */
import { EscapeError, registerErrorClass } from '../../shared/errors/EscapeError'
import type { EscapeHatchApi, EventName, EventPayload, InvokeName, InvokeRequest, InvokeResponse } from '../../shared/ipc/contract'
import { unwrapIpcResult } from '../../shared/ipc/unwrapIpcResult'
import type { IpcResult } from '../../shared/ipc/wire'

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

type RequestArgs<K extends InvokeName> = Parameters<EscapeHatchApi[K]>

/** Call one channel of the contract; resolves with the checked response, rejects with the re-hydrated error. */
export async function invoke<K extends InvokeName>(name: K, ...args: RequestArgs<K>): Promise<InvokeResponse<K>> {
  // The mapped type cannot be called generically; the cast restates what EscapeHatchApi[K] is.
  const method = api()[name] as unknown as (request?: InvokeRequest<K>) => Promise<IpcResult<InvokeResponse<K>>>
  return unwrapIpcResult(await method(...(args as [InvokeRequest<K>?])))
}

/** Listen to one event; a payload that fails the contract goes to `onError` instead of `listener`. */
export function onEvent<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void, onError: (error: EscapeError) => void): () => void {
  return api().on(name, (result) => {
    let payload: EventPayload<E>
    try {
      payload = unwrapIpcResult(result)
    } catch (error) {
      onError(error as EscapeError)
      return
    }
    listener(payload)
  })
}
