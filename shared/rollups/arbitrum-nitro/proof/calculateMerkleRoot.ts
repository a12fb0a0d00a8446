/**
 * The Outbox's proof check, copied from MerkleLib.calculateRoot and AbsOutbox.recordOutputAsSpent (notes §3.3), so a
 * proof is verified locally before anything is signed: bit i of `index` = 0 means h = keccak(h ‖ proof[i]).
 */
import { concatHex, keccak256, type Hex } from 'viem'
import { ArbProofError } from '../errors'

export function calculateMerkleRoot(proof: readonly Hex[], index: bigint, sendHash: Hex): Hex {
  let h = keccak256(sendHash) // the leaf is hashed once more (merkleAccumulator Append)
  for (let i = 0; i < proof.length; i++) {
    const sibling = proof[i] as Hex
    h = (index >> BigInt(i)) & 1n ? keccak256(concatHex([sibling, h])) : keccak256(concatHex([h, sibling]))
  }
  return h
}

/** Throws unless the Outbox would accept this proof against `expectedRoot` (ProofTooLong, PathNotMinimal, UnknownRoot). */
export function verifySendProof(params: { proof: readonly Hex[]; index: bigint; sendHash: Hex; expectedRoot: Hex }): void {
  const { proof, index, sendHash, expectedRoot } = params
  if (proof.length >= 256) throw new ArbProofError('The withdrawal proof is too long for the Outbox (ProofTooLong).')
  if (index >= 1n << BigInt(proof.length)) throw new ArbProofError('The withdrawal index does not fit the proof length (PathNotMinimal).')
  const root = calculateMerkleRoot(proof, index, sendHash)
  if (root.toLowerCase() !== expectedRoot.toLowerCase()) {
    throw new ArbProofError('The withdrawal proof does not lead to the confirmed send root; it was not used.', {
      details: `computed ${root}, confirmed ${expectedRoot}, index ${index}`,
    })
  }
}
