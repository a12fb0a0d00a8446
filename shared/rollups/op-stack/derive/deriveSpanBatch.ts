/**
 * RawSpanBatch → SpanBatch: block timestamps, L1 origin numbers and full transactions
 * (delta/span-batches.md; op-node span_batch.go `RawSpanBatch.derive`, kona batch/raw.rs).
 *
 * Origins: the last block has `l1_origin_num`; walking backwards, a set origin bit at index i > 0 means block i-1's
 * origin is one lower; bit 0 is ignored. u64 arithmetic wraps like op-node's, so a hostile value ends in the same drop.
 */
import type { RawSpanBatch, SpanBatch, SpanBatchElement } from './batchTypes'
import { MalformedBatcherDataError } from './errors'
import { LEGACY_TX_TYPE, buildFullTx, parseSpanTxData } from './spanBatchTx'
import { encodeRlpUint } from './rlpReader'

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
  const fullTxs = buildFullTxs(raw, chainId)
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

function buildFullTxs(raw: RawSpanBatch, chainId: bigint): Uint8Array[] {
  const t = raw.txs
  const out: Uint8Array[] = []
  const chainIdItem = encodeRlpUint(chainId)
  let toIdx = 0
  let legacyIdx = 0
  for (let i = 0; i < t.totalTxCount; i++) {
    const fields = parseSpanTxData(t.txDatas[i] as Uint8Array)
    const isCreation = t.contractCreationBits[i] === 1
    const to = isCreation ? undefined : t.tos.subarray(20 * toIdx, 20 * toIdx + 20)
    if (!isCreation) toIdx++
    let isProtected = true
    if (fields.type === LEGACY_TX_TYPE) isProtected = t.protectedBits[legacyIdx++] === 1
    out.push(
      buildFullTx(fields, {
        chainId,
        chainIdItem,
        nonce: t.nonces[i] as bigint,
        gas: t.gases[i] as bigint,
        to,
        yParity: t.yParityBits[i] as number,
        isProtected,
        r: t.sigs.subarray(64 * i, 64 * i + 32),
        s: t.sigs.subarray(64 * i + 32, 64 * i + 64),
      }),
    )
  }
  return out
}
