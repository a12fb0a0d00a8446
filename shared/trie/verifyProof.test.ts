import { keccak_256 } from '@noble/hashes/sha3.js'
import { describe, expect, it } from 'vitest'
import { buildTrie } from './buildTrie'
import { toPortalProof } from './createProof'
import { TrieProofError, type TrieProofProblem } from './errors'
import { verifyProof } from './verifyProof'
import { readVectorJson } from '../../fixtures/vectors'
import { hexBytes, toHex } from '../eth/bytes'

interface ProofCase {
  name: string
  storageTriePath?: string
  storageRootImplied?: string
  rawKey?: string
  rootImplied?: string
  proof: string[]
  expectedProofForOnChainVerifier: string[]
  expectedValue: string
}
const cases = readVectorJson<{ cases: ProofCase[] }>('op/withdrawals/proof-node-cases.json').cases

function problemOf(fn: () => unknown): TrieProofProblem | 'none' {
  try {
    fn()
    return 'none'
  } catch (e) {
    if (e instanceof TrieProofError) return e.problem
    throw e
  }
}

describe('verifyProof on real proof-node cases (viem, opBNB testnet)', () => {
  for (const c of cases) {
    it(c.name, () => {
      const root = hexBytes(c.storageRootImplied ?? c.rootImplied!)
      const key = hexBytes(c.storageTriePath ?? c.rawKey!)
      const proof = c.proof.map((h) => hexBytes(h))
      const portal = c.expectedProofForOnChainVerifier.map((h) => hexBytes(h))
      expect(toHex(verifyProof({ root, key, proof })!)).toBe(c.expectedValue)
      expect(toHex(verifyProof({ root, key, proof: portal })!)).toBe(c.expectedValue)
      // The eth_getProof form converts to exactly what OptimismPortal's verifier expects.
      expect(toPortalProof({ root, key, proof }).map(toHex)).toEqual(c.expectedProofForOnChainVerifier)
    })
  }
})

describe('verifyProof rejects malformed proofs with a classified problem', () => {
  const keys = Array.from({ length: 300 }, (_, i) => keccak_256(Uint8Array.of(i >> 8, i & 0xff)))
  const values = keys.map((_, i) => Uint8Array.of(1, i & 0xff))
  const { root, proofs } = buildTrie({ keys, values, prove: [7] })
  const proof = proofs[0]!
  const key = keys[7]!

  it('accepts the honest proof', () => {
    expect(verifyProof({ root, key, proof })).toEqual(values[7])
  })
  it('a wrong root', () => {
    expect(problemOf(() => verifyProof({ root: keccak_256(root), key, proof }))).toBe('root-mismatch')
  })
  it('a tampered inner node', () => {
    const bad = proof.map((n) => n.slice())
    bad[1]![40]! ^= 1
    expect(problemOf(() => verifyProof({ root, key, proof: bad }))).toBe('node-hash-mismatch')
  })
  it('a truncated proof', () => {
    expect(problemOf(() => verifyProof({ root, key, proof: proof.slice(0, -1) }))).toBe('missing-node')
  })
  it('trailing elements', () => {
    expect(problemOf(() => verifyProof({ root, key, proof: [...proof, proof[0]!] }))).toBe('unused-nodes')
  })
  it('an empty proof for a non-empty root', () => {
    expect(problemOf(() => verifyProof({ root, key, proof: [] }))).toBe('empty-proof')
  })
  it('a node that hashes right but is not RLP', () => {
    const garbage = Uint8Array.of(0xf8, 0x05, 1, 2)
    expect(problemOf(() => verifyProof({ root: keccak_256(garbage), key, proof: [garbage] }))).toBe('bad-rlp')
  })
  it('a node of the wrong shape', () => {
    const list3 = Uint8Array.of(0xc3, 0x01, 0x02, 0x03)
    expect(problemOf(() => verifyProof({ root: keccak_256(list3), key, proof: [list3] }))).toBe('bad-node-shape')
  })
  it('a repeated embedded node that differs from the embedded bytes', () => {
    const c = cases.find((x) => x.name === 'embedded-leaf-in-final-branch')!
    const portal = c.expectedProofForOnChainVerifier.map((h) => hexBytes(h))
    const last = portal[portal.length - 1]!.slice()
    last[last.length - 1] = 0x02
    portal[portal.length - 1] = last
    const r = hexBytes(c.storageRootImplied!)
    expect(problemOf(() => verifyProof({ root: r, key: hexBytes(c.storageTriePath!), proof: portal }))).toBe('embedded-node-mismatch')
  })
  it('another key\'s proof does not prove anything about an unrelated key', () => {
    const absent = keccak_256(Uint8Array.of(0xff, 0xff, 0xff))
    // Either the walk diverges early (leftover elements) or it meets a node that is not the child it expects.
    expect(['unused-nodes', 'node-hash-mismatch']).toContain(problemOf(() => verifyProof({ root, key: absent, proof })))
  })
})
