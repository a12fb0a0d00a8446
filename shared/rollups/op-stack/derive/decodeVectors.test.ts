/**
 * The real OP Mainnet batcher tx and span-batch channel decode to the facts in vectors/op/derive/derive-expected.json.
 */
import { describe, expect, it } from 'vitest'
import { parseTransaction, recoverTransactionAddress, toHex as viemToHex } from 'viem'
import { createNodeDecompressor } from '../../../../electron/services/l1/createNodeDecompressor'
import { readVectorBytes, readVectorHex, readVectorJson } from '../../../../fixtures/vectors'
import { parseFrames } from './parseFrames'
import { readChannel } from './readChannel'
import { hashTx } from './hashTx'
import { decodeRawSpanBatch } from './decodeBatch'
import { encodeRawSpanBatch, encodeSpanBatch } from './encodeSpanBatch'
import type { RawSpanBatch, SpanBatch } from './batchTypes'
import { toHex } from '../../../eth/bytes'

interface ExpectedSpan {
  relTimestamp: number | string
  l1OriginNum: number | string
  parentCheck: string
  l1OriginCheck: string
  blockCount: number
  totalTxCount: number
  originBitsIndexOrder: string
  blockTxCounts: number[]
  firstBlock: { timestamp: number; l1OriginNumber: number }
  lastBlock: { timestamp: number; l1OriginNumber: number }
  blocks: { timestamp: number; l1OriginNumber: number; txCount: number; transactions: { hash: string; type: number }[] }[]
}
interface Expected {
  vectors: ({ file: string } & Record<string, unknown>)[]
}
const expected = readVectorJson<Expected>('op/derive/derive-expected.json')
const vec = (file: string): Record<string, unknown> => {
  const v = expected.vectors.find((x) => x.file === file)
  if (!v) throw new Error(`missing ${file}`)
  return v
}
const OP_MAINNET = { genesisL2Time: 1686068903, blockTime: 2, l2ChainId: 10 }
const decompressor = createNodeDecompressor()
const readParams = { decompressor, maxRlpBytes: 10_000_000, isFjord: false, isDelta: true, chain: OP_MAINNET }

function checkSpan(raw: RawSpanBatch, span: SpanBatch, e: ExpectedSpan): void {
  expect(raw.relTimestamp).toBe(BigInt(e.relTimestamp))
  expect(raw.l1OriginNum).toBe(BigInt(e.l1OriginNum))
  expect(toHex(raw.parentCheck)).toBe(e.parentCheck)
  expect(toHex(raw.l1OriginCheck)).toBe(e.l1OriginCheck)
  expect(raw.blockCount).toBe(e.blockCount)
  expect(raw.txs.totalTxCount).toBe(e.totalTxCount)
  expect([...raw.originBits].join('')).toBe(e.originBitsIndexOrder)
  expect(raw.blockTxCounts).toEqual(e.blockTxCounts)
  expect(span.blocks.length).toBe(e.blockCount)
  expect(Number(span.blocks[0]?.timestamp)).toBe(e.firstBlock.timestamp)
  expect(Number(span.blocks[0]?.epochNum)).toBe(e.firstBlock.l1OriginNumber)
  expect(Number(span.blocks.at(-1)?.timestamp)).toBe(e.lastBlock.timestamp)
  expect(Number(span.blocks.at(-1)?.epochNum)).toBe(e.lastBlock.l1OriginNumber)
  span.blocks.forEach((b, i) => {
    const eb = e.blocks[i]
    if (!eb) throw new Error('block count mismatch')
    expect(Number(b.timestamp)).toBe(eb.timestamp)
    expect(Number(b.epochNum)).toBe(eb.l1OriginNumber)
    expect(b.transactions.map(hashTx)).toEqual(eb.transactions.map((t) => t.hash))
    expect(b.transactions.map((t) => ((t[0] as number) > 0x7f ? 0 : t[0]))).toEqual(eb.transactions.map((t) => t.type))
  })
}

