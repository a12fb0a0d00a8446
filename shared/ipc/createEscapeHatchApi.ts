/**
 * Builds `window.escapeHatch` from the contract over any transport. The preload (Electron IPC) and the bridge client
 * (WebSocket) both call this, so the window sees the same object whichever one it runs against.
 *
 * Requests go out as given: the router on the other side is the boundary that validates them (a check here would
 * only hide the router's behaviour from tests). Responses and events are checked here against the contract before
 * the window sees them, and every failure is returned as data (`IpcResult`), never thrown: thrown errors lose their
 * class and fields when they cross Electron's context bridge.
 */
import { serializeError } from '../errors/EscapeError'
import { eventNames, invokeNames, ipcEvents, ipcInvokes, type EscapeHatchApi, type EventName, type InvokeName } from './contract'
import { IpcDisconnectedError, IpcInvalidPayloadError } from './errors'
import { IpcResultEnvelopeSchema, describeIssues, type IpcResult } from './wire'

export interface IpcTransport {
  /** Send a request; resolves with the router's raw envelope, rejects only when the transport itself failed. */
  invoke(channel: string, payload: unknown): Promise<unknown>
  /** Listen to one event channel; returns the unsubscribe function. */
  subscribe(channel: string, listener: (payload: unknown) => void): () => void
}

export function createEscapeHatchApi(transport: IpcTransport): EscapeHatchApi {
  const api: Record<string, unknown> = {}
  for (const name of invokeNames) {
    api[name] = (request?: unknown) => invokeChecked(transport, name, request === undefined ? {} : request)
  }
  api.on = (event: unknown, listener: unknown) => {
    if (typeof event !== 'string' || !(eventNames as string[]).includes(event)) throw new TypeError(`escapeHatch.on: unknown event ${String(event)}`)
    if (typeof listener !== 'function') throw new TypeError('escapeHatch.on: listener must be a function')
    const name = event as EventName
    return transport.subscribe(ipcEvents[name].channel, (payload) => (listener as (r: IpcResult<unknown>) => void)(checkEvent(name, payload)))
  }
  return Object.freeze(api) as EscapeHatchApi
}

async function invokeChecked(transport: IpcTransport, name: InvokeName, request: unknown): Promise<IpcResult<unknown>> {
  const { channel, response } = ipcInvokes[name]
  let raw: unknown
  try {
    raw = await transport.invoke(channel, request)
  } catch (cause) {
    return { ok: false, error: serializeError(new IpcDisconnectedError({ cause })) }
  }
  const envelope = IpcResultEnvelopeSchema.safeParse(raw)
  if (!envelope.success) return invalid(channel, 'response', describeIssues(envelope.error))
  if (!envelope.data.ok) return envelope.data
  const value = response.safeParse(envelope.data.value)
  if (!value.success) return invalid(channel, 'response', describeIssues(value.error))
  return { ok: true, value: value.data }
}

function checkEvent(name: EventName, payload: unknown): IpcResult<unknown> {
  const { channel, payload: schema } = ipcEvents[name]
  const parsed = schema.safeParse(payload)
  return parsed.success ? { ok: true, value: parsed.data } : invalid(channel, 'event', describeIssues(parsed.error))
}

function invalid(channel: string, direction: 'response' | 'event', issues: string[]): IpcResult<never> {
  return { ok: false, error: serializeError(new IpcInvalidPayloadError(channel, direction, issues)) }
}
