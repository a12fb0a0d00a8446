/**
 * RawSpanBatch → SpanBatch: block timestamps, L1 origin numbers and full transactions
 * (delta/span-batches.md; op-node span_batch.go `RawSpanBatch.derive`, kona batch/raw.rs).
 *
 * Origins: the last block has `l1_origin_num`; walking backwards, a set origin bit at index i > 0 means block i-1's
 * origin is one lower; bit 0 is ignored. u64 arithmetic wraps like op-node's, so a hostile value ends in the same drop.
 */
import type { RawSpanBatch, SpanBatch, SpanBatchElement } from './batchTypes'
import { MalformedBatcherDataError } from './errors'
import { buildFullTxs } from './spanBatchTx'

const U64 = 1n << 64n

export interface DeriveSpanBatchParameters {
  genesisL2Time: number
  blockTime: number
  l2ChainId: number | bigint
}

export function deriveSpanBatch(raw: RawSpanBatch, p: DeriveSpanBatchParameters): SpanBatch {
  if (raw.blockCount === 0) throw new MalformedBatcherDataError('span-batch', 'span batch must not be empty')
  const chainId = BigInt(p.l2ChainId)
  const origins = new Array<bigint>(raw.blockCount)
  let origin = raw.l1OriginNum
  for (let i = raw.blockCount - 1; i >= 0; i--) {
    origins[i] = origin
    if (raw.originBits[i] === 1 && i > 0) origin = (origin - 1n + U64) % U64
  }
  const fullTxs = buildFullTxs(raw.txs, chainId)
  const blocks: SpanBatchElement[] = []
  let txIdx = 0
  const base = BigInt(p.genesisL2Time) + raw.relTimestamp
  for (let i = 0; i < raw.blockCount; i++) {
    const count = raw.blockTxCounts[i] as number
    blocks.push({
      timestamp: (base + BigInt(p.blockTime) * BigInt(i)) % U64,
      epochNum: origins[i] as bigint,
      transactions: fullTxs.slice(txIdx, txIdx + count),
    })
    txIdx += count
  }
  return { type: 'span', parentCheck: raw.parentCheck, l1OriginCheck: raw.l1OriginCheck, blocks }
}
