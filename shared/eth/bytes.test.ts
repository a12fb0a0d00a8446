import { bytesToHex, hexToBytes, numberToBytes } from 'viem'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { bigintToMinimalBytes, concatBytes, equalBytes, hexBytes, toHex, u256, uintBytes } from './bytes'

describe('shared/eth bytes helpers agree with viem', () => {
  it('hex ↔ bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (b) => {
      expect(toHex(b)).toBe(bytesToHex(b))
      expect(hexBytes(toHex(b))).toEqual(b)
      expect(hexBytes(toHex(b).slice(2))).toEqual(hexToBytes(bytesToHex(b)))
    }))
    expect(() => hexBytes('0x123')).toThrow(RangeError)
    expect(() => hexBytes('0xzz')).toThrow(RangeError)
    expect(() => hexBytes('0x1234', 3)).toThrow(/expected 3 bytes/)
  })

  it('integers: minimal big-endian (RLP) and 32-byte words', () => {
    fc.assert(fc.property(fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }), (n) => {
      expect(u256(n)).toEqual(numberToBytes(n, { size: 32 }))
      expect(bigintToMinimalBytes(n)).toEqual(n === 0n ? new Uint8Array(0) : numberToBytes(n))
    }))
    fc.assert(fc.property(fc.integer({ min: 1, max: 32 }), fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }), (size, n) => {
      const v = n % 2n ** BigInt(8 * size)
      expect(uintBytes(v, size)).toEqual(numberToBytes(v, { size }))
    }))
    expect(() => bigintToMinimalBytes(-1n)).toThrow(RangeError)
  })

  it('concatBytes and equalBytes', () => {
    expect(concatBytes([Uint8Array.of(1), new Uint8Array(0), Uint8Array.of(2, 3)])).toEqual(Uint8Array.of(1, 2, 3))
    expect(equalBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 2))).toBe(true)
    expect(equalBytes(Uint8Array.of(1, 2), Uint8Array.of(1, 3))).toBe(false)
    expect(equalBytes(Uint8Array.of(1), Uint8Array.of(1, 0))).toBe(false)
  })
})
