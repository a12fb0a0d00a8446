/**
 * The loopback bridge's stand-in for Electron's preload: an IpcTransport over the bridge's WebSocket. Frames are
 * checked with the bridge protocol schema; payloads are left to the router (requests) and to the API built from the
 * contract (responses and events), exactly as with Electron IPC.
 */
import type { IpcTransport } from '../../../shared/ipc/createEscapeHatchApi'
import { BridgeServerFrameSchema, type BridgeClientFrame } from '../../../shared/ipc/bridgeProtocol'

export interface BridgeTransport extends IpcTransport {
  close(): void
}

export function connectBridge(socketUrl: string, onProtocolError: (message: string) => void = () => {}): BridgeTransport {
  const socket = new WebSocket(socketUrl)
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>()
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const queue: string[] = []
  let nextId = 1
  let closedReason: string | undefined

  socket.addEventListener('open', () => {
    for (const frame of queue.splice(0)) socket.send(frame)
  })
  socket.addEventListener('message', (message) => {
    if (typeof message.data !== 'string') return onProtocolError('binary frame from the bridge')
    let json: unknown
    try {
      json = JSON.parse(message.data)
    } catch {
      return onProtocolError('a frame that is not JSON')
    }
    const frame = BridgeServerFrameSchema.safeParse(json)
    if (!frame.success) return onProtocolError('a frame outside the bridge protocol')
    if (frame.data.type === 'result') {
      const waiter = pending.get(frame.data.id)
      pending.delete(frame.data.id)
      waiter?.resolve(frame.data.result)
      return
    }
    for (const listener of listeners.get(frame.data.channel) ?? []) listener(frame.data.payload)
  })
  socket.addEventListener('close', (event) => {
    closedReason = `the bridge connection closed (${event.code}${event.reason ? `: ${event.reason}` : ''})`
    for (const waiter of pending.values()) waiter.reject(new Error(closedReason))
    pending.clear()
  })

  return {
    invoke(channel, payload) {
      if (closedReason) return Promise.reject(new Error(closedReason))
      const id = nextId++
      const frame: BridgeClientFrame = { type: 'invoke', id, channel, payload }
      let text: string
      try {
        text = JSON.stringify(frame)
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)))
      }
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject })
        if (socket.readyState === WebSocket.OPEN) socket.send(text)
        else queue.push(text)
      })
    },
    subscribe(channel, listener) {
      const set = listeners.get(channel) ?? new Set()
      set.add(listener)
      listeners.set(channel, set)
      return () => {
        set.delete(listener)
      }
    },
    close() {
      socket.close()
    },
  }
}
