import { describe, expect, it } from 'vitest'
import { hexToBytes } from 'viem'
import { flzCompressLen } from './flzCompressLen'

// Cases from op-revm fast_lz.rs tests (they match solady's JS LibZip and op-geth).
describe('flzCompressLen', () => {
  it('matches the reference lengths', () => {
    expect(flzCompressLen(new Uint8Array(0))).toBe(0)
    expect(flzCompressLen(new Uint8Array(1000))).toBe(21)
    expect(flzCompressLen(new Uint8Array(1000).fill(42))).toBe(21)
    expect(flzCompressLen(hexToBytes('0xFACADE'))).toBe(4)
    expect(
      flzCompressLen(
        hexToBytes(
          '0x02f901550a758302df1483be21b88304743f94f80e51afb613d764fa61751affd3313c190a86bb870151bd62fd12adb8e41ef24f3f000000000000000000000000000000000000000000000000000000000000006e000000000000000000000000af88d065e77c8cc2239327c5edb3a432268e5831000000000000000000000000000000000000000000000000000000000003c1e5000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000a000000000000000000000000000000000000000000000000000000000000000148c89ed219d02f1a5be012c689b4f5b731827bebe000000000000000000000000c001a033fd89cb37c31b2cba46b6466e040c61fc9b2a3675a7f5f493ebd5ad77c497f8a07cdf65680e238392693019b4092f610222e71b7cec06449cb922b93b6a12744e',
        ),
      ),
    ).toBe(202)
  })
  it('grows strictly for inputs without repeats', () => {
    const input: number[] = []
    let prev = 0
    for (let i = 0; i < 256; i++) {
      input.push(i)
      const len = flzCompressLen(Uint8Array.from(input))
      expect(len).toBeGreaterThan(prev)
      prev = len
    }
  })
})
