import { brotliDecompressSync } from 'node:zlib'
import { RLP } from '@ethereumjs/rlp'
import { bytesToHex, hexToBigInt, type Hex } from 'viem'
import { BLOB_HASHES_HEADER_FLAG, BROTLI_MESSAGE_HEADER_FLAG, BYTES_PER_BLOB } from './encodeSequencerBatch'

// Deliberately independent of shared/rollups/arbitrum-nitro/derive: the devnet plays the part of a third-party
// node (Nitro), so the app's decoder is tested against a separate implementation of the same rules
// (electron/devnet/arbitrum/appInterop.test.ts) instead of agreeing with itself.
/**
 * The devnet L2's reader of sequencer batches as posted on L1 (nitro arbstate/inbox.go ParseSequencerMessage; notes
 * §2.2–2.3). Bounded: brotli output is capped at MAX_DECOMPRESSED_BATCH_BYTES and the segment count at
 * MAX_SEGMENTS; malformed data gives an empty segment list (as Nitro does), never an exception.
 */
export const MAX_DECOMPRESSED_BATCH_BYTES = 16 * 1024 * 1024
export const MAX_SEGMENTS = 100 * 1024
const HEADER_LENGTH = 40
const FIELD_ELEMENTS_PER_BLOB = 4096

export interface BatchHeader {
  minTimestamp: bigint
  maxTimestamp: bigint
  minL1Block: bigint
  maxL1Block: bigint
  afterDelayedMessages: bigint
}

export function encodeBatchHeader(h: BatchHeader): Uint8Array {
  const out = new Uint8Array(HEADER_LENGTH)
  const view = new DataView(out.buffer)
  ;[h.minTimestamp, h.maxTimestamp, h.minL1Block, h.maxL1Block, h.afterDelayedMessages].forEach((v, i) => view.setBigUint64(i * 8, v))
  return out
}

export function decodeBatchHeader(bytes: Uint8Array): BatchHeader | null {
  if (bytes.length < HEADER_LENGTH) return null
  const view = new DataView(bytes.buffer, bytes.byteOffset, HEADER_LENGTH)
  return {
    minTimestamp: view.getBigUint64(0),
    maxTimestamp: view.getBigUint64(8),
    minL1Block: view.getBigUint64(16),
    maxL1Block: view.getBigUint64(24),
    afterDelayedMessages: view.getBigUint64(32),
  }
}

/** The payload's segments: 0x00 → brotli → RLP byte strings; anything else (DAS, unknown) → no segments. */
export function decodeBatchSegments(payload: Uint8Array): Uint8Array[] {
  if (payload.length === 0 || payload[0] !== BROTLI_MESSAGE_HEADER_FLAG) return []
  let stream: Uint8Array
  try {
    stream = brotliDecompressSync(payload.subarray(1), { maxOutputLength: MAX_DECOMPRESSED_BATCH_BYTES })
  } catch {
    return []
  }
  const segments: Uint8Array[] = []
  let rest = stream
  while (rest.length > 0 && segments.length < MAX_SEGMENTS) {
    let decoded: ReturnType<typeof RLP.decode>
    try {
      decoded = RLP.decode(rest, true)
    } catch {
      break
    }
    if (!(decoded.data instanceof Uint8Array)) break // a list ends the stream
    segments.push(decoded.data)
    rest = decoded.remainder
  }
  return segments
}

/** A canonical RLP uint64 at the start of `bytes` (geth rlp.Stream.Uint64), or null. */
export function decodeRlpUint64(bytes: Uint8Array): bigint | null {
  let decoded: ReturnType<typeof RLP.decode>
  try {
    decoded = RLP.decode(bytes, true)
  } catch {
    return null
  }
  const data = decoded.data
  if (!(data instanceof Uint8Array) || data.length > 8) return null
  if (data.length === 0) return 0n
  if (data[0] === 0) return null // non-canonical: leading zero
  return hexToBigInt(bytesToHex(data))
}

/** nitro util/blobs DecodeBlobs: unpack the blobs and read one RLP byte string (the 0x00 ‖ brotli payload). */
export function decodeBlobs(blobs: readonly Uint8Array[]): Uint8Array | null {
  const parts: number[] = []
  for (const blob of blobs) {
    if (blob.length !== BYTES_PER_BLOB) return null
    for (let fe = 0; fe < FIELD_ELEMENTS_PER_BLOB; fe++) for (let i = 1; i < 32; i++) parts.push(blob[fe * 32 + i] as number)
    let acc = 0
    let accBits = 0
    for (let fe = 0; fe < FIELD_ELEMENTS_PER_BLOB; fe++) {
      acc |= (blob[fe * 32] as number) << accBits
      accBits += 6
      if (accBits >= 8) {
        parts.push(acc & 0xff)
        acc >>= 8
        accBits -= 8
      }
    }
    if (accBits !== 0) return null
  }
  try {
    const decoded = RLP.decode(Uint8Array.from(parts), true)
    return decoded.data instanceof Uint8Array ? decoded.data : null
  } catch {
    return null
  }
}

/** The batch data a blob batch commits to in its sequencer message: 0x50 ‖ versioned hashes. */
export function blobHashesPayload(versionedHashes: readonly Hex[]): Uint8Array {
  const out = new Uint8Array(1 + 32 * versionedHashes.length)
  out[0] = BLOB_HASHES_HEADER_FLAG
  versionedHashes.forEach((h, i) => out.set(Buffer.from(h.slice(2), 'hex'), 1 + 32 * i))
  return out
}
