import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { BLOB_MAX_DATA_SIZE, BLOB_SIZE, decodeBlob } from './decodeBlob'
import { encodeBlob } from './encodeBlob'
import { MalformedBatcherDataError } from './errors'

describe('OP blob encoding', () => {
  it('round-trips edge lengths', () => {
    for (const n of [0, 1, 26, 27, 28, 123, 124, 126, 127, 128, 200, 4096, BLOB_MAX_DATA_SIZE - 1, BLOB_MAX_DATA_SIZE]) {
      const data = new Uint8Array(n).map((_, i) => (i * 131 + 7) & 0xff)
      const blob = encodeBlob(data)
      expect(blob.length).toBe(BLOB_SIZE)
      // every field element is canonical: top 2 bits of its first byte are 0
      for (let i = 0; i < BLOB_SIZE; i += 32) expect((blob[i] as number) & 0xc0).toBe(0)
      expect(Buffer.from(decodeBlob(blob)).equals(Buffer.from(data))).toBe(true)
    }
  })

  it('places the header as the spec says: version at byte 1, uint24 length at bytes 2..4', () => {
    const blob = encodeBlob(new Uint8Array([0xff, 0xee]))
    expect([...blob.subarray(0, 7)]).toEqual([0, 0, 0, 0, 2, 0xff, 0xee])
  })

  it('round-trips random data (fast-check)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (data) => {
        expect(decodeBlob(encodeBlob(data))).toEqual(data)
      }),
      { numRuns: 200, seed: 4 },
    )
  })

  it('rejects bad blobs with a classified error', () => {
    const good = encodeBlob(new Uint8Array(300).fill(9))
    const cases: [string, (b: Uint8Array) => void, RegExp][] = [
      ['version', (b) => (b[1] = 1), /encoding version/],
      ['length', (b) => { b[2] = 0xff }, /exceeds/],
      ['top bits', (b) => (b[32] = 0x40), /top bits/],
      ['trailing input', (b) => (b[BLOB_SIZE - 1] = 1), /after the encoded data/],
      ['trailing output', (b) => { b[4] = 10 }, /beyond the declared length/],
    ]
    for (const [, mutate, re] of cases) {
      const b = good.slice()
      mutate(b)
      expect(() => decodeBlob(b)).toThrow(MalformedBatcherDataError)
      expect(() => decodeBlob(b)).toThrow(re)
    }
    expect(() => decodeBlob(new Uint8Array(10))).toThrow(MalformedBatcherDataError)
  })

  it('ignores the top bits of element 0 like op-node and kona', () => {
    const b = encodeBlob(new Uint8Array([1, 2, 3]))
    b[0] = (b[0] as number) | 0x40
    expect(decodeBlob(b)).toEqual(new Uint8Array([1, 2, 3]))
  })
})
