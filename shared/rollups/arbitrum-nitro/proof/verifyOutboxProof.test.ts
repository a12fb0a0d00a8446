import fc from 'fast-check'
import { keccak256, numberToHex, type Address, type Hex } from 'viem'
import { describe, expect, it } from 'vitest'
import { ArbProofError, ArbSendRootMismatchError, ArbUntrustedDataError } from '../errors'
import { buildSendTree, ZERO_HASH } from './buildSendTree'
import { calculateSendHash, type L2ToL1Send } from './calculateSendHash'
import { sendTreeDepth, verifyOutboxProof, type OutboxProofAnswer } from './verifyOutboxProof'
import { readVectorJson } from '../../../../fixtures/vectors'

const readJson = (name: string): unknown => readVectorJson(`arbitrum/${name}`)
const SOURCE = 'the L2 RPC http://l2.example'

/** Distinct withdrawals; send i pays i+1 wei. */
const withdrawal = (i: number): L2ToL1Send => ({
  l2Sender: '0x00000000000000000000000000000000000a11ce',
  to: '0x0000000000000000000000000000000000000b0b',
  l2Block: 1000n + BigInt(i),
  l1Block: 50n,
  l2Timestamp: 1_700_000_000n + BigInt(i),
  value: BigInt(i + 1),
  data: '0x',
})
const chain = (n: number) => Array.from({ length: n }, (_, i) => withdrawal(i))

/** What an honest Nitro node answers for constructOutboxProof(size, leaf). */
function honestAnswer(sends: readonly L2ToL1Send[], size: number, leaf: number): OutboxProofAnswer {
  const hashes = sends.slice(0, size).map(calculateSendHash)
  const tree = buildSendTree(hashes, BigInt(leaf))
  return { send: hashes[leaf] as Hex, root: tree.root, proof: tree.proof as Hex[] }
}

function check(sends: readonly L2ToL1Send[], size: number, leaf: number, answer: OutboxProofAnswer, confirmedSendRoot?: Hex) {
  return verifyOutboxProof({
    send: sends[leaf] as L2ToL1Send,
    index: BigInt(leaf),
    size: BigInt(size),
    answer,
    confirmedSendRoot: confirmedSendRoot ?? buildSendTree(sends.slice(0, size).map(calculateSendHash)).root,
    source: SOURCE,
  })
}

/**
 * The sizes a proof can belong to: its length d means 2^(d-1) < size <= 2^d; a zero sibling means that subtree starts
 * at or past the size, a non-zero one that it starts before it.
 */
function sizesConsistentWith(proof: readonly Hex[], index: bigint): { min: bigint; max: bigint } {
  const d = BigInt(proof.length)
  let min = index + 1n > (1n << d) / 2n + 1n ? index + 1n : (1n << d) / 2n + 1n
  let max = 1n << d
  proof.forEach((sibling, level) => {
    const start = ((index >> BigInt(level)) ^ 1n) << BigInt(level)
    if (sibling === ZERO_HASH) max = max < start ? max : start
    else if (start + 1n > min) min = start + 1n
  })
  return { min, max }
}

