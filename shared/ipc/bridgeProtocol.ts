/**
 * Frames of the loopback bridge's WebSocket (electron/bridge): the same invoke/result/event traffic that Electron
 * IPC carries, wrapped with a request id. Only the frame is checked here; the payload inside is the router's to
 * validate against the contract, exactly as with Electron IPC.
 */
import { z } from 'zod'

/** The bridge refuses bigger frames (WebSocket maxPayload); the contract's payloads are far smaller. */
export const BRIDGE_MAX_FRAME_BYTES = 1 << 20
/** Path of the WebSocket endpoint; the per-run token is the `token` query parameter. */
export const BRIDGE_SOCKET_PATH = '/ipc'

export const BridgeClientFrameSchema = z.strictObject({
  type: z.literal('invoke'),
  id: z.number().int().nonnegative().max(2 ** 31),
  channel: z.string().max(200),
  payload: z.unknown(),
})
export type BridgeClientFrame = z.infer<typeof BridgeClientFrameSchema>

export const BridgeServerFrameSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('result'), id: z.number().int().nonnegative(), result: z.unknown() }),
  z.strictObject({ type: z.literal('event'), channel: z.string().max(200), payload: z.unknown() }),
])
export type BridgeServerFrame = z.infer<typeof BridgeServerFrameSchema>
