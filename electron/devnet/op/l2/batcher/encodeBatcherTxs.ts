/**
 * L2 blocks → the payloads of batcher transactions, in the real format (notes/op-stack.md §1.2–§1.5):
 *
 *   span batch (delta/span-batches.md)  → one RLP string `0x01 ++ prefix ++ payload` = the channel's rlp_batches
 *   channel  = 0x01 (Fjord channel version: brotli) ++ brotli(rlp_batches)          (fjord/derivation.md)
 *   frames   = channel_id(16) ++ frame_number ++ length ++ data ++ is_last          (derivation.md §"Frame Format")
 *   calldata = 0x00 ++ frame                                       (one frame per transaction, as op-batcher)
 *   blob     = encodeBlob(0x00 ++ frame)                           (one frame per blob, up to 6 blobs per tx)
 *
 * Frames are numbered and sent in order, and a channel is closed by its last frame before the next starts, so the
 * strict ordering of Holocene (active at the devnet's genesis) holds.
 */
import { randomBytes } from 'node:crypto'
import { brotliCompressSync, constants as zlibConstants } from 'node:zlib'
import { hexToBytes } from 'viem'
import type { SpanBatch } from '../../../../../shared/rollups/op-stack/derive/batchTypes'
import { BLOB_MAX_DATA_SIZE } from '../../../../../shared/rollups/op-stack/derive/decodeBlob'
import { encodeBlob } from '../../../../../shared/rollups/op-stack/derive/encodeBlob'
import { encodeSpanBatch } from '../../../../../shared/rollups/op-stack/derive/encodeSpanBatch'
import { DERIVATION_VERSION_0, FRAME_OVERHEAD, MAX_FRAME_LEN, encodeFrame } from '../../../../../shared/rollups/op-stack/derive/parseFrames'
import { CHANNEL_VERSION_BROTLI } from '../../../../../shared/rollups/op-stack/derive/readChannel'
import { encodeRlpBytes } from '../../../../../shared/rollups/op-stack/derive/rlpReader'
import type { OpL2Block } from '../types'

export type BatcherDataMode = 'calldata' | 'blob'

/** op-batcher's default largest calldata payload (`--max-l1-tx-size-bytes` 120000). */
export const CALLDATA_MAX_TX_BYTES = 120_000
/** Blobs per blob transaction: the EIP-7594 per-transaction cap (Osaka), below Prague's per-block maximum. */
export const MAX_BLOBS_PER_TX = 6

export interface BatcherChainParameters {
  genesisL2Time: number
  l2ChainId: number
}

/** The span batch of consecutive L2 blocks: their timestamps, L1 origins and non-deposit transactions. */
export function spanBatchOf(blocks: readonly OpL2Block[]): SpanBatch {
  const first = blocks[0]
  const last = blocks[blocks.length - 1]
  if (!first || !last) throw new RangeError('a span batch needs at least one block')
  blocks.forEach((b, i) => {
    if (i > 0 && b.number !== (blocks[i - 1] as OpL2Block).number + 1n) throw new RangeError(`blocks are not consecutive at L2 block ${b.number}`)
  })
  return {
    type: 'span',
    parentCheck: hexToBytes(first.header.parentHash).subarray(0, 20),
    l1OriginCheck: hexToBytes(last.l1Origin.hash).subarray(0, 20),
    blocks: blocks.map((b) => ({
      timestamp: b.header.timestamp,
      epochNum: b.l1Origin.number,
      // Deposits are derived from L1 by every node; only sequenced transactions go into batches.
      transactions: b.transactions.filter((tx) => !tx.deposit).map((tx) => hexToBytes(tx.raw)),
    })),
  }
}

/** The channel's bytes: version byte 0x01 then the brotli stream of the one span batch, as an RLP string. */
export function encodeChannel(blocks: readonly OpL2Block[], chain: BatcherChainParameters): Uint8Array {
  const rlpBatches = encodeRlpBytes(encodeSpanBatch(spanBatchOf(blocks), chain))
  const compressed = brotliCompressSync(rlpBatches, {
    params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 10, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: rlpBatches.length },
  })
  const out = new Uint8Array(1 + compressed.length)
  out[0] = CHANNEL_VERSION_BROTLI
  out.set(compressed, 1)
  return out
}

/** Split a channel into frames of at most `maxFrameBytes` (frame overhead included), each `0x00 ++ frame`. */
export function frameChannel(channel: Uint8Array, maxFrameBytes: number, channelId: Uint8Array = randomBytes(16)): Uint8Array[] {
  const room = Math.min(maxFrameBytes - FRAME_OVERHEAD - 1, MAX_FRAME_LEN)
  if (room < 1) throw new RangeError(`a frame of ${maxFrameBytes} bytes cannot carry data`)
  if (channelId.length !== 16) throw new RangeError('a channel id is 16 bytes')
  const id = Buffer.from(channelId).toString('hex')
  const count = Math.max(1, Math.ceil(channel.length / room))
  if (count > 0xffff) throw new RangeError(`a channel of ${channel.length} bytes needs more than 65535 frames`)
  const out: Uint8Array[] = []
  for (let n = 0; n < count; n++) {
    const frame = encodeFrame({ channelId: id, frameNumber: n, data: channel.subarray(n * room, (n + 1) * room), isLast: n === count - 1 })
    const payload = new Uint8Array(1 + frame.length)
    payload[0] = DERIVATION_VERSION_0
    payload.set(frame, 1)
    out.push(payload)
  }
  return out
}

/** One batcher transaction's data: calldata bytes, or the blobs it carries. */
export type BatcherTxData = { mode: 'calldata'; data: Uint8Array } | { mode: 'blob'; blobs: Uint8Array[] }

/** The batcher transactions that carry these blocks as one channel, in sending order. */
export function encodeBatcherTxs(blocks: readonly OpL2Block[], chain: BatcherChainParameters, mode: BatcherDataMode, channelId?: Uint8Array): BatcherTxData[] {
  const channel = encodeChannel(blocks, chain)
  if (mode === 'calldata') return frameChannel(channel, CALLDATA_MAX_TX_BYTES, channelId).map((data) => ({ mode, data }))
  const blobs = frameChannel(channel, BLOB_MAX_DATA_SIZE, channelId).map(encodeBlob)
  const txs: BatcherTxData[] = []
  for (let i = 0; i < blobs.length; i += MAX_BLOBS_PER_TX) txs.push({ mode, blobs: blobs.slice(i, i + MAX_BLOBS_PER_TX) })
  return txs
}
