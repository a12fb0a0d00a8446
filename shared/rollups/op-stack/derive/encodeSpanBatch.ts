/**
 * SpanBatch → bytes (the batcher side; delta/span-batches.md, op-node span_batch.go `ToRawSpanBatch`/`encode`).
 * Used by the devnet batcher and by the round-trip tests that pin the decoder.
 */
import { encodeBits, writeUvarint } from './byteReader'
import { SPAN_BATCH_TYPE, type RawSpanBatch, type SpanBatch } from './batchTypes'
import { LEGACY_TX_TYPE, decomposeTx } from './spanBatchTx'
import { concatBytes } from '../../../eth/bytes'

export interface EncodeSpanBatchParameters {
  genesisL2Time: number
  l2ChainId: number | bigint
}

/** Build the raw (column) form of a span batch from its blocks. */
export function toRawSpanBatch(batch: SpanBatch, p: EncodeSpanBatchParameters): RawSpanBatch {
  const blocks = batch.blocks
  if (blocks.length === 0) throw new RangeError('a span batch needs at least one block')
  const chainId = BigInt(p.l2ChainId)
  const originBits = new Uint8Array(blocks.length)
  for (let i = 1; i < blocks.length; i++) {
    originBits[i] = (blocks[i] as { epochNum: bigint }).epochNum === (blocks[i - 1] as { epochNum: bigint }).epochNum ? 0 : 1
  }
  const first = blocks[0] as SpanBatch['blocks'][number]
  const last = blocks[blocks.length - 1] as SpanBatch['blocks'][number]
  const blockTxCounts = blocks.map((b) => b.transactions.length)
  const all = blocks.flatMap((b) => b.transactions).map((tx) => decomposeTx(tx, chainId))
  const n = all.length
  const contractCreationBits = new Uint8Array(n)
  const yParityBits = new Uint8Array(n)
  const sigs = new Uint8Array(64 * n)
  const tos: Uint8Array[] = []
  const protectedBits: number[] = []
  all.forEach((t, i) => {
    contractCreationBits[i] = t.to ? 0 : 1
    yParityBits[i] = t.yParity
    sigs.set(t.r, 64 * i)
    sigs.set(t.s, 64 * i + 32)
    if (t.to) tos.push(t.to)
    if (t.type === LEGACY_TX_TYPE) protectedBits.push(t.isProtected ? 1 : 0)
  })
  return {
    type: 'span',
    relTimestamp: first.timestamp - BigInt(p.genesisL2Time),
    l1OriginNum: last.epochNum,
    parentCheck: batch.parentCheck,
    l1OriginCheck: batch.l1OriginCheck,
    blockCount: blocks.length,
    originBits,
    blockTxCounts,
    txs: {
      totalTxCount: n,
      contractCreationBits,
      yParityBits,
      sigs,
      tos: concatBytes(tos),
      txDatas: all.map((t) => t.txData),
      txTypes: all.map((t) => t.type),
      nonces: all.map((t) => t.nonce),
      gases: all.map((t) => t.gas),
      protectedBits: Uint8Array.from(protectedBits),
    },
  }
}

/** Encode a raw span batch as prefix ++ payload (without the 0x01 batch type byte). */
export function encodeRawSpanBatch(raw: RawSpanBatch): Uint8Array {
  const head: number[] = []
  writeUvarint(head, raw.relTimestamp)
  writeUvarint(head, raw.l1OriginNum)
  const counts: number[] = []
  writeUvarint(counts, raw.blockCount)
  const txCounts: number[] = []
  for (const c of raw.blockTxCounts) writeUvarint(txCounts, c)
  const t = raw.txs
  const tail: number[] = []
  for (const v of t.nonces) writeUvarint(tail, v)
  for (const v of t.gases) writeUvarint(tail, v)
  return concatBytes([
    Uint8Array.from(head),
    raw.parentCheck,
    raw.l1OriginCheck,
    Uint8Array.from(counts),
    encodeBits(raw.originBits),
    Uint8Array.from(txCounts),
    encodeBits(t.contractCreationBits),
    encodeBits(t.yParityBits),
    t.sigs,
    t.tos,
    ...t.txDatas,
    Uint8Array.from(tail),
    encodeBits(t.protectedBits),
  ])
}

/** A complete span batch as it appears in a channel's RLP string: 0x01 ++ prefix ++ payload. */
export function encodeSpanBatch(batch: SpanBatch, p: EncodeSpanBatchParameters): Uint8Array {
  return concatBytes([new Uint8Array([SPAN_BATCH_TYPE]), encodeRawSpanBatch(toRawSpanBatch(batch, p))])
}
