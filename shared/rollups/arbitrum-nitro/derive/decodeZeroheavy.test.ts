import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decodeZeroheavy } from './decodeZeroheavy'

/** nitro zeroheavy.ZeroheavyEncoder, written out here only as the test's counterpart to the decoder. */
function encodeZeroheavy(input: Uint8Array): Uint8Array {
  const bits: boolean[] = []
  for (const b of input) for (let i = 7; i >= 0; i--) bits.push(((b >> i) & 1) === 1)
  let pos = 0
  let padding = false
  const next = (): boolean => {
    if (padding) return true
    if (pos >= bits.length) {
      padding = true
      return false
    }
    return bits[pos++] as boolean
  }
  const out: number[] = []
  for (;;) {
    let byte: number
    if (!next()) {
      if (!next()) byte = 0
      else {
        let ret = 1
        for (let i = 0; i < 6; i++) ret = (ret << 1) | (next() ? 1 : 0)
        if (ret === 64) byte = 1
        else byte = ((ret << 1) & 0x7f) | (next() ? 1 : 0)
      }
    } else {
      let ret = 1
      for (let i = 0; i < 7; i++) ret = ((ret << 1) & 0xff) | (next() ? 1 : 0)
      byte = ret
    }
    out.push(byte)
    if (padding) return Uint8Array.from(out)
  }
}

describe('decodeZeroheavy', () => {
  it('round-trips every single byte and the empty input', () => {
    expect(decodeZeroheavy(encodeZeroheavy(new Uint8Array()))).toEqual(new Uint8Array())
    for (let i = 0; i < 256; i++) expect(decodeZeroheavy(encodeZeroheavy(Uint8Array.of(i)))).toEqual(Uint8Array.of(i))
  })

  it('round-trips random data', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), (data) => {
      expect(decodeZeroheavy(encodeZeroheavy(data))).toEqual(data)
    }), { numRuns: 100 })
  })

  it('turns each pair of zero bits into a zero byte (cheap L1 calldata) and stops at the output bound', () => {
    const encoded = encodeZeroheavy(new Uint8Array(800))
    expect(encoded.filter((b) => b === 0).length).toBe(3200)
    expect(decodeZeroheavy(encodeZeroheavy(new Uint8Array(800)), 100)).toHaveLength(100)
  })
})
