import { keccak256, type Address, type Hex } from 'viem'
import { describe, expect, it } from 'vitest'
import { buildTrie } from '../../../trie/buildTrie'
import { readVectorJson } from '../../../../fixtures/vectors'
import { buildWithdrawalProof, computeWithdrawalHash, computeWithdrawalStorageSlot, verifyWithdrawalProof, WithdrawalProofError } from './withdrawalProof'
import { computeOutputRoot, type OutputRootProof } from '../common/computeOutputRoot'
import { hexBytes, toHex } from '../../../eth/bytes'

interface Vector {
  name: string
  withdrawal: { nonce: string; sender: Address; target: Address; value: string; gasLimit: string; data: Hex }
  withdrawalHash: Hex
  storageSlot: Hex
  outputRootProof: OutputRootProof
  withdrawalProof: Hex[]
  expected: { outputRoot: Hex }
}
const { vectors } = readVectorJson<{ vectors: Vector[] }>('op/withdrawals/op-mainnet-withdrawal-proofs.json')

describe('real OP Mainnet withdrawal proofs', () => {
  for (const v of vectors) {
    describe(v.name, () => {
      const w = { ...v.withdrawal, nonce: BigInt(v.withdrawal.nonce), value: BigInt(v.withdrawal.value), gasLimit: BigInt(v.withdrawal.gasLimit) }
      it('hashes the withdrawal and its slot', () => {
        expect(computeWithdrawalHash(w)).toBe(v.withdrawalHash)
        expect(computeWithdrawalStorageSlot(v.withdrawalHash)).toBe(v.storageSlot)
      })
      it('computes the output root', () => {
        expect(computeOutputRoot(v.outputRootProof)).toBe(v.expected.outputRoot)
      })
      it('verifies the storage proof under the output root', () => {
        expect(verifyWithdrawalProof({ withdrawalHash: v.withdrawalHash, outputRootProof: v.outputRootProof, withdrawalProof: v.withdrawalProof, outputRoot: v.expected.outputRoot })).toBe(v.expected.outputRoot)
      })
      it('rejects a tampered proof node', () => {
        const proof = [...v.withdrawalProof]
        const last = proof[2]!
        proof[2] = (last.slice(0, 100) + (last[100] === '0' ? '1' : '0') + last.slice(101)) as Hex
        expect(() => verifyWithdrawalProof({ withdrawalHash: v.withdrawalHash, outputRootProof: v.outputRootProof, withdrawalProof: proof })).toThrow(WithdrawalProofError)
      })
      it('rejects another withdrawal hash', () => {
        const other = keccak256(v.withdrawalHash)
        expect(() => verifyWithdrawalProof({ withdrawalHash: other, outputRootProof: v.outputRootProof, withdrawalProof: v.withdrawalProof })).toThrow(WithdrawalProofError)
      })
      it('rejects a mismatching L1 output root', () => {
        expect(() =>
          verifyWithdrawalProof({ withdrawalHash: v.withdrawalHash, outputRootProof: v.outputRootProof, withdrawalProof: v.withdrawalProof, outputRoot: keccak256(v.expected.outputRoot) }),
        ).toThrow(/output root on L1 does not match/)
      })
      it('rejects a tampered state root (output root changes)', () => {
        const tampered = { ...v.outputRootProof, stateRoot: keccak256(v.outputRootProof.stateRoot) }
        expect(() => verifyWithdrawalProof({ withdrawalHash: v.withdrawalHash, outputRootProof: tampered, withdrawalProof: v.withdrawalProof, outputRoot: v.expected.outputRoot })).toThrow(WithdrawalProofError)
      })
      it('rebuilds the same proof from the proof nodes', () => {
        const nodes = new Map(v.withdrawalProof.map((n) => [keccak256(n), hexBytes(n)]))
        const proof = buildWithdrawalProof({
          withdrawalHash: v.withdrawalHash,
          messagePasserStorageRoot: v.outputRootProof.messagePasserStorageRoot,
          getNode: (h) => nodes.get(toHex(h)),
        })
        expect(proof).toEqual(v.withdrawalProof)
      })
    })
  }
})

describe('buildWithdrawalProof from a built message-passer storage trie', () => {
  it('proves a present withdrawal and refuses an absent one', () => {
    const hashes = Array.from({ length: 50 }, (_, i) => keccak256(`0x${i.toString(16).padStart(4, '0')}`))
    const keys = hashes.map((h) => hexBytes(keccak256(computeWithdrawalStorageSlot(h))))
    const nodes = new Map<string, Uint8Array>()
    const { root } = buildTrie({ keys, values: keys.map(() => Uint8Array.of(1)), onNode: (h, n) => nodes.set(toHex(h), n) })
    const getNode = (h: Uint8Array): Uint8Array | undefined => nodes.get(toHex(h))
    const proof = buildWithdrawalProof({ withdrawalHash: hashes[3]!, messagePasserStorageRoot: toHex(root), getNode })
    const outputRootProof = { version: `0x${'00'.repeat(32)}` as Hex, stateRoot: keccak256('0x01'), messagePasserStorageRoot: toHex(root), latestBlockhash: keccak256('0x02') }
    verifyWithdrawalProof({ withdrawalHash: hashes[3]!, outputRootProof, withdrawalProof: proof })
    expect(() => buildWithdrawalProof({ withdrawalHash: keccak256('0xdead'), messagePasserStorageRoot: toHex(root), getNode })).toThrow(WithdrawalProofError)
  })
})