describe('verifyOutboxProof (an untrusted NodeInterface.constructOutboxProof answer)', () => {
  it('accepts the honest answer for every leaf of trees of 1..24 sends, and returns the proof for the Outbox', () => {
    for (let size = 1; size <= 24; size++) {
      const sends = chain(size + 3) // the chain has more sends than the confirmed size
      for (let leaf = 0; leaf < size; leaf++) {
        const answer = honestAnswer(sends, size, leaf)
        const verified = check(sends, size, leaf, answer)
        expect(verified.proof).toEqual(answer.proof)
        expect(verified.proof).toHaveLength(sendTreeDepth(BigInt(size)))
        expect(verified.sendHash).toBe(calculateSendHash(sends[leaf] as L2ToL1Send))
      }
    }
  })

  it('refuses any single tampered proof element, naming the source (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 300 }), fc.nat(), fc.nat(), fc.integer({ min: 1, max: 255 }), (size, leafSeed, levelSeed, flip) => {
        const sends = chain(size)
        const leaf = leafSeed % size
        const answer = honestAnswer(sends, size, leaf)
        const level = levelSeed % answer.proof.length
        const proof = [...answer.proof]
        const bytes = (proof[level] as Hex).slice(2)
        proof[level] = `0x${((parseInt(bytes.slice(0, 2), 16) ^ flip) & 0xff).toString(16).padStart(2, '0')}${bytes.slice(2)}` as Hex
        expect(() => check(sends, size, leaf, { ...answer, proof })).toThrow(ArbSendRootMismatchError)
        expect(() => check(sends, size, leaf, { ...answer, proof })).toThrow(/The withdrawal proof from the L2 RPC http:\/\/l2\.example does not match the send root confirmed on L1/)
      }),
      { numRuns: 80 },
    )
  })

  it('refuses a node root other than the confirmed one, and a forged root echoed next to a proof that does not reach it', () => {
    const sends = chain(9)
    const honest = honestAnswer(sends, 9, 5)
    expect(() => check(sends, 9, 5, { ...honest, root: keccak256('0x01') })).toThrow(/The send root from the L2 RPC .* does not match the send root confirmed on L1/)
    // A self-consistent lie: a whole other list (one value altered), its own root and proof.
    const lied = sends.map((s, i) => (i === 2 ? { ...s, value: s.value + 1n } : s))
    const lie = honestAnswer(lied, 9, 5)
    expect(lie.send).toBe(honest.send) // our leaf is untouched, the tree is not
    expect(() => check(sends, 9, 5, lie)).toThrow(ArbSendRootMismatchError)
    // The same lie, but echoing the confirmed root: the recomputed root gives it away.
    expect(() => check(sends, 9, 5, { ...lie, root: honest.root })).toThrow(/The withdrawal proof from .* does not match/)
  })

  it('refuses a proof for the wrong size: another depth is refused outright, the same depth misses the root', () => {
    const sends = chain(40)
    const confirmed = buildSendTree(sends.slice(0, 20).map(calculateSendHash)).root
    // Proof from a 40-send tree (depth 6) when 20 sends are confirmed (depth 5).
    expect(() => check(sends, 20, 7, honestAnswer(sends, 40, 7), confirmed)).toThrow(ArbUntrustedDataError)
    expect(() => check(sends, 20, 7, honestAnswer(sends, 40, 7), confirmed)).toThrow(/6 hashes; a tree of 20 sends needs 5/)
    // Proof from a 21-send tree (same depth 5): right shape, wrong tree.
    expect(() => check(sends, 20, 7, honestAnswer(sends, 21, 7), confirmed)).toThrow(ArbSendRootMismatchError)
    // Asking about a leaf beyond the confirmed size is the caller's error, not an answer to trust.
    expect(() => check(sends, 20, 20, honestAnswer(sends, 21, 20), confirmed)).toThrow(ArbProofError)
  })

  it('refuses a proof for the wrong leaf: another send, or another leaf’s path under our send', () => {
    const sends = chain(13)
    const other = honestAnswer(sends, 13, 4)
    expect(() => check(sends, 13, 3, other)).toThrow(/built its withdrawal proof for another send than yours/)
    // Leaf 4's path presented with our send hash: the Outbox would compute another root.
    const ours = calculateSendHash(sends[3] as L2ToL1Send)
    expect(() => check(sends, 13, 3, { ...other, send: ours })).toThrow(ArbSendRootMismatchError)
    // The right path at the wrong index.
    const right = honestAnswer(sends, 13, 3)
    expect(() =>
      verifyOutboxProof({ send: sends[3] as L2ToL1Send, index: 2n, size: 13n, answer: right, confirmedSendRoot: buildSendTree(sends.map(calculateSendHash)).root, source: SOURCE }),
    ).toThrow(/another send|does not match/)
    // Our withdrawal with one field altered (as a lying receipt would report it) no longer is the proven leaf.
    expect(() =>
      verifyOutboxProof({ send: { ...(sends[3] as L2ToL1Send), value: 5n }, index: 3n, size: 13n, answer: right, confirmedSendRoot: right.root, source: SOURCE }),
    ).toThrow(/another send than yours/)
  })

  it('refuses answers that are not 32-byte hashes', () => {
    const sends = chain(4)
    const honest = honestAnswer(sends, 4, 1)
    expect(() => check(sends, 4, 1, { ...honest, proof: [...honest.proof.slice(0, 1), '0x1234'] })).toThrow(/not made of 32-byte hashes/)
  })
})

