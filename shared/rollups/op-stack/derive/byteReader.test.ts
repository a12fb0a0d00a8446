/** ByteReader.uvarint: Go `binary.ReadUvarint` semantics on both sides of the 7-byte number fast path. */
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { ByteReader, writeUvarint } from './byteReader'
import { MalformedBatcherDataError } from './errors'

const encode = (v: bigint): Uint8Array => {
  const out: number[] = []
  writeUvarint(out, v)
  return Uint8Array.from(out)
}

describe('ByteReader.uvarint', () => {
  it('reads every u64 back, including the fast-path boundaries', () => {
    const edges = [0n, 1n, 127n, 128n, 2n ** 49n - 1n, 2n ** 49n, 2n ** 53n, 2n ** 56n - 1n, 2n ** 56n, 2n ** 63n, 2n ** 64n - 1n]
    for (const v of edges) {
      const r = new ByteReader(Uint8Array.from([...encode(v), 0xaa]), 'span-batch')
      expect(r.uvarint()).toBe(v)
      expect(r.pos).toBe(encode(v).length)
    }
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (v) => {
        const r = new ByteReader(encode(v), 'span-batch')
        expect(r.uvarint()).toBe(v)
        expect(r.remaining).toBe(0)
      }),
      { numRuns: 2000, seed: 7 },
    )
  })

  it('accepts non-minimal encodings, as Go does', () => {
    expect(new ByteReader(Uint8Array.from([0x80, 0x00]), 'span-batch').uvarint()).toBe(0n)
    expect(new ByteReader(Uint8Array.from([0xff, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]), 'span-batch').uvarint()).toBe(127n)
  })

  it('rejects truncation and values beyond 64 bits with a classified error', () => {
    const bad = [
      Uint8Array.from([0x80, 0x80]), // ends inside the varint (fast path)
      Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), // ends inside the varint (bigint path)
      Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02]), // 2^64
      Uint8Array.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00]), // 11 bytes
    ]
    for (const b of bad) expect(() => new ByteReader(b, 'span-batch').uvarint('tx_nonce')).toThrow(MalformedBatcherDataError)
    expect(() => new ByteReader(bad[2] as Uint8Array, 'span-batch').uvarint('tx_nonce')).toThrow(/tx_nonce overflows 64 bits/)
  })
})
