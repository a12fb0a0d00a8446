/**
 * Hex ↔ bytes and the integer encodings every stage uses, defined once (they were copied into derive, execute, state
 * and the header codec). Byte-level and allocation-light on purpose: derivation calls them per transaction.
 * viem's hexToBytes/bytesToHex are fine where a `0x${string}` is at hand; these also take untyped strings (RPC,
 * vector files) and check the length the caller expects.
 */
export type Hex = `0x${string}`

/** Hex (with or without 0x) → bytes; throws RangeError on odd length, a non-hex digit, or a length other than expected. */
export function hexBytes(h: string, expectLength?: number): Uint8Array {
  const s = h.startsWith('0x') ? h.slice(2) : h
  if (s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s)) throw new RangeError(`not hex: ${h.slice(0, 20)}`)
  const out = new Uint8Array(s.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16)
  if (expectLength !== undefined && out.length !== expectLength) throw new RangeError(`expected ${expectLength} bytes, got ${out.length}`)
  return out
}

/** Bytes → lower-case 0x hex. */
export function toHex(b: Uint8Array): Hex {
  let s = '0x'
  for (const x of b) s += x.toString(16).padStart(2, '0')
  return s as Hex
}

/** Big-endian, fixed width (ABI words, L1-info fields); the caller keeps 0 ≤ v < 2^(8·size). */
export function uintBytes(v: bigint | number, size: number): Uint8Array {
  let x = BigInt(v)
  const out = new Uint8Array(size)
  for (let i = size - 1; i >= 0 && x > 0n; i--) {
    out[i] = Number(x & 0xffn)
    x >>= 8n
  }
  return out
}

/** Big-endian 32-byte word (ABI uint256, storage slots, source-hash inputs). */
export function u256(v: bigint): Uint8Array {
  return uintBytes(v, 32)
}

/** An RLP integer: big-endian without leading zeros, zero as the empty string (Yellow Paper appendix B). */
export function bigintToMinimalBytes(v: bigint): Uint8Array {
  if (v < 0n) throw new RangeError('negative integer')
  if (v === 0n) return new Uint8Array(0)
  if (v <= 0xffffffffffffn) {
    // Fast path for nonces, gas, chain ids (< 2^48): plain number arithmetic, no string round trip.
    let n = Number(v)
    let len = 0
    for (let x = n; x > 0; x = Math.floor(x / 256)) len++
    const out = new Uint8Array(len)
    for (let i = len - 1; i >= 0; i--) {
      out[i] = n % 256
      n = Math.floor(n / 256)
    }
    return out
  }
  let hex = v.toString(16)
  if (hex.length % 2) hex = `0${hex}`
  const out = new Uint8Array(hex.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16)
  return out
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let len = 0
  for (const p of parts) len += p.length
  const out = new Uint8Array(len)
  let o = 0
  for (const p of parts) {
    out.set(p, o)
    o += p.length
  }
  return out
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}
