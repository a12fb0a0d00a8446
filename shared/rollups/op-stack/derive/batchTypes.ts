/**
 * Batch types (specs/protocol/derivation.md §"Batch Format", delta/span-batches.md). u64 fields that come straight
 * from L1 bytes are `bigint`, so a hostile value is carried to the validity rules (which drop it) instead of failing
 * decoding of the rest of the channel — matching op-node, where such a batch decodes and is then dropped.
 */
export type Hex = `0x${string}`

export const SINGULAR_BATCH_TYPE = 0
export const SPAN_BATCH_TYPE = 1
/** Max block count and max total tx count of a span batch (delta/span-batches.md; op-node MaxSpanBatchElementCount). */
export const MAX_SPAN_BATCH_ELEMENT_COUNT = 10_000_000

export interface SingularBatch {
  type: 'singular'
  parentHash: Hex
  epochNum: bigint
  epochHash: Hex
  timestamp: bigint
  /** EIP-2718 encoded transactions (legacy txs are plain RLP). */
  transactions: Uint8Array[]
}

/** Span-batch transactions in the column layout of the wire format. */
export interface SpanBatchTxs {
  totalTxCount: number
  contractCreationBits: Uint8Array
  yParityBits: Uint8Array
  /** r‖s, 64 bytes per tx. */
  sigs: Uint8Array
  /** 20 bytes per non-creation tx. */
  tos: Uint8Array
  /** Per tx: type byte (typed txs) ++ RLP list of the type's fields, as on the wire. */
  txDatas: Uint8Array[]
  txTypes: number[]
  nonces: bigint[]
  gases: bigint[]
  /** One bit per legacy tx: whether its v carries the chain id (EIP-155). */
  protectedBits: Uint8Array
}

/** The span batch as encoded (prefix + payload), before block timestamps/origins/txs are derived. */
export interface RawSpanBatch {
  type: 'span'
  relTimestamp: bigint
  l1OriginNum: bigint
  /** First 20 bytes of the parent hash of the first block. */
  parentCheck: Uint8Array
  /** First 20 bytes of the L1 origin hash of the last block. */
  l1OriginCheck: Uint8Array
  blockCount: number
  /** One bit per block: whether the block's L1 origin differs from the previous block's (bit 0 unused). */
  originBits: Uint8Array
  blockTxCounts: number[]
  txs: SpanBatchTxs
}

export type RawBatch = SingularBatch | RawSpanBatch

/** One L2 block of a span batch, with full transactions. */
export interface SpanBatchElement {
  /** u64 arithmetic (wraps like op-node). */
  timestamp: bigint
  epochNum: bigint
  /** Full EIP-2718 transactions: exact views into one buffer per span batch (copy one before sending it alone). */
  transactions: Uint8Array[]
}

export interface SpanBatch {
  type: 'span'
  parentCheck: Uint8Array
  l1OriginCheck: Uint8Array
  blocks: SpanBatchElement[]
}

export type Batch = SingularBatch | SpanBatch
