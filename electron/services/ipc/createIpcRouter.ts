/**
 * The IPC router: the one place where requests from the window enter the app service. Transport-agnostic (no
 * electron import): Electron main and the loopback bridge each open a session per window/connection and feed it
 * whatever arrived, as `unknown`.
 *
 * For every request, in this order: the sender check the transport injected (Electron: the frame is our app page;
 * bridge: the connection presented the run's token), the channel is in the contract, the payload parses with the
 * channel's schema, the handler runs, and its response parses with the response schema (a handler bug becomes a
 * clear error instead of wrong data on screen). The outcome is always data: errors are serialised by name.
 *
 * Events are published to every session but held per session until its window says it is ready (`rendererReady`),
 * so nothing is sent to a page that has not subscribed yet.
 */
import { EscapeError, serializeError, toEscapeError } from '../../../shared/errors/EscapeError'
import {
  ipcEvents,
  ipcInvokes,
  invokeNameOfChannel,
  type EventName,
  type EventPayload,
  type InvokeName,
  type InvokeRequest,
  type InvokeResponse,
} from '../../../shared/ipc/contract'
import { IpcInvalidPayloadError, IpcUnknownChannelError, IpcUntrustedSenderError } from '../../../shared/ipc/errors'
import { describeIssues, type IpcResult } from '../../../shared/ipc/wire'

/** One handler per invoke channel, except `rendererReady`, which the router answers itself. */
export type IpcHandlers = {
  readonly [K in Exclude<InvokeName, 'rendererReady'>]: (request: InvokeRequest<K>) => Promise<InvokeResponse<K>>
}

export interface IpcSessionOptions<Sender> {
  /** The transport's check that a request comes from our own app page. Called for every request. */
  isTrustedSender(sender: Sender): boolean
  /** Send one event to this session's window. */
  deliver(channel: string, payload: unknown): void
}

export interface IpcSession<Sender> {
  handle(channel: unknown, payload: unknown, sender: Sender): Promise<IpcResult<unknown>>
  readonly ready: boolean
  close(): void
}

export interface IpcRouter {
  openSession<Sender>(options: IpcSessionOptions<Sender>): IpcSession<Sender>
  /** Validate and publish an event to every open session (held until each is ready). */
  publish<E extends EventName>(event: E, payload: EventPayload<E>): void
}

export interface CreateIpcRouterParameters {
  handlers: IpcHandlers
  /** Events held per not-yet-ready session before the oldest are dropped (and counted). */
  maxHeldEvents?: number
  /** Where handler failures that are not EscapeErrors are reported (they are bugs). Defaults to nowhere. */
  onUnexpectedError?: (error: unknown, channel: string) => void
}

interface SessionState {
  ready: boolean
  closed: boolean
  held: { channel: string; payload: unknown }[]
  dropped: number
  deliver(channel: string, payload: unknown): void
}

export function createIpcRouter({ handlers, maxHeldEvents = 1000, onUnexpectedError }: CreateIpcRouterParameters): IpcRouter {
  const sessions = new Set<SessionState>()

  async function run(state: SessionState, name: InvokeName, request: unknown): Promise<unknown> {
    if (name === 'rendererReady') {
      const deliveredEvents = state.held.length
      const droppedEvents = state.dropped
      state.ready = true
      const held = state.held
      state.held = []
      state.dropped = 0
      for (const event of held) safeDeliver(state, event.channel, event.payload, onUnexpectedError)
      return { deliveredEvents, droppedEvents }
    }
    const handler = handlers[name] as (request: unknown) => Promise<unknown>
    return handler(request)
  }

  return {
    openSession<Sender>(options: IpcSessionOptions<Sender>): IpcSession<Sender> {
      const state: SessionState = { ready: false, closed: false, held: [], dropped: 0, deliver: options.deliver }
      sessions.add(state)
      return {
        get ready() {
          return state.ready
        },
        async handle(channel, payload, sender) {
          try {
            if (state.closed || !safeCheck(() => options.isTrustedSender(sender))) throw new IpcUntrustedSenderError()
            if (typeof channel !== 'string') throw new IpcUnknownChannelError(String(typeof channel))
            const name = invokeNameOfChannel(channel)
            if (name === undefined) throw new IpcUnknownChannelError(channel)
            const spec = ipcInvokes[name]
            const request = spec.request.safeParse(payload)
            if (!request.success) throw new IpcInvalidPayloadError(channel, 'request', describeIssues(request.error))
            const value = await run(state, name, request.data)
            const response = spec.response.safeParse(value)
            if (!response.success) throw new IpcInvalidPayloadError(channel, 'response', describeIssues(response.error))
            return { ok: true, value: response.data }
          } catch (error) {
            if (!(error instanceof EscapeError)) onUnexpectedError?.(error, typeof channel === 'string' ? channel : '?')
            return { ok: false, error: serializeError(toEscapeError(error, 'Escape Hatch could not complete this action.', { steps: ['Try again. If it fails again, restart the app and report the details below.'] })) }
          }
        },
        close() {
          state.closed = true
          state.held = []
          sessions.delete(state)
        },
      }
    },

    publish(event, payload) {
      const { channel, payload: schema } = ipcEvents[event]
      const parsed = schema.safeParse(payload)
      // Our own code produced it, so this is a bug: refuse loudly rather than send the window something off-contract.
      if (!parsed.success) throw new IpcInvalidPayloadError(channel, 'event', describeIssues(parsed.error))
      for (const state of sessions) {
        if (state.ready) {
          safeDeliver(state, channel, parsed.data, onUnexpectedError)
          continue
        }
        state.held.push({ channel, payload: parsed.data })
        if (state.held.length > maxHeldEvents) {
          state.held.shift()
          state.dropped++
        }
      }
    },
  }
}

/** One window that cannot take an event (closing, gone) must not stop the others from getting it. */
function safeDeliver(state: SessionState, channel: string, payload: unknown, onError: ((error: unknown, channel: string) => void) | undefined): void {
  try {
    state.deliver(channel, payload)
  } catch (error) {
    onError?.(error, channel)
  }
}

/** A sender check that throws is a refusal, not a crash. */
function safeCheck(check: () => boolean): boolean {
  try {
    return check() === true
  } catch {
    return false
  }
}
