/**
 * Batcher data → frames (specs/protocol/derivation.md §"Frame Format", §"Batcher Transaction Format";
 * kona protocol/src/frame.rs `parse_frames`).
 *
 *   data  = derivation_version(0x00) ++ frame ++ frame ++ ...
 *   frame = channel_id(16) ++ frame_number(u16 BE) ++ frame_data_length(u32 BE) ++ frame_data ++ is_last(0|1)
 *
 * If any frame is malformed, all frames of the transaction are dropped (the whole call throws).
 */
import { ByteReader } from './byteReader'
import { MalformedBatcherDataError } from './errors'
import { toHex } from '../../../eth/bytes'

export const DERIVATION_VERSION_0 = 0x00
/** Alt-DA commitment version (specs/experimental/alt-da.md); not supported here. */
export const DERIVATION_VERSION_ALT_DA = 0x01
export const MAX_FRAME_LEN = 1_000_000
export const FRAME_OVERHEAD = 23

export interface Frame {
  /** 16 bytes, as lowercase hex without 0x (a map key). */
  channelId: string
  frameNumber: number
  data: Uint8Array
  isLast: boolean
}

/** Parse the frames of one batcher transaction's payload (version byte included). Throws on any malformed frame. */
export function parseFrames(payload: Uint8Array): Frame[] {
  if (payload.length === 0) throw new MalformedBatcherDataError('frame', 'empty batcher payload')
  const version = payload[0] as number
  if (version === DERIVATION_VERSION_ALT_DA) throw new MalformedBatcherDataError('frame', 'alt-DA commitment (version 0x01) is not supported')
  if (version !== DERIVATION_VERSION_0) throw new MalformedBatcherDataError('frame', `unknown derivation version ${version}`)
  const r = new ByteReader(payload, 'frame', 1)
  const frames: Frame[] = []
  if (r.remaining === 0) throw new MalformedBatcherDataError('frame', 'no frames after the version byte')
  while (r.remaining > 0) frames.push(readFrame(r))
  return frames
}

function readFrame(r: ByteReader): Frame {
  const id = r.take(16, 'channel id')
  const frameNumber = r.u16be('frame number')
  const length = r.u32be('frame data length')
  if (length > MAX_FRAME_LEN) r.fail(`frame data length ${length} exceeds ${MAX_FRAME_LEN}`)
  const data = r.take(length, 'frame data')
  const isLast = r.u8('is_last')
  if (isLast > 1) r.fail(`invalid is_last byte ${isLast}`)
  return { channelId: toHex(id).slice(2), frameNumber, data, isLast: isLast === 1 }
}

/** Encode one frame (the inverse of readFrame), for the devnet batcher and tests. */
export function encodeFrame(frame: Frame): Uint8Array {
  const out = new Uint8Array(FRAME_OVERHEAD + frame.data.length)
  out.set(fromHex(frame.channelId), 0)
  out[16] = frame.frameNumber >> 8
  out[17] = frame.frameNumber & 0xff
  const n = frame.data.length
  out[18] = (n >>> 24) & 0xff
  out[19] = (n >>> 16) & 0xff
  out[20] = (n >>> 8) & 0xff
  out[21] = n & 0xff
  out.set(frame.data, 22)
  out[22 + n] = frame.isLast ? 1 : 0
  return out
}

function fromHex(h: string): Uint8Array {
  if (!/^[0-9a-f]{32}$/.test(h)) throw new RangeError('channel id must be 16 bytes of lowercase hex')
  const out = new Uint8Array(16)
  for (let i = 0; i < 16; i++) out[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16)
  return out
}
