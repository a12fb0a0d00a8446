/**
 * Byte-level encoders for Merkle-Patricia trie nodes (Yellow Paper appendix D: RLP and hex-prefix encoding).
 *
 * Hand-written rather than @ethereumjs/rlp because the trie builder encodes millions of nodes whose shapes are fixed
 * (leaf, extension, 17-item branch); writing straight into one preallocated buffer avoids the generic encoder's
 * intermediate arrays and is most of the difference between "about keccak speed" and "several times slower".
 * Decoding untrusted proofs still goes through @ethereumjs/rlp (verifyProof.ts).
 */

export const EMPTY_BYTES = new Uint8Array(0)

/** RLP length of a byte string payload of `n` bytes whose first byte is `first` (only matters when n == 1). */
export function rlpStringLength(n: number, first: number): number {
  if (n === 1 && first < 0x80) return 1
  if (n < 56) return 1 + n
  return 1 + byteLen(n) + n
}

/** RLP length of a list whose payload is `n` bytes. */
export function rlpListLength(n: number): number {
  return n < 56 ? 1 + n : 1 + byteLen(n) + n
}

function byteLen(n: number): number {
  let len = 0
  while (n > 0) {
    len++
    n = Math.floor(n / 256)
  }
  return len
}

/** Writes an RLP string header + payload at `pos`; returns the new position. */
export function writeRlpString(out: Uint8Array, pos: number, bytes: Uint8Array): number {
  const n = bytes.length
  if (n === 1 && bytes[0]! < 0x80) {
    out[pos] = bytes[0]!
    return pos + 1
  }
  pos = writeHeader(out, pos, n, 0x80)
  copy(out, pos, bytes)
  return pos + n
}

/** Byte copy; for the short arrays of trie nodes a loop beats TypedArray#set (which takes a slow generic path). */
export function copy(out: Uint8Array, pos: number, bytes: Uint8Array): void {
  const n = bytes.length
  for (let i = 0; i < n; i++) out[pos + i] = bytes[i]!
}

/** Writes an RLP list header for a payload of `n` bytes; returns the new position. */
export function writeListHeader(out: Uint8Array, pos: number, n: number): number {
  return writeHeader(out, pos, n, 0xc0)
}

function writeHeader(out: Uint8Array, pos: number, n: number, offset: number): number {
  if (n < 56) {
    out[pos] = offset + n
    return pos + 1
  }
  const len = byteLen(n)
  out[pos] = offset + 55 + len
  for (let i = len; i > 0; i--) {
    out[pos + i] = n & 0xff
    n = Math.floor(n / 256)
  }
  return pos + len + 1
}

/**
 * Hex-prefix encoding of nibbles[from, to) (Yellow Paper appendix C): flag nibble 2 for leaves, 0 for extensions,
 * +1 when the path length is odd (then the first nibble shares the flag byte).
 */
export function hexPrefix(key: Uint8Array, from: number, to: number, leaf: boolean): Uint8Array {
  const len = to - from
  const odd = len & 1
  const out = new Uint8Array((len >> 1) + 1)
  let i = from
  if (odd) {
    out[0] = ((leaf ? 2 : 0) + 1) * 16 + nibbleAt(key, i)
    i++
  } else {
    out[0] = (leaf ? 2 : 0) * 16
  }
  for (let o = 1; i < to; i += 2, o++) out[o] = nibbleAt(key, i) * 16 + nibbleAt(key, i + 1)
  return out
}

export function nibbleAt(key: Uint8Array, i: number): number {
  const b = key[i >> 1]!
  return i & 1 ? b & 0x0f : b >> 4
}

/** A two-item node (leaf or extension): rlp([hexPrefix(path), second]) where `second` is a child reference (a
 * 32-byte hash or an embedded node, for extensions) or a raw value to be RLP-encoded (leaves). */
export function encodeShortNode(path: Uint8Array, second: Uint8Array, secondIsRlp: boolean): Uint8Array {
  const pathLen = rlpStringLength(path.length, path[0] ?? 0)
  const secondLen = secondIsRlp ? refLength(second) : rlpStringLength(second.length, second[0] ?? 0)
  const payload = pathLen + secondLen
  const out = new Uint8Array(rlpListLength(payload))
  let pos = writeListHeader(out, 0, payload)
  pos = writeRlpString(out, pos, path)
  if (!secondIsRlp) writeRlpString(out, pos, second)
  else if (second.length === 32) {
    out[pos] = 0xa0
    copy(out, pos + 1, second)
  } else copy(out, pos, second)
  return out
}

