/**
 * The 2048-bit logs bloom of a block or receipt: built from logs (Yellow Paper §4.4.1), and asked whether it can
 * contain an item (a log's address or topic): Yellow Paper §4.3.1 (M3:2048, the three
 * 11-bit indices from the first six bytes of keccak256(item)); go-ethereum core/types/bloom9.go `BloomLookup`.
 * A bloom has no false negatives: if any of an item's three bits is clear, no log of that block (or receipt) carries
 * the item, which is what lets a reader skip a block without asking any endpoint for its logs.
 */
import { keccak_256 } from '@noble/hashes/sha3.js'
import type { ReceiptLog } from './encodeReceipt'

const EMPTY = new Uint8Array(0)

/** The 2048-bit logs bloom (Yellow Paper §4.4.1). */
export function logsBloom(logs: readonly ReceiptLog[], into = new Uint8Array(256)): Uint8Array {
  const add = (item: Uint8Array): void => {
    const h = keccak_256(item)
    for (let i = 0; i < 6; i += 2) {
      const bit = ((h[i]! << 8) | h[i + 1]!) & 0x7ff
      into[255 - (bit >> 3)]! |= 1 << (bit & 7)
    }
  }
  for (const log of logs) {
    add(log.address)
    for (const t of log.topics) add(t)
  }
  return into
}

/** True when `bloom` (256 bytes) has all three bits of `item` set; false means the item is certainly absent. */
export function bloomMayContain(bloom: Uint8Array, item: Uint8Array): boolean {
  if (bloom.length !== 256) throw new RangeError(`a logs bloom is 256 bytes, got ${bloom.length}`)
  // The bits of the item alone are the bloom of one log with that address and no topics (same bit rule as the
  // bloom the executor builds, so the two can never drift apart).
  const bits = logsBloom([{ address: item, topics: [], data: EMPTY }])
  for (let i = 0; i < 256; i++) {
    const b = bits[i] as number
    if (b !== 0 && ((bloom[i] as number) & b) !== b) return false
  }
  return true
}

/** True when `bloom` may contain a log from any of `items` (addresses as bytes). */
export function bloomMayContainAny(bloom: Uint8Array, items: readonly Uint8Array[]): boolean {
  return items.some((item) => bloomMayContain(bloom, item))
}
