import { createMerkleProof, createMPT, verifyMerkleProof } from '@ethereumjs/mpt'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { describe, expect, it } from 'vitest'
import { buildTrie, EMPTY_TRIE_ROOT } from './buildTrie'
import { createProof } from './createProof'
import { TrieInputError } from './errors'
import { verifyProof } from './verifyProof'

/** Deterministic PRNG (mulberry32) so every run checks the same 1000+ sets. */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

interface KeySet {
  keys: Uint8Array[]
  values: Uint8Array[]
}

/** Sets of many shapes: tiny, shared prefixes, variable lengths (prefix keys → values in branches), short values
 * (→ embedded nodes), 32-byte hashed keys. */
function randomSet(rand: () => number, caseIndex: number): KeySet {
  const r = (n: number): number => Math.floor(rand() * n)
  const sizePick = r(10)
  const size = sizePick < 3 ? 1 + r(4) : sizePick < 8 ? 1 + r(40) : 1 + r(300)
  const mode = caseIndex % 4
  const seen = new Set<string>()
  const keys: Uint8Array[] = []
  const values: Uint8Array[] = []
  const base = Uint8Array.from({ length: 32 }, () => r(256))
  while (keys.length < size) {
    let key: Uint8Array
    if (mode === 0) {
      key = keccak_256(Uint8Array.of(r(256), r(256), r(256), r(256)))
    } else if (mode === 1) {
      // Shared prefixes: a common base with a few random bytes changed near the end.
      key = base.slice(0, 8 + r(3))
      for (let k = 0; k < 3; k++) key[key.length - 1 - r(3)] = r(16)
    } else if (mode === 2) {
      // Variable lengths from a tiny alphabet: many keys are prefixes of others.
      key = Uint8Array.from({ length: 1 + r(4) }, () => r(3) * 16 + r(2))
    } else {
      key = Uint8Array.from({ length: 1 + r(33) }, () => r(256))
    }
    const id = hex(key)
    if (seen.has(id)) continue
    seen.add(id)
    keys.push(key)
    const valueLen = rand() < 0.5 ? 1 + r(4) : 1 + r(80)
    values.push(Uint8Array.from({ length: valueLen }, () => r(256)))
  }
  return { keys, values }
}

describe('buildTrie', () => {
  it('gives the empty-trie root for no keys', () => {
    expect(hex(buildTrie({ keys: [], values: [] }).root)).toBe('56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421')
    expect(verifyProof({ root: EMPTY_TRIE_ROOT, key: Uint8Array.of(1), proof: [] })).toBeNull()
  })

  it('matches @ethereumjs/mpt roots and proofs on 1200 random sets', async () => {
    const rand = rng(0x5eed)
    let checkedProofs = 0
    for (let c = 0; c < 1200; c++) {
      const { keys, values } = randomSet(rand, c)
      const prove = keys.map((_, i) => i).filter(() => rand() < 0.3)
      const nodes = new Map<string, Uint8Array>()
      const { root, proofs } = buildTrie({ keys, values, prove, onNode: (h, n) => nodes.set(hex(h), n) })

      const mpt = await createMPT()
      for (let i = 0; i < keys.length; i++) await mpt.put(keys[i]!, values[i]!)
      expect(hex(root), `set ${c} (${keys.length} keys)`).toBe(hex(mpt.root()))

      for (let p = 0; p < prove.length; p++) {
        const i = prove[p]!
        const proof = proofs[p]!
        expect(verifyProof({ root, key: keys[i]!, proof })).toEqual(values[i])
        // The same proof (portal form) is accepted by @ethereumjs/mpt's verifier.
        expect(await verifyMerkleProof(keys[i]!, proof)).toEqual(values[i])
        // Building from the stored nodes gives the same proof.
        expect(createProof({ root, key: keys[i]!, getNode: (h) => nodes.get(hex(h)) }).map(hex)).toEqual(proof.map(hex))
        checkedProofs++
      }

      // Exclusion: an absent key proven from the stored nodes, checked by both verifiers.
      const absent = Uint8Array.from({ length: keys[0]!.length }, () => Math.floor(rand() * 256))
      if (!keys.some((k) => hex(k) === hex(absent))) {
        const proof = createProof({ root, key: absent, getNode: (h) => nodes.get(hex(h)) })
        expect(verifyProof({ root, key: absent, proof })).toBeNull()
        const mptProof = await createMerkleProof(mpt, absent)
        expect(verifyProof({ root, key: absent, proof: mptProof })).toBeNull()
      }
    }
    expect(checkedProofs).toBeGreaterThan(1000)
  }, 240_000)

  it('accepts unsorted input and gives the same root as sorted input', () => {
    const rand = rng(7)
    const keys = Array.from({ length: 500 }, () => keccak_256(Uint8Array.of(Math.floor(rand() * 256), Math.floor(rand() * 256))))
    const unique = [...new Map(keys.map((k) => [hex(k), k])).values()]
    const values = unique.map((k) => k.subarray(0, 5))
    const sortedIdx = unique.map((_, i) => i).sort((a, b) => (hex(unique[a]!) < hex(unique[b]!) ? -1 : 1))
    const a = buildTrie({ keys: unique, values }).root
    const b = buildTrie({ keys: sortedIdx.map((i) => unique[i]!), values: sortedIdx.map((i) => values[i]!) }).root
    expect(hex(a)).toBe(hex(b))
  })

  it('matches @ethereumjs/mpt on a larger set where half the keys share their first 5 bytes (long runs the radix sort cannot split)', async () => {
    const rand = rng(15)
    const prefix = Uint8Array.of(0xde, 0xad, 0xbe, 0xef, 0x01)
    const byHex = new Map<string, Uint8Array>()
    while (byHex.size < 4000) {
      const key = keccak_256(Uint8Array.of(Math.floor(rand() * 256), Math.floor(rand() * 256), Math.floor(rand() * 256)))
      if (byHex.size % 2 === 0) key.set(prefix)
      byHex.set(hex(key), key)
    }
    const keys = [...byHex.values()]
    const values = keys.map((k) => k.subarray(0, 1 + (k[31]! % 40)))
    const prove = [0, 1, 2, 1999, 3998, 3999]
    const { root, proofs } = buildTrie({ keys, values, prove })
    const mpt = await createMPT()
    for (let i = 0; i < keys.length; i++) await mpt.put(keys[i]!, values[i]!)
    expect(hex(root)).toBe(hex(mpt.root()))
    prove.forEach((i, p) => expect(verifyProof({ root, key: keys[i]!, proof: proofs[p]! })).toEqual(values[i]))
  }, 120_000)

  it('rejects duplicate keys and empty values', () => {
    const k = Uint8Array.of(1, 2)
    expect(() => buildTrie({ keys: [k, Uint8Array.of(1, 2)], values: [Uint8Array.of(1), Uint8Array.of(2)] })).toThrow(TrieInputError)
    expect(() => buildTrie({ keys: [k], values: [new Uint8Array(0)] })).toThrow(TrieInputError)
  })
})