describe('real OP Mainnet batcher transaction', () => {
  const v = vec('op-mainnet-batcher-tx.bin')
  const l1 = v.l1Transaction as { hash: string; to: string; calldataLength: number; recoveredSender: string; nonce: number }
  const raw = readVectorBytes('op/derive/op-mainnet-batcher-tx.bin')

  it('is the expected L1 transaction from the OP Mainnet batcher', async () => {
    expect(hashTx(raw)).toBe(l1.hash)
    const tx = parseTransaction(viemToHex(raw))
    expect(tx.to?.toLowerCase()).toBe(l1.to)
    expect(tx.nonce).toBe(l1.nonce)
    expect(((tx.data?.length ?? 2) - 2) / 2).toBe(l1.calldataLength)
    const sender = await recoverTransactionAddress({ serializedTransaction: viemToHex(raw) as `0x02${string}` })
    expect(sender.toLowerCase()).toBe(l1.recoveredSender)
  })

  it('decodes to one frame, one zlib channel, one span batch with the expected blocks and tx hashes', async () => {
    const tx = parseTransaction(viemToHex(raw))
    const calldata = Buffer.from((tx.data as string).slice(2), 'hex')
    const frames = parseFrames(new Uint8Array(calldata))
    const ef = (v.calldata as { frames: { channelId: string; frameNumber: number; frameDataLength: number; isLast: boolean }[] }).frames
    expect(frames.map((f) => ({ channelId: `0x${f.channelId}`, frameNumber: f.frameNumber, frameDataLength: f.data.length, isLast: f.isLast }))).toEqual(ef)
    const ch = v.channel as { decompressedLength: number; batchCount: number; batchTypes: number[] }
    const res = await readChannel(frames[0]!.data, readParams)
    expect(res.compression).toBe('zlib')
    // The stream has no end marker: everything decodes and the one batch is complete.
    expect(res.decompressedLength).toBe(ch.decompressedLength)
    expect(res.batches.length).toBe(ch.batchCount)
    const only = res.batches[0]!
    expect(only.raw.type).toBe('span')
    checkSpan(only.raw as RawSpanBatch, only.batch as SpanBatch, v.spanBatch as ExpectedSpan)
  })
})

describe('real OP Mainnet span-batch channel (143 blocks, 1766 txs)', () => {
  const v = vec('op-mainnet-span-batch-channel.hex')
  it('decodes to the expected blocks and tx hashes, and re-encodes to the same batch bytes', async () => {
    const channel = readVectorHex('op/derive/op-mainnet-span-batch-channel.hex')
    const res = await readChannel(channel, readParams)
    const ch = v.channel as { decompressedLength: number; batchCount: number }
    expect(res.decompressedLength).toBe(ch.decompressedLength)
    expect(res.batches.length).toBe(ch.batchCount)
    expect(res.stopReason).toBeUndefined()
    const { raw, batch } = res.batches[0]!
    checkSpan(raw as RawSpanBatch, batch as SpanBatch, v.spanBatch as ExpectedSpan)
    // encode(decode(x)) == x at the batch level (0x01 ++ prefix ++ payload)
    const reencoded = encodeSpanBatch(batch as SpanBatch, OP_MAINNET)
    const original = encodeRawSpanBatch(raw as RawSpanBatch)
    expect(Buffer.from(reencoded.subarray(1)).equals(Buffer.from(original))).toBe(true)
  })
})

describe('synthetic random span batch (kona/op-node generator)', () => {
  const v = vec('synthetic-span-batch-v1-random.bin')
  const e = v.expectedDecode as Record<string, unknown>
  it('decodes its fields (u64 origin above 2^63) and re-encodes byte for byte', () => {
    const body = readVectorBytes('op/derive/synthetic-span-batch-v1-random.bin')
    const raw = decodeRawSpanBatch(body)
    expect(raw.relTimestamp).toBe(BigInt(e.relTimestamp as string))
    expect(raw.l1OriginNum).toBe(BigInt(e.l1OriginNum as string))
    expect(toHex(raw.parentCheck)).toBe(e.parentCheck)
    expect(raw.blockTxCounts).toEqual(e.blockTxCounts)
    expect([...raw.originBits].join('')).toBe(e.originBitsIndexOrder)
    expect(raw.txs.txTypes.filter((t) => t === 0).length).toBe(e.legacyTxCount)
    expect([...raw.txs.protectedBits].filter((b) => b === 1).length).toBe(e.protectedLegacyTxCount)
    expect([...raw.txs.contractCreationBits].filter((b) => b === 1).length).toBe(e.contractCreationCount)
    expect(Buffer.from(encodeRawSpanBatch(raw)).equals(Buffer.from(body))).toBe(true)
  })
})

describe('inactive span batch v2 (type 0x02)', () => {
  it('is rejected as an unknown batch type', async () => {
    const { decodeBatch } = await import('./decodeBatch')
    const bytes = readVectorHex('op/derive/INACTIVE-span-batch-v2.hex')
    expect(() => decodeBatch(bytes[0] === 2 ? bytes : new Uint8Array([2, ...bytes]))).toThrow(/unrecognized batch type 2/)
  })
})
