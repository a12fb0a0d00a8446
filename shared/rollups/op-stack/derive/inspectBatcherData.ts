/**
 * A readable account of one batcher transaction (or its calldata): frames, the channels they complete, and the
 * batches inside — for `escape-hatch op decode-batcher-tx` and the UI. Offline; nothing is fetched.
 */
import { parseTransaction, toHex as viemToHex, type Hex as ViemHex } from 'viem'
import type { Decompressor } from '../../../l1/Decompressor'
import type { Hex } from './batchTypes'
import type { DeriveSpanBatchParameters } from './deriveSpanBatch'
import { MalformedBatcherDataError } from './errors'
import { hashTx } from './hashTx'
import { parseFrames, type Frame } from './parseFrames'
import { readChannel } from './readChannel'
import type { YieldNow } from './yieldToEventLoop'
import { concatBytes, hexBytes, toHex } from '../../../eth/bytes'

/**
 * All channels of one input together decompress to at most this (one channel's MAX_RLP_BYTES_PER_CHANNEL): one
 * input holding many small decompression bombs gets the same total budget as one bomb, not one per channel.
 */
export const MAX_DECOMPRESSED_BYTES_PER_INPUT = 100_000_000

export interface InspectedBatch {
  type: 'singular' | 'span'
  blockCount: number
  txCount: number
  firstTimestamp: number
  lastTimestamp: number
  firstL1Origin: number
  lastL1Origin: number
  /** Singular: its parent hash; span: the 20-byte parent check. */
  parent: Hex
  blocks: { timestamp: number; l1Origin: number; txCount: number; txHashes: Hex[] }[]
}

export interface InspectedChannel {
  id: Hex
  frames: number
  complete: boolean
  compression?: string
  compressedBytes?: number
  decompressedBytes?: number
  stopReason?: string
  batches: InspectedBatch[]
}

export interface InspectedBatcherData {
  transaction?: { hash: Hex; type: string; to: Hex | null; nonce: number; chainId?: number; blobVersionedHashes: Hex[] }
  derivationVersion: number | undefined
  frames: { channelId: Hex; frameNumber: number; dataLength: number; isLast: boolean }[]
  framesError?: string
  channels: InspectedChannel[]
}

export interface InspectParameters {
  decompressor: Decompressor
  chain: DeriveSpanBatchParameters
  /** Fork flags for channel reading (default: all active). */
  isFjord?: boolean
  isDelta?: boolean
  maxRlpBytes?: number
  /** Total decompressed bytes for all channels of this input (default MAX_DECOMPRESSED_BYTES_PER_INPUT). */
  maxDecompressedBytes?: number
  /** See readChannel: lets the host see signals during a long decode. */
  yieldNow?: YieldNow
}

/** `bytes` is a signed EIP-2718 transaction, or its calldata (version byte + frames). */
export async function inspectBatcherData(bytes: Uint8Array, p: InspectParameters): Promise<InspectedBatcherData> {
  let calldata = bytes
  let transaction: InspectedBatcherData['transaction']
  if (bytes.length > 0 && bytes[0] !== 0) {
    try {
      const tx = parseTransaction(viemToHex(bytes) as ViemHex)
      transaction = {
        hash: hashTx(bytes),
        type: tx.type ?? 'legacy',
        to: (tx.to?.toLowerCase() ?? null) as Hex | null,
        nonce: tx.nonce ?? 0,
        ...(tx.chainId !== undefined ? { chainId: tx.chainId } : {}),
        blobVersionedHashes: ((tx as { blobVersionedHashes?: Hex[] }).blobVersionedHashes ?? []) as Hex[],
      }
      calldata = hexBytes(tx.data ?? '0x')
    } catch (e) {
      throw new MalformedBatcherDataError('calldata', `neither batcher calldata (version 0x00 first) nor a transaction: ${(e as Error).message.split('\n')[0]}`)
    }
  }
  const out: InspectedBatcherData = { derivationVersion: calldata[0], frames: [], channels: [] }
  if (transaction) out.transaction = transaction
  if (transaction?.blobVersionedHashes.length) {
    out.framesError = 'blob transaction: its data is in blobs (fetch them and decode with a BlobSource)'
    return out
  }
  let frames: Frame[] = []
  try {
    frames = parseFrames(calldata)
  } catch (e) {
    if (!(e instanceof MalformedBatcherDataError)) throw e
    out.framesError = e.reason
    return out
  }
  out.frames = frames.map((f) => ({ channelId: `0x${f.channelId}` as Hex, frameNumber: f.frameNumber, dataLength: f.data.length, isLast: f.isLast }))
  const byChannel = new Map<string, Frame[]>()
  for (const f of frames) byChannel.set(f.channelId, [...(byChannel.get(f.channelId) ?? []), f])
  const maxRlpBytes = p.maxRlpBytes ?? 100_000_000
  let budget = p.maxDecompressedBytes ?? MAX_DECOMPRESSED_BYTES_PER_INPUT
  for (const [id, fs] of byChannel) {
    const sorted = [...fs].sort((a, b) => a.frameNumber - b.frameNumber)
    const last = sorted.find((f) => f.isLast)
    const complete = !!last && sorted.length === last.frameNumber + 1 && sorted.every((f, i) => f.frameNumber === i)
    const ch: InspectedChannel = { id: `0x${id}` as Hex, frames: sorted.length, complete, batches: [] }
    if (complete && budget <= 0) {
      ch.stopReason = 'not decompressed: the decompression budget for this input is used up by the channels before it'
    } else if (complete) {
      const data = concatBytes(sorted.map((f) => f.data))
      const limit = Math.min(maxRlpBytes, budget)
      const r = await readChannel(data, {
        decompressor: p.decompressor,
        maxRlpBytes: limit,
        isFjord: p.isFjord ?? true,
        isDelta: p.isDelta ?? true,
        chain: p.chain,
        ...(p.yieldNow ? { yieldNow: p.yieldNow } : {}),
      })
      budget -= r.decompressedLength
      ch.compression = r.compression
      ch.compressedBytes = data.length
      ch.decompressedBytes = r.decompressedLength
      if (r.stopReason) ch.stopReason = r.stopReason
      if (r.clipped && limit < maxRlpBytes) ch.stopReason = `clipped at ${limit} bytes: the decompression budget for this input is used up`
      ch.batches = r.batches.map(({ batch }) => {
        const blocks =
          batch.type === 'singular'
            ? [{ timestamp: Number(batch.timestamp), l1Origin: Number(batch.epochNum), txCount: batch.transactions.length, txHashes: batch.transactions.map(hashTx) }]
            : batch.blocks.map((b) => ({ timestamp: Number(b.timestamp), l1Origin: Number(b.epochNum), txCount: b.transactions.length, txHashes: b.transactions.map(hashTx) }))
        return {
          type: batch.type,
          blockCount: blocks.length,
          txCount: blocks.reduce((a, b) => a + b.txCount, 0),
          firstTimestamp: blocks[0]?.timestamp ?? 0,
          lastTimestamp: blocks.at(-1)?.timestamp ?? 0,
          firstL1Origin: blocks[0]?.l1Origin ?? 0,
          lastL1Origin: blocks.at(-1)?.l1Origin ?? 0,
          parent: batch.type === 'singular' ? batch.parentHash : toHex(batch.parentCheck),
          blocks,
        }
      })
    }
    out.channels.push(ch)
  }
  return out
}