describe('verifyOutboxProof on real data', () => {
  it('accepts the real Arbitrum One withdrawal (index 121) against its root, for exactly the sizes its proof allows', () => {
    const expected = readJson('sdk-tracing-withdraw.expected.json') as {
      decodedExecuteTransaction: { proof: Hex[]; index: string; l2Sender: Address; to: Address; l2Block: string; l1Block: string; l2Timestamp: string; value: string; data: Hex }
      expected: { itemHash: Hex; computedSendRoot: Hex }
    }
    const tx = expected.decodedExecuteTransaction
    const send: L2ToL1Send = {
      l2Sender: tx.l2Sender, to: tx.to, l2Block: BigInt(tx.l2Block), l1Block: BigInt(tx.l1Block), l2Timestamp: BigInt(tx.l2Timestamp), value: BigInt(tx.value), data: tx.data,
    }
    const index = BigInt(tx.index)
    const root = expected.expected.computedSendRoot
    const answer: OutboxProofAnswer = { send: expected.expected.itemHash, root, proof: tx.proof }
    // The vector does not record the tree size; an 8-hash proof with a non-zero level-7 sibling means 129..256 sends.
    expect(sizesConsistentWith(tx.proof, index)).toEqual({ min: 129n, max: 256n })
    for (const size of [129n, 200n, 256n]) {
      expect(verifyOutboxProof({ send, index, size, answer, confirmedSendRoot: root, source: SOURCE }).root).toBe(root)
    }
    expect(() => verifyOutboxProof({ send, index, size: 128n, answer, confirmedSendRoot: root, source: SOURCE })).toThrow(/a tree of 128 sends needs 7/)
    expect(() => verifyOutboxProof({ send, index, size: 257n, answer, confirmedSendRoot: root, source: SOURCE })).toThrow(/needs 9/)
    const tampered = [...tx.proof]
    tampered[3] = keccak256(tampered[3] as Hex)
    expect(() => verifyOutboxProof({ send, index, size: 200n, answer: { ...answer, proof: tampered }, confirmedSendRoot: root, source: SOURCE })).toThrow(ArbSendRootMismatchError)
    expect(() => verifyOutboxProof({ send: { ...send, l2Timestamp: send.l2Timestamp + 1n }, index, size: 200n, answer, confirmedSendRoot: root, source: SOURCE })).toThrow(/another send/)
    expect(() => verifyOutboxProof({ send, index: index + 1n, size: 200n, answer, confirmedSendRoot: root, source: SOURCE })).toThrow(ArbSendRootMismatchError)
  })

  it('accepts the three nitro-contracts Outbox cases (proofs with zero siblings) at their smallest and largest consistent size', () => {
    const cases = (readJson('outbox-withdraw-testcase.json') as { cases: Record<string, unknown>[] }).cases as {
      proof: Hex[]; root: Hex; index: number; l2Sender: Address; to: Address; l2Block: number; l1Block: number; l2Timestamp: number; value: number | string; data: Hex
    }[]
    for (const c of cases) {
      const send: L2ToL1Send = { l2Sender: c.l2Sender, to: c.to, l2Block: BigInt(c.l2Block), l1Block: BigInt(c.l1Block), l2Timestamp: BigInt(c.l2Timestamp), value: BigInt(c.value), data: c.data }
      const sendHash = calculateSendHash(send)
      const { min, max } = sizesConsistentWith(c.proof, BigInt(c.index))
      expect(min).toBeLessThanOrEqual(max)
      for (const size of [min, max]) {
        verifyOutboxProof({ send, index: BigInt(c.index), size, answer: { send: sendHash, root: c.root, proof: c.proof }, confirmedSendRoot: c.root, source: SOURCE })
      }
    }
  })

  it('depth is ⌈log2 size⌉ (0 for one send)', () => {
    expect([1n, 2n, 3n, 4n, 5n, 128n, 129n, 256n, 257n].map(sendTreeDepth)).toEqual([0, 1, 2, 2, 3, 7, 8, 8, 9])
    expect(numberToHex(0, { size: 32 })).toBe(ZERO_HASH)
  })
})
