/**
 * Length of the FastLZ (level 1) compression of `input`, as the Fjord L1 fee defines it. Must match
 * solady LibZip.flzCompress / op-geth `FlzCompressLen` / op-revm `flz_compress_len` bit for bit; no npm library
 * computes this, so it is ported here (spec: specs/protocol/fjord/exec-engine.md §"FastLZ").
 */
export function flzCompressLen(input: Uint8Array): number {
  const n = input.length
  const idxLimit = n < 13 ? 0 : n - 13
  const htab = new Uint32Array(8192)
  let idx = 2
  let anchor = 0
  let size = 0
  const u24 = (i: number): number => input[i]! | (input[i + 1]! << 8) | (input[i + 2]! << 16)
  // (v * 2654435769) >> 19 & 0x1fff only needs bits 19..31 of the product, i.e. its low 32 bits.
  const hash = (v: number): number => (Math.imul(v, 2654435769 | 0) >>> 19) & 0x1fff
  const literals = (r: number, s: number): number => {
    s += 0x21 * Math.floor(r / 0x20)
    r %= 0x20
    return r !== 0 ? s + r + 1 : s
  }
  const setNextHash = (i: number): number => {
    htab[hash(u24(i))] = i
    return i + 1
  }
  while (idx < idxLimit) {
    let r = 0
    let distance = 0
    for (;;) {
      const seq = u24(idx)
      const h = hash(seq)
      r = htab[h]!
      htab[h] = idx
      distance = idx - r
      if (idx >= idxLimit) break
      idx++
      if (distance < 8192 && seq === u24(r)) break
    }
    if (idx >= idxLimit) break
    idx--
    if (idx > anchor) size = literals(idx - anchor, size)
    // cmp(input, r + 3, idx + 3, idxLimit + 9)
    const p = r + 3
    const q = idx + 3
    const maxLen = idxLimit + 9 - q
    let len = maxLen
    for (let i = 0; i < maxLen; i++) {
      if (input[p + i] !== input[q + i]) {
        len = i + 1
        break
      }
    }
    const l = len - 1
    size += 3 * Math.floor(l / 262)
    size += l % 262 >= 6 ? 3 : 2
    idx = setNextHash(idx + len)
    idx = setNextHash(idx)
    anchor = idx
  }
  return literals(n - anchor, size)
}
