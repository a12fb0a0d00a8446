import { keccak_256 } from '@noble/hashes/sha3.js'
import { describe, expect, it } from 'vitest'
import { readVectorJson } from '../../fixtures/vectors'
import { bloomMayContain, bloomMayContainAny } from './logsBloom'
import { hexBytes } from './bytes'

interface TracingWithdraw {
  parentExecutionReceipt: { logsBloom: string; logs: { address: string; topics: string[] }[] }
}

// A real Ethereum mainnet receipt (Outbox.executeTransaction, L1 block 15500187; vectors README §5).
const receipt = readVectorJson<TracingWithdraw>('arbitrum/sdk-tracing-withdraw.json').parentExecutionReceipt
const bloom = hexBytes(receipt.logsBloom)

/** Deterministic "other" addresses: keccak(i) truncated to 20 bytes. */
const other = (i: number): Uint8Array => keccak_256(Uint8Array.of(i >> 8, i & 0xff)).subarray(12)

describe('bloomMayContain (Yellow Paper §4.3.1, real mainnet receipt)', () => {
  it('contains every address and topic of the receipt’s logs (a bloom has no false negatives)', () => {
    expect(receipt.logs.length).toBeGreaterThan(1)
    for (const l of receipt.logs) {
      expect(bloomMayContain(bloom, hexBytes(l.address))).toBe(true)
      for (const t of l.topics) expect(bloomMayContain(bloom, hexBytes(t))).toBe(true)
    }
  })

  it('excludes nearly every other address: the receipt’s bloom is sparse', () => {
    let excluded = 0
    for (let i = 0; i < 1000; i++) if (!bloomMayContain(bloom, other(i))) excluded++
    // 2 logs with 7 items set ≤ 21 of 2048 bits: a random item passes with probability < (21/2048)^3.
    expect(excluded).toBe(1000)
  })

  it('the receipt bloom is exactly the union of its items’ bits (one cleared bit excludes its items)', () => {
    const items = receipt.logs.flatMap((l) => [l.address, ...l.topics]).map((h) => hexBytes(h))
    // Clear each set bit in turn: at least one item must then be excluded, so no bit is spare.
    for (let byte = 0; byte < 256; byte++) {
      for (let bit = 0; bit < 8; bit++) {
        if (((bloom[byte] as number) & (1 << bit)) === 0) continue
        const cut = bloom.slice()
        cut[byte] = (cut[byte] as number) & ~(1 << bit)
        expect(items.every((it) => bloomMayContain(cut, it))).toBe(false)
      }
    }
  })

  it('the zero bloom excludes everything, the full bloom contains everything', () => {
    const addr = hexBytes(receipt.logs[0]!.address)
    expect(bloomMayContain(new Uint8Array(256), addr)).toBe(false)
    expect(bloomMayContain(new Uint8Array(256).fill(0xff), addr)).toBe(true)
    expect(bloomMayContainAny(bloom, [other(1), addr])).toBe(true)
    expect(bloomMayContainAny(bloom, [other(1), other(2)])).toBe(false)
    expect(bloomMayContainAny(bloom, [])).toBe(false)
  })

  it('refuses a bloom of the wrong size', () => {
    expect(() => bloomMayContain(new Uint8Array(255), other(0))).toThrow(RangeError)
  })
})
