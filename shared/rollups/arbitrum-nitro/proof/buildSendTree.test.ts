import fc from 'fast-check'
import { concatHex, keccak256, numberToHex, type Address, type Hex } from 'viem'
import { describe, expect, it } from 'vitest'
import { buildSendTree, ZERO_HASH } from './buildSendTree'
import { calculateMerkleRoot, verifySendProof } from './calculateMerkleRoot'
import { calculateSendHash } from './calculateSendHash'
import { readVectorJson } from '../../../../fixtures/vectors'

const readJson = (name: string): unknown => readVectorJson(`arbitrum/${name}`)

/** The definition of notes §3.6, level by level: the oracle the streaming builder is checked against. */
function naiveTree(sends: Hex[]): Hex[][] {
  const levels: Hex[][] = [sends.map((s) => keccak256(s))]
  while ((levels.at(-1) as Hex[]).length > 1) {
    const below = levels.at(-1) as Hex[]
    const next: Hex[] = []
    for (let j = 0; j < below.length; j += 2) next.push(keccak256(concatHex([below[j] as Hex, below[j + 1] ?? ZERO_HASH])))
    levels.push(next)
  }
  return levels
}
const naiveProof = (levels: Hex[][], index: number): Hex[] =>
  levels.slice(0, -1).map((level, l) => level[(index >> l) ^ 1] ?? ZERO_HASH)

const fakeSends = (n: number): Hex[] => Array.from({ length: n }, (_, i) => keccak256(numberToHex(i + 1, { size: 32 })))

describe('buildSendTree', () => {
  it('matches the zero-padded tree and its proofs for N = 1..40 at every index', () => {
    for (let n = 1; n <= 40; n++) {
      const sends = fakeSends(n)
      const levels = naiveTree(sends)
      const root = (levels.at(-1) as Hex[])[0] as Hex
      for (let i = 0; i < n; i++) {
        const result = buildSendTree(sends, BigInt(i))
        expect(result.root).toBe(root)
        expect(result.proof).toEqual(naiveProof(levels, i))
        expect(calculateMerkleRoot(result.proof as Hex[], BigInt(i), sends[i] as Hex)).toBe(root)
      }
    }
  })

  it('gives proofs that verify for random sizes and indexes (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 600 }), fc.nat(), (n, seed) => {
        const sends = fakeSends(n)
        const index = BigInt(seed % n)
        const { root, proof } = buildSendTree(sends, index)
        verifySendProof({ proof: proof as Hex[], index, sendHash: sends[Number(index)] as Hex, expectedRoot: root })
      }),
      { numRuns: 60 },
    )
  })

  it('uses bytes32(0), not a hash of zeros, for missing subtrees (TestAccumulator3: keccak(keccak(L0,L1), keccak(L2, 0)))', () => {
    const sends = fakeSends(3)
    const [l0, l1, l2] = sends.map((s) => keccak256(s)) as [Hex, Hex, Hex]
    expect(buildSendTree(sends).root).toBe(keccak256(concatHex([keccak256(concatHex([l0, l1])), keccak256(concatHex([l2, ZERO_HASH]))])))
  })

  it('refuses an index outside the tree and an empty list', () => {
    expect(() => buildSendTree(fakeSends(4), 4n)).toThrow(/not in a tree of 4 sends/)
    expect(() => buildSendTree([])).toThrow(/no sends/)
  })
})

describe('Outbox proof check on real data', () => {
  it('reproduces the three nitro-contracts outbox test cases (item hash, leaf, root)', () => {
    const cases = (readJson('outbox-withdraw-testcase.json') as { cases: Record<string, unknown>[] }).cases as {
      proof: Hex[]; root: Hex; index: number; l2Sender: Address; to: Address; l2Block: number; l1Block: number; l2Timestamp: number; value: number | string; data: Hex
    }[]
    const expected = (readJson('outbox-withdraw-testcase.expected.json') as { expected: { itemHash: Hex; leaf: Hex; computedRoot: Hex }[] }).expected
    expect(cases).toHaveLength(3)
    cases.forEach((c, i) => {
      const sendHash = calculateSendHash({
        l2Sender: c.l2Sender, to: c.to, l2Block: BigInt(c.l2Block), l1Block: BigInt(c.l1Block), l2Timestamp: BigInt(c.l2Timestamp), value: BigInt(c.value), data: c.data,
      })
      expect(sendHash).toBe(expected[i]?.itemHash)
      expect(keccak256(sendHash)).toBe(expected[i]?.leaf)
      expect(calculateMerkleRoot(c.proof, BigInt(c.index), sendHash)).toBe(c.root)
      expect(c.root).toBe(expected[i]?.computedRoot)
      verifySendProof({ proof: c.proof, index: BigInt(c.index), sendHash, expectedRoot: c.root })
    })
  })

  it('reproduces the real Arbitrum One withdrawal: item hash = L2ToL1Tx hash topic, root 0x466a…992d', () => {
    const expected = readJson('sdk-tracing-withdraw.expected.json') as {
      decodedExecuteTransaction: { proof: Hex[]; index: string; l2Sender: Address; to: Address; l2Block: string; l1Block: string; l2Timestamp: string; value: string; data: Hex }
      expected: { itemHash: Hex; computedSendRoot: Hex }
    }
    const fixture = readJson('sdk-tracing-withdraw.json') as unknown
    const tx = expected.decodedExecuteTransaction
    const sendHash = calculateSendHash({
      l2Sender: tx.l2Sender, to: tx.to, l2Block: BigInt(tx.l2Block), l1Block: BigInt(tx.l1Block), l2Timestamp: BigInt(tx.l2Timestamp), value: BigInt(tx.value), data: tx.data,
    })
    expect(sendHash).toBe(expected.expected.itemHash)
    // The hash topic of the L2ToL1Tx log in the fixture itself.
    expect(JSON.stringify(fixture).toLowerCase()).toContain(sendHash.slice(2).toLowerCase())
    expect(calculateMerkleRoot(tx.proof, BigInt(tx.index), sendHash)).toBe(expected.expected.computedSendRoot)
  })

  it('rejects a proof against another root, a non-minimal path and a tampered sibling', () => {
    const sends = fakeSends(9)
    const { root, proof } = buildSendTree(sends, 5n) as { root: Hex; proof: Hex[] }
    expect(() => verifySendProof({ proof, index: 5n, sendHash: sends[5] as Hex, expectedRoot: keccak256('0x01') })).toThrow(/does not lead to the confirmed send root/)
    expect(() => verifySendProof({ proof: proof.slice(0, 2), index: 5n, sendHash: sends[5] as Hex, expectedRoot: root })).toThrow(/PathNotMinimal/)
    const tampered = [...proof]
    tampered[1] = keccak256('0x02')
    expect(() => verifySendProof({ proof: tampered, index: 5n, sendHash: sends[5] as Hex, expectedRoot: root })).toThrow(/does not lead/)
  })
})
