/**
 * The trust step for an Outbox proof built by an untrusted L2 node (NodeInterface.constructOutboxProof, notes §3.5).
 * The answer is used only if its proof, applied to the send hash WE computed from the withdrawal's own fields, leads
 * to the send root confirmed on L1 — the very check the Outbox makes (calculateMerkleRoot, notes §3.3). The node's
 * `send` and `root` are only compared, never used. A node that lies about any byte is named in the error, and the
 * error is a source problem (the job stays resumable with another endpoint): nothing is signed.
 *
 * Why this is enough: the root commits to every leaf and to the tree's size (a tree of another size has another
 * root), and a leaf (keccak of 32 bytes) cannot pose as an inner node (keccak of 64 bytes) or as a zero node. So a
 * proof that reaches the confirmed root proves that this send sits at `index` in the confirmed tree.
 */
import type { Hex } from 'viem'
import { ArbProofError, ArbSendRootMismatchError, ArbUntrustedDataError } from '../errors'
import { calculateMerkleRoot, verifySendProof } from './calculateMerkleRoot'
import { calculateSendHash, type L2ToL1Send } from './calculateSendHash'

export interface OutboxProofAnswer {
  /** The send hash the node says is at the leaf. */
  send: Hex
  /** The root the node says the tree of `size` sends has. */
  root: Hex
  proof: readonly Hex[]
}

export interface VerifyOutboxProofParameters {
  /** The withdrawal's own fields (from the L2ToL1Tx log of the user's transaction): the leaf is recomputed from them. */
  send: L2ToL1Send
  /** Its position in the send tree (L2ToL1Tx `position`, the Outbox `index`). */
  index: bigint
  /** The tree size the proof was asked for: the sendCount of the confirmed L2 block. */
  size: bigint
  answer: OutboxProofAnswer
  /** The sendRoot of the confirmed assertion on L1. */
  confirmedSendRoot: Hex
  /** Who gave the answer, for the error. */
  source: string
}

export interface VerifiedOutboxProof {
  index: bigint
  sendHash: Hex
  /** The Outbox `proof` argument, checked. */
  proof: Hex[]
  /** = the confirmed send root. */
  root: Hex
}

const BYTES32 = /^0x[0-9a-fA-F]{64}$/

/** ⌈log2 size⌉: the proof length of every leaf in a tree of `size` sends (0 for one send; notes §3.2). */
export function sendTreeDepth(size: bigint): number {
  let depth = 0
  while (1n << BigInt(depth) < size) depth++
  return depth
}

export function verifyOutboxProof(params: VerifyOutboxProofParameters): VerifiedOutboxProof {
  const { index, size, answer, source } = params
  const confirmedSendRoot = params.confirmedSendRoot.toLowerCase() as Hex
  if (size < 1n || index < 0n || index >= size) {
    throw new ArbProofError(`Withdrawal #${index} is not in a send tree of ${size} sends.`, {
      steps: ['The withdrawal is newer than the confirmed state used. Wait for a later assertion to be confirmed.'],
    })
  }
  if (!BYTES32.test(answer.send) || !BYTES32.test(answer.root) || !answer.proof.every((p) => BYTES32.test(p))) {
    throw new ArbUntrustedDataError(`${source} returned a withdrawal proof that is not made of 32-byte hashes.`)
  }
  const sendHash = calculateSendHash(params.send)
  if (answer.send.toLowerCase() !== sendHash) {
    throw new ArbUntrustedDataError(`${source} built its withdrawal proof for another send than yours.`, {
      details: `leaf ${index}: node's send ${answer.send}, your withdrawal's send hash ${sendHash}`,
    })
  }
  const depth = sendTreeDepth(size)
  if (answer.proof.length !== depth) {
    throw new ArbUntrustedDataError(`${source} returned a withdrawal proof of ${answer.proof.length} hashes; a tree of ${size} sends needs ${depth}.`, {
      details: `leaf ${index}, size ${size}`,
    })
  }
  const mismatch = (what: string, computed: string): ArbSendRootMismatchError =>
    new ArbSendRootMismatchError(`${what} from ${source} does not match the send root confirmed on L1.`, {
      steps: [
        'The L2 RPC gave a withdrawal proof that does not match what Ethereum confirmed. It may be lying, out of sync, or on another chain.',
        'Nothing was signed. Try another L2 RPC endpoint.',
      ],
      details: `leaf ${index}, size ${size}: ${computed}, confirmed sendRoot ${confirmedSendRoot}`,
    })
  if (answer.root.toLowerCase() !== confirmedSendRoot) throw mismatch('The send root', `node's root ${answer.root}`)
  // The node's root agreeing proves nothing: recompute it from our leaf and its proof, as the Outbox will.
  const computed = calculateMerkleRoot(answer.proof, index, sendHash)
  if (computed !== confirmedSendRoot) throw mismatch('The withdrawal proof', `computed root ${computed}`)
  // The Outbox's own rules (ProofTooLong, PathNotMinimal, root); implied by the checks above, kept as the last gate.
  verifySendProof({ proof: answer.proof, index, sendHash, expectedRoot: confirmedSendRoot })
  return { index, sendHash, proof: answer.proof.map((p) => p.toLowerCase() as Hex), root: confirmedSendRoot }
}
