/**
 * Batch data (flag 0x00 ‖ brotli) → the list of RLP segments (notes §2.2, §2.3; nitro arbstate/inbox.go stage 3).
 * Nitro never fails a batch here: a decompression error gives an empty segment list, and an RLP error or a list
 * item ends the segment stream. We copy that exactly and keep the reason as a warning for the user.
 */
import { decode as decodeRlp, type Decoded } from '@ethereumjs/rlp'
import type { BrotliDecompressor } from './BrotliDecompressor'

/** Historic MaxDecompressedLen (16 MiB); chains may configure MaxUncompressedBatchSize (notes §7). */
export const MAX_DECOMPRESSED_BATCH_BYTES = 16 * 1024 * 1024
/** arbstate.MaxSegmentsPerSequencerMessage */
export const MAX_SEGMENTS_PER_BATCH = 100 * 1024

export interface BatchSegments {
  segments: Uint8Array[]
  decompressedLength: number
  /** Why the stream ended early or the batch was treated as empty; empty when all went well. */
  warnings: string[]
}

export interface ReadBatchSegmentsParameters {
  /** The brotli stream, without the 0x00 flag byte. */
  compressed: Uint8Array
  decompressor: BrotliDecompressor
  maxDecompressedBytes?: number
}

export function readBatchSegments({ compressed, decompressor, maxDecompressedBytes = MAX_DECOMPRESSED_BATCH_BYTES }: ReadBatchSegmentsParameters): BatchSegments {
  const result = decompressor.decompress(compressed, maxDecompressedBytes)
  if (!result.ok) {
    return {
      segments: [],
      decompressedLength: 0,
      warnings: [
        result.reason === 'too-large'
          ? `The batch decompresses to more than ${maxDecompressedBytes} bytes; Nitro treats it as empty.`
          : `The batch is not valid brotli (${result.message}); Nitro treats it as empty.`,
      ],
    }
  }
  return { ...splitRlpSegments(result.data), decompressedLength: result.data.length }
}

/** The decompressed stream is a sequence of RLP byte strings (batch_poster.go writes rlp(seg1) ‖ rlp(seg2) ‖ …). */
export function splitRlpSegments(stream: Uint8Array): { segments: Uint8Array[]; warnings: string[] } {
  const segments: Uint8Array[] = []
  const warnings: string[] = []
  let rest = stream
  while (rest.length > 0) {
    let item: Decoded
    try {
      item = decodeRlp(rest, true)
    } catch (error) {
      // An RLP error (truncation, non-canonical size) ends the stream in Nitro too.
      warnings.push(`Segment ${segments.length}: ${(error as Error).message}; the rest of the batch is ignored, as Nitro does.`)
      break
    }
    if (!(item.data instanceof Uint8Array)) {
      warnings.push(`Segment ${segments.length} is an RLP list, not a byte string; the rest of the batch is ignored, as Nitro does.`)
      break
    }
    if (segments.length >= MAX_SEGMENTS_PER_BATCH) {
      warnings.push(`The batch has more than ${MAX_SEGMENTS_PER_BATCH} segments; the rest is ignored, as Nitro does.`)
      break
    }
    segments.push(item.data)
    rest = item.remainder
  }
  return { segments, warnings }
}
