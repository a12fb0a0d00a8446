/**
 * Typed invoke/on helpers over an `EscapeHatchApi`: results come back as values, errors are re-hydrated by name
 * (so `instanceof` and `kind` work), and event payloads that failed the contract go to `onError`.
 * The renderer's bridge.ts applies them to `window.escapeHatch`.
 */
import type { EscapeError } from '../errors/EscapeError'
import type { EscapeHatchApi, EventName, EventPayload, InvokeName, InvokeRequest, InvokeResponse } from './contract'
import { unwrapIpcResult } from './unwrapIpcResult'
import type { IpcResult } from './wire'

/** Call one channel; resolves with the checked response, rejects with the re-hydrated error. */
export async function invokeApi<K extends InvokeName>(api: EscapeHatchApi, name: K, ...args: Parameters<EscapeHatchApi[K]>): Promise<InvokeResponse<K>> {
  // The mapped type cannot be called generically; the cast restates what EscapeHatchApi[K] is.
  const method = api[name] as unknown as (request?: InvokeRequest<K>) => Promise<IpcResult<InvokeResponse<K>>>
  return unwrapIpcResult(await method(...(args as [InvokeRequest<K>?])))
}

/** Listen to one event; a payload that fails the contract goes to `onError` instead of `listener`. */
export function onApiEvent<E extends EventName>(api: EscapeHatchApi, name: E, listener: (payload: EventPayload<E>) => void, onError: (error: EscapeError) => void): () => void {
  return api.on(name, (result) => {
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
