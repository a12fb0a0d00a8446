import { deserializeError } from '../errors/EscapeError'
import type { IpcResult } from './wire'

/** The value of a result, or its error re-hydrated by name (so `instanceof` works on this side of the boundary). */
export function unwrapIpcResult<T>(result: IpcResult<T>): T {
  if (result.ok) return result.value
  throw deserializeError(result.error)
}