export function branchNodeLength(children: readonly (Uint8Array | undefined)[], value: Uint8Array | undefined): number {
  let payload = 0
  for (let i = 0; i < 16; i++) {
    const c = children[i]
    payload += c ? refLength(c) : 1
  }
  payload += value ? rlpStringLength(value.length, value[0] ?? 0) : 1
  return rlpListLength(payload)
}

/** A branch node: 16 child references (undefined = empty, a 32-byte hash, or an embedded node < 32 bytes) + value.
 * Written into `out` (at least branchNodeLength bytes); returns its length. */
export function encodeBranchNodeInto(out: Uint8Array, children: readonly (Uint8Array | undefined)[], value: Uint8Array | undefined): number {
  let payload = 0
  for (let i = 0; i < 16; i++) {
    const c = children[i]
    payload += c ? refLength(c) : 1
  }
  payload += value ? rlpStringLength(value.length, value[0] ?? 0) : 1
  let pos = writeListHeader(out, 0, payload)
  for (let i = 0; i < 16; i++) {
    const c = children[i]
    if (c && c.length === 32) {
      out[pos] = 0xa0
      copy(out, pos + 1, c)
      pos += 33
    } else if (c) {
      copy(out, pos, c)
      pos += c.length
    } else {
      out[pos++] = 0x80
    }
  }
  if (value) return writeRlpString(out, pos, value)
  out[pos] = 0x80
  return pos + 1
}

export function encodeBranchNode(children: readonly (Uint8Array | undefined)[], value: Uint8Array | undefined): Uint8Array {
  const out = new Uint8Array(branchNodeLength(children, value))
  encodeBranchNodeInto(out, children, value)
  return out
}

/**
 * Length of the leaf rlp([hexPrefix(path), value]) for a path of `nibbles` nibbles and a value of `valueLength`
 * bytes whose first byte is `valueFirst`.
 */
export function leafNodeLength(nibbles: number, valueLength: number, valueFirst: number): number {
  const pathBytes = (nibbles >> 1) + 1
  const pathLen = pathBytes === 1 ? 1 : 1 + pathBytes
  return rlpListLength(pathLen + rlpStringLength(valueLength, valueFirst))
}

/**
 * Writes the leaf for key bytes kb[ko, ko + keyBytes) from nibble `from` on, with value vb[vo, vo + valueLength),
 * into `out` (at least leafNodeLength bytes); returns its length. Offsets into flat buffers rather than subarrays:
 * this runs once per key, and a view object per call was measurable (the hot path of large builds).
 */
export function encodeLeafNodeInto(
  out: Uint8Array,
  kb: Uint8Array,
  ko: number,
  keyBytes: number,
  from: number,
  vb: Uint8Array,
  vo: number,
  valueLength: number,
): number {
  const nibbles = keyBytes * 2 - from
  const pathBytes = (nibbles >> 1) + 1
  const firstPathByte = nibbles & 1 ? 0x30 + (from & 1 ? kb[ko + (from >> 1)]! & 0x0f : kb[ko + (from >> 1)]! >> 4) : 0x20
  const pathLen = pathBytes === 1 ? 1 : 1 + pathBytes
  const payload = pathLen + rlpStringLength(valueLength, vb[vo] ?? 0)
  let pos = writeListHeader(out, 0, payload)
  if (pathBytes > 1) out[pos++] = 0x80 + pathBytes
  out[pos++] = firstPathByte
  // After an odd leading nibble (folded into the flag byte) the rest of the path starts on a byte boundary.
  const endByte = ko + keyBytes
  for (let b = ko + ((from + (nibbles & 1)) >> 1); b < endByte; b++) out[pos++] = kb[b]!
  if (valueLength === 1 && vb[vo]! < 0x80) {
    out[pos] = vb[vo]!
    return pos + 1
  }
  pos = writeHeader(out, pos, valueLength, 0x80)
  for (let k = 0; k < valueLength; k++) out[pos + k] = vb[vo + k]!
  return pos + valueLength
}

/** Writes a child reference: a 32-byte hash as an RLP string, or an embedded node (< 32 bytes) as is. */
export function refLength(ref: Uint8Array): number {
  return ref.length === 32 ? 33 : ref.length
}
