import { brotliCompressSync, constants as zlibConstants } from 'node:zlib'
import { RLP } from '@ethereumjs/rlp'
import { concat, hexToBytes, type Hex } from 'viem'

/**
 * The batch poster's side of the sequencer batch format (notes §2.2–2.3; nitro arbnode/batch_poster.go):
 * segments are RLP byte strings `kind ‖ body`, concatenated and brotli-compressed, behind the 0x00 flag byte.
 * For blobs, the same payload is RLP-wrapped and packed 31 bytes + 6 spare bits per field element
 * (nitro util/blobs/blobs.go EncodeBlobs), so the decoder of the real format reads our batches unchanged.
 */
export const SEGMENT_KIND = { L2Message: 0, L2MessageBrotli: 1, DelayedMessages: 2, AdvanceTimestamp: 3, AdvanceL1BlockNumber: 4 } as const
export const BROTLI_MESSAGE_HEADER_FLAG = 0x00
export const BLOB_HASHES_HEADER_FLAG = 0x50

export type BatchSegment =
  | { kind: 'l2Message'; message: Uint8Array }
  | { kind: 'delayedMessage' }
  | { kind: 'advanceTimestamp'; delta: bigint }
  | { kind: 'advanceL1BlockNumber'; delta: bigint }

function segmentBytes(segment: BatchSegment): Uint8Array {
  switch (segment.kind) {
    case 'l2Message':
      return concatBytes([Uint8Array.of(SEGMENT_KIND.L2Message), segment.message])
    case 'delayedMessage':
      return Uint8Array.of(SEGMENT_KIND.DelayedMessages)
    case 'advanceTimestamp':
      return concatBytes([Uint8Array.of(SEGMENT_KIND.AdvanceTimestamp), RLP.encode(segment.delta)])
    case 'advanceL1BlockNumber':
      return concatBytes([Uint8Array.of(SEGMENT_KIND.AdvanceL1BlockNumber), RLP.encode(segment.delta)])
  }
}

function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let offset = 0
  for (const p of parts) {
    out.set(p, offset)
    offset += p.length
  }
  return out
}

/** An L2 message carrying signed transactions: 0x04 ‖ tx for one, 0x03 ‖ (u64be len ‖ 0x04 ‖ tx)* for several (sequencer.go MessageFromTxes). */
export function l2MessageFromTransactions(rawTransactions: readonly Hex[]): Uint8Array {
  if (rawTransactions.length === 1) return hexToBytes(concat(['0x04', rawTransactions[0] as Hex]))
  const parts: Uint8Array[] = [Uint8Array.of(3)]
  for (const raw of rawTransactions) {
    const inner = hexToBytes(concat(['0x04', raw]))
    const length = new Uint8Array(8)
    new DataView(length.buffer).setBigUint64(0, BigInt(inner.length))
    parts.push(length, inner)
  }
  return concatBytes(parts)
}

/** 0x00 ‖ brotli(rlp(seg1) ‖ rlp(seg2) ‖ …): the batch payload after the 40-byte header. */
export function encodeBatchPayload(segments: readonly BatchSegment[]): Uint8Array {
  const stream = concatBytes(segments.map((s) => RLP.encode(segmentBytes(s))))
  const compressed = brotliCompressSync(stream, {
    params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: stream.length },
  })
  return concatBytes([Uint8Array.of(BROTLI_MESSAGE_HEADER_FLAG), compressed])
}

export const BYTES_PER_BLOB = 131_072
const FIELD_ELEMENTS_PER_BLOB = 4096
const SPARE_BLOB_BITS = 6

/** nitro util/blobs EncodeBlobs: rlp(payload) packed into as many blobs as needed. */
export function encodeBlobs(payload: Uint8Array): Uint8Array[] {
  let data = RLP.encode(payload)
  const blobs: Uint8Array[] = []
  while (data.length > 0) {
    const blob = new Uint8Array(BYTES_PER_BLOB)
    // 31 whole bytes into bytes 1..31 of each field element
    for (let fe = 0; fe < FIELD_ELEMENTS_PER_BLOB; fe++) {
      blob.set(data.subarray(0, 31), fe * 32 + 1)
      if (data.length <= 31) {
        data = new Uint8Array(0)
        break
      }
      data = data.subarray(31)
    }
    // then 6 spare bits into the low bits of byte 0 of each field element, least significant first
    let acc = 0
    let accBits = 0
    for (let fe = 0; fe < FIELD_ELEMENTS_PER_BLOB; fe++) {
      if (accBits < SPARE_BLOB_BITS && data.length > 0) {
        acc |= (data[0] as number) << accBits
        accBits += 8
        data = data.subarray(1)
      }
      blob[fe * 32] = acc & ((1 << SPARE_BLOB_BITS) - 1)
      accBits -= SPARE_BLOB_BITS
      if (accBits < 0) break
      acc >>= SPARE_BLOB_BITS
    }
    blobs.push(blob)
  }
  return blobs
}
