/**
 * One batch (the payload of one RLP string in a channel) → SingularBatch | RawSpanBatch
 * (specs/protocol/derivation.md §"Batch Format", delta/span-batches.md; op-node batch.go `decodeTyped`,
 * span_batch.go `RawSpanBatch.decode`). Type 0x02 ("span batch v2") is not active on any chain and is rejected.
 */
import { ByteReader } from './byteReader'
import {
  MAX_SPAN_BATCH_ELEMENT_COUNT,
  SINGULAR_BATCH_TYPE,
  SPAN_BATCH_TYPE,
  type RawBatch,
  type RawSpanBatch,
  type SingularBatch,
  type SpanBatchTxs,
} from './batchTypes'
import { MalformedBatcherDataError } from './errors'
import { RlpReader } from './rlpReader'
import { LEGACY_TX_TYPE } from './spanBatchTx'
import { toHex } from '../../../eth/bytes'

export function decodeBatch(bytes: Uint8Array): RawBatch {
  if (bytes.length === 0) throw new MalformedBatcherDataError('batch', 'batch too short')
  const type = bytes[0] as number
  if (type === SINGULAR_BATCH_TYPE) return decodeSingularBatch(bytes.subarray(1))
  if (type === SPAN_BATCH_TYPE) return decodeRawSpanBatch(bytes.subarray(1))
  throw new MalformedBatcherDataError('batch', `unrecognized batch type ${type}`)
}

/** rlp([parent_hash, epoch_number, epoch_hash, timestamp, transaction_list]) with no trailing bytes. */
export function decodeSingularBatch(body: Uint8Array): SingularBatch {
  const outer = new RlpReader(body, 'batch')
  const l = outer.readList()
  outer.expectEnd()
  const parentHash = toHex(l.readFixed(32))
  const epochNum = l.readBigUint(8)
  const epochHash = toHex(l.readFixed(32))
  const timestamp = l.readBigUint(8)
  const txList = l.readList()
  const transactions: Uint8Array[] = []
  while (txList.remaining > 0) transactions.push(txList.readBytes())
  l.expectEnd()
  return { type: 'singular', parentHash, epochNum, epochHash, timestamp, transactions }
}

/** prefix ++ payload (delta/span-batches.md §"Span batch format"). Trailing bytes are ignored, as op-node does. */
export function decodeRawSpanBatch(body: Uint8Array): RawSpanBatch {
  const r = new ByteReader(body, 'span-batch')
  const relTimestamp = r.uvarint('rel_timestamp')
  const l1OriginNum = r.uvarint('l1_origin_num')
  const parentCheck = r.take(20, 'parent_check')
  const l1OriginCheck = r.take(20, 'l1_origin_check')
  const blockCount = r.uvarintMax(MAX_SPAN_BATCH_ELEMENT_COUNT, 'block_count')
  if (blockCount === 0) r.fail('span batch must not be empty')
  const originBits = r.bits(blockCount, 'origin_bits')
  // Each count is at least one byte, so a count larger than the remaining input cannot be valid: checked per element.
  const blockTxCounts: number[] = []
  let total = 0
  for (let i = 0; i < blockCount; i++) {
    const n = r.uvarintMax(MAX_SPAN_BATCH_ELEMENT_COUNT, 'block_tx_count')
    blockTxCounts.push(n)
    total += n
  }
  if (total > MAX_SPAN_BATCH_ELEMENT_COUNT) r.fail(`span batch has ${total} transactions, more than ${MAX_SPAN_BATCH_ELEMENT_COUNT}`)
  const txs = decodeSpanBatchTxs(r, total)
  return { type: 'span', relTimestamp, l1OriginNum, parentCheck, l1OriginCheck, blockCount, originBits, blockTxCounts, txs }
}

function decodeSpanBatchTxs(r: ByteReader, n: number): SpanBatchTxs {
  // Bounds first: every column below needs at least this many bytes, so hostile counts fail before allocating.
  r.need(Math.ceil(n / 8) * 2 + 64 * n, 'span batch tx columns')
  const contractCreationBits = r.bits(n, 'contract_creation_bits')
  const yParityBits = r.bits(n, 'y_parity_bits')
  const sigs = r.take(64 * n, 'tx_sigs')
  let creations = 0
  for (let i = 0; i < n; i++) creations += contractCreationBits[i] as number
  const tos = r.take(20 * (n - creations), 'tx_tos')
  const txDatas: Uint8Array[] = []
  const txTypes: number[] = []
  let legacy = 0
  const rlp = new RlpReader(r.bytes, 'span-batch') // one reader for every tx's list header
  for (let i = 0; i < n; i++) {
    const type = readTxData(r, rlp, txDatas)
    txTypes.push(type)
    if (type === LEGACY_TX_TYPE) legacy++
  }
  const nonces: bigint[] = []
  for (let i = 0; i < n; i++) nonces.push(r.uvarint('tx_nonce'))
  const gases: bigint[] = []
  for (let i = 0; i < n; i++) gases.push(r.uvarint('tx_gas'))
  const protectedBits = r.bits(legacy, 'protected_bits')
  return { totalTxCount: n, contractCreationBits, yParityBits, sigs, tos, txDatas, txTypes, nonces, gases, protectedBits }
}

/**
 * op-node `ReadTxData`: optional type byte (≤ 0x7f), then one RLP list (≤ MAX_SPAN_BATCH_ELEMENT_COUNT bytes).
 * Appends the entry to `txDatas` and returns its type; `rlp` is a reader over the same bytes, reused.
 */
function readTxData(r: ByteReader, rlp: RlpReader, txDatas: Uint8Array[]): number {
  const start = r.pos
  const first = r.u8('tx data')
  let type = LEGACY_TX_TYPE
  if (first <= 0x7f) type = first
  else r.pos = start
  rlp.pos = r.pos
  const end = rlp.peekEnd()
  if (!rlp.peekedIsList) rlp.fail('tx RLP prefix type must be list')
  if (end - r.pos > MAX_SPAN_BATCH_ELEMENT_COUNT) rlp.fail('tx data too large')
  r.pos = end
  txDatas.push(r.bytes.subarray(start, end))
  return type
}
