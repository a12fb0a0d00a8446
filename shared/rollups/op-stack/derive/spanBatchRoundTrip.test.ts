/** Span-batch encode/decode round trips on random batches (fast-check). */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { encodeRawSpanBatch, encodeSpanBatch, toRawSpanBatch } from './encodeSpanBatch'
import { decodeBatch, decodeRawSpanBatch } from './decodeBatch'
import { deriveSpanBatch } from './deriveSpanBatch'
import { buildFullTx, parseSpanTxData } from './spanBatchTx'
import { encodeRlpBytes, encodeRlpList, encodeRlpUint } from './rlpReader'
import type { SpanBatch } from './batchTypes'
import { concatBytes } from '../../../eth/bytes'

const CHAIN = { genesisL2Time: 1_700_000_000, blockTime: 2, l2ChainId: 901 }

const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max })
const u256 = fc.bigInt({ min: 0n, max: (1n << 256n) - 1n })
const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })
const accessList = fc.array(fc.tuple(bytes(20, 20), fc.array(bytes(32, 32), { maxLength: 2 })), { maxLength: 2 }).map((l) =>
  encodeRlpList(l.map(([a, keys]) => encodeRlpList([encodeRlpBytes(a), encodeRlpList(keys.map(encodeRlpBytes))]))),
)
const authList = fc.array(fc.tuple(u256, bytes(20, 20), u64, fc.integer({ min: 0, max: 1 }), u256, u256), { maxLength: 2 }).map((l) =>
  encodeRlpList(l.map(([c, a, n, y, r, s]) => encodeRlpList([encodeRlpUint(c), encodeRlpBytes(a), encodeRlpUint(n), encodeRlpUint(y), encodeRlpUint(r), encodeRlpUint(s)]))),
)

const txArb = fc
  .record({
    type: fc.constantFrom(0, 1, 2, 4),
    value: u256,
    fee1: u256,
    fee2: u256,
    data: bytes(0, 80),
    accessList,
    authList,
    nonce: u64,
    gas: u64,
    creation: fc.boolean(),
    to: bytes(20, 20),
    yParity: fc.integer({ min: 0, max: 1 }),
    protected: fc.boolean(),
    r: bytes(32, 32),
    s: bytes(32, 32),
  })
  .map((t) => {
    const items =
      t.type === 0 ? [encodeRlpUint(t.value), encodeRlpUint(t.fee1), encodeRlpBytes(t.data)]
      : t.type === 1 ? [encodeRlpUint(t.value), encodeRlpUint(t.fee1), encodeRlpBytes(t.data), t.accessList]
      : t.type === 2 ? [encodeRlpUint(t.value), encodeRlpUint(t.fee1), encodeRlpUint(t.fee2), encodeRlpBytes(t.data), t.accessList]
      : [encodeRlpUint(t.value), encodeRlpUint(t.fee1), encodeRlpUint(t.fee2), encodeRlpBytes(t.data), t.accessList, t.authList]
    const txData = t.type === 0 ? encodeRlpList(items) : concatBytes([new Uint8Array([t.type]), encodeRlpList(items)])
    return buildFullTx(parseSpanTxData(txData), {
      chainId: BigInt(CHAIN.l2ChainId),
      nonce: t.nonce,
      gas: t.gas,
      to: t.creation && t.type !== 4 ? undefined : t.to,
      yParity: t.yParity,
      isProtected: t.type !== 0 || t.protected,
      r: t.r,
      s: t.s,
    })
  })

const spanArb = fc
  .record({
    rel: fc.bigInt({ min: 0n, max: 1n << 40n }),
    firstEpoch: fc.bigInt({ min: 1000n, max: 1n << 40n }),
    blocks: fc.array(fc.record({ advance: fc.boolean(), txs: fc.array(txArb, { maxLength: 4 }) }), { minLength: 1, maxLength: 6 }),
    parentCheck: bytes(20, 20),
    originCheck: bytes(20, 20),
  })
  .map((s): SpanBatch => {
    let epoch = s.firstEpoch
    return {
      type: 'span',
      parentCheck: s.parentCheck,
      l1OriginCheck: s.originCheck,
      blocks: s.blocks.map((b, i) => {
        if (i > 0 && b.advance) epoch += 1n
        return { timestamp: BigInt(CHAIN.genesisL2Time) + s.rel + BigInt(2 * i), epochNum: epoch, transactions: b.txs }
      }),
    }
  })

describe('span batch encode/decode', () => {
  it('decode(encode(batch)) == batch, and raw re-encoding is byte-identical', () => {
    fc.assert(
      fc.property(spanArb, (batch) => {
        const encoded = encodeSpanBatch(batch, CHAIN)
        const raw = decodeBatch(encoded)
        if (raw.type !== 'span') throw new Error('expected a span batch')
        const back = deriveSpanBatch(raw, CHAIN)
        expect(back.blocks.length).toBe(batch.blocks.length)
        back.blocks.forEach((b, i) => {
          const want = batch.blocks[i]!
          expect(b.timestamp).toBe(want.timestamp)
          expect(b.epochNum).toBe(want.epochNum)
          expect(b.transactions.map((t) => Buffer.from(t).toString('hex'))).toEqual(want.transactions.map((t) => Buffer.from(t).toString('hex')))
        })
        expect(Buffer.from(encodeRawSpanBatch(decodeRawSpanBatch(encoded.subarray(1)))).equals(Buffer.from(encoded.subarray(1)))).toBe(true)
        expect(Buffer.from(encodeRawSpanBatch(toRawSpanBatch(back, CHAIN))).equals(Buffer.from(encoded.subarray(1)))).toBe(true)
      }),
      { numRuns: 300, seed: 42 },
    )
  })
})
