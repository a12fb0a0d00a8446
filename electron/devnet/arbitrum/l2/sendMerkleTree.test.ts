import { describe, expect, it } from 'vitest'
import { concat, keccak256, numberToHex, type Hex } from 'viem'
import { SendMerkleAccumulator, sendProofOf, sendRootOf } from './sendMerkleTree'

const sends = Array.from({ length: 70 }, (_, i) => keccak256(numberToHex(i, { size: 32 })))

/** MerkleLib.calculateRoot (nitro-contracts src/libraries/MerkleLib.sol). */
function calculateRoot(proof: readonly Hex[], index: number, leaf: Hex): Hex {
  let h = leaf
  for (let i = 0; i < proof.length; i++) {
    const sibling = proof[i] as Hex
    h = ((index >> i) & 1) === 0 ? keccak256(concat([h, sibling])) : keccak256(concat([sibling, h]))
  }
  return h
}

describe('send Merkle accumulator', () => {
  it('gives the zero-padded tree root for every size 1..70, and proofs that verify', () => {
    const acc = new SendMerkleAccumulator()
    for (let n = 1; n <= sends.length; n++) {
      acc.append(sends[n - 1] as Hex)
      const prefix = sends.slice(0, n)
      expect(acc.root()).toBe(sendRootOf(prefix))
      for (const i of [0, n - 1, Math.floor(n / 2)]) {
        expect(calculateRoot(sendProofOf(prefix, i), i, keccak256(prefix[i] as Hex))).toBe(acc.root())
      }
    }
  })

  it('matches the TestAccumulator3 shape: keccak(keccak(L0,L1), keccak(L2, 0))', () => {
    const acc = new SendMerkleAccumulator()
    for (const s of sends.slice(0, 3)) acc.append(s)
    const [l0, l1, l2] = sends.slice(0, 3).map((s) => keccak256(s)) as [Hex, Hex, Hex]
    const zero = numberToHex(0, { size: 32 })
    expect(acc.root()).toBe(keccak256(concat([keccak256(concat([l0, l1])), keccak256(concat([l2, zero]))])))
  })

  it('reports the internal nodes each append completes (SendMerkleUpdate positions)', () => {
    const acc = new SendMerkleAccumulator()
    expect(acc.append(sends[0] as Hex)).toEqual([])
    const second = acc.append(sends[1] as Hex)
    expect(second).toEqual([{ level: 1, leaf: 1, hash: keccak256(concat([keccak256(sends[0] as Hex), keccak256(sends[1] as Hex)])) }])
    acc.append(sends[2] as Hex)
    const fourth = acc.append(sends[3] as Hex)
    expect(fourth.map((e) => [e.level, e.leaf])).toEqual([
      [1, 3],
      [2, 3],
    ])
    expect(fourth[1]?.hash).toBe(acc.root())
  })

  it('rejects a proof index outside the tree', () => {
    expect(() => sendProofOf(sends.slice(0, 3), 3)).toThrow(RangeError)
  })
})
