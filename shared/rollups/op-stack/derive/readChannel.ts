/**
 * Channel bytes → batches (specs/protocol/derivation.md §"Channel Format", fjord/derivation.md §"Brotli Channel
 * Compression"; op-node channel.go `BatchReader`, channel_in_reader.go).
 *
 * - Compression: low nibble of byte 0 is 8 or 15 → zlib (RFC 1950); byte 0 == 0x01 → brotli (Fjord+ only).
 * - Decompressed bytes are clipped at MAX_RLP_BYTES_PER_CHANNEL; only batches that fit completely are read.
 * - The payload is a sequence of RLP strings, each one batch. The first malformed batch (or a span batch in an L1
 *   block before Delta) ends the channel; batches before it are kept.
 */
import type { Decompressor } from '../../../l1/Decompressor'
import type { Batch, RawBatch } from './batchTypes'
import { decodeBatch } from './decodeBatch'
import { deriveSpanBatch, type DeriveSpanBatchParameters } from './deriveSpanBatch'
import { MalformedBatcherDataError } from './errors'
import { RlpReader } from './rlpReader'
import { createYielder, type YieldNow } from './yieldToEventLoop'

export const CHANNEL_VERSION_BROTLI = 0x01

export interface ReadChannelParameters {
  decompressor: Decompressor
  /** MAX_RLP_BYTES_PER_CHANNEL at the L1 inclusion block (see config/rollupConfig.ts maxRlpBytesPerChannel). */
  maxRlpBytes: number
  /** Fjord active at the L1 inclusion block's timestamp. */
  isFjord: boolean
  /** Delta active at the L1 inclusion block's timestamp (span batches are refused before). */
  isDelta: boolean
  /** Chain parameters to turn span batches into blocks (a span batch that fails this also ends the channel). */
  chain: DeriveSpanBatchParameters
  /** Lets the host see signals and I/O during a long channel (the CLI passes setImmediate); none: no pauses. */
  yieldNow?: YieldNow
}

export interface ChannelBatch {
  /** As encoded (span-batch columns, relative timestamp). */
  raw: RawBatch
  /** Ready for the batch queue: singular as is, span with block timestamps, origins and full transactions. */
  batch: Batch
}

export interface ReadChannelResult {
  compression: 'zlib' | 'brotli' | 'unknown'
  decompressedLength: number
  clipped: boolean
  batches: ChannelBatch[]
  /** Why reading stopped before the end of the decompressed data, if it did. */
  stopReason?: string
}

export async function readChannel(channel: Uint8Array, p: ReadChannelParameters): Promise<ReadChannelResult> {
  if (channel.length === 0) return { compression: 'unknown', decompressedLength: 0, clipped: false, batches: [], stopReason: 'empty channel' }
  const first = channel[0] as number
  let algorithm: 'zlib' | 'brotli'
  let input = channel
  if ((first & 0x0f) === 8 || (first & 0x0f) === 15) {
    algorithm = 'zlib'
  } else if (first === CHANNEL_VERSION_BROTLI) {
    if (!p.isFjord) return { compression: 'brotli', decompressedLength: 0, clipped: false, batches: [], stopReason: 'brotli channel before Fjord' }
    algorithm = 'brotli'
    input = channel.subarray(1)
  } else {
    return { compression: 'unknown', decompressedLength: 0, clipped: false, batches: [], stopReason: `unknown channel compression byte 0x${first.toString(16)}` }
  }
  const d = await p.decompressor.decompress(algorithm, input, p.maxRlpBytes)
  if (d.output.length > p.maxRlpBytes) throw new Error('decompressor returned more than the limit') // port contract
  const batches: ChannelBatch[] = []
  const r = new RlpReader(d.output, 'channel')
  let stopReason: string | undefined
  const maybeYield = createYielder(p.yieldNow)
  while (r.remaining > 0) {
    await maybeYield()
    try {
      const bytes = r.readBytes()
      const raw = decodeBatch(bytes)
      if (raw.type === 'span' && !p.isDelta) {
        stopReason = 'span batch in an L1 block before Delta'
        break
      }
      batches.push({ raw, batch: raw.type === 'span' ? deriveSpanBatch(raw, p.chain) : raw })
    } catch (e) {
      if (!(e instanceof MalformedBatcherDataError)) throw e
      stopReason = e.reason
      break
    }
  }
  if (stopReason === undefined && d.error) stopReason = `compressed stream ended early: ${d.error}`
  const result: ReadChannelResult = { compression: algorithm, decompressedLength: d.output.length, clipped: d.clipped, batches }
  if (stopReason !== undefined) result.stopReason = stopReason
  return result
}
