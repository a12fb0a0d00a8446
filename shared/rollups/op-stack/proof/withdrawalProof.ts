/**
 * Withdrawal proofs for OptimismPortal2.proveWithdrawalTransaction: the withdrawal hash, its storage slot in
 * L2ToL1MessagePasser.sentMessages (slot 0), and a storage-trie proof of value 0x01 under the message-passer storage
 * root, itself bound to an output root. Spec: op-stack notes §3; Hashing.hashWithdrawal; SecureMerkleTrie.
 */
import { encodeAbiParameters, hexToBytes, bytesToHex, keccak256, type Address, type Hex } from 'viem'
import { EscapeError, registerErrorClass } from '../../../errors/EscapeError'
import { createProof, type TrieNodeSource } from '../../../trie/createProof'
import { TrieProofError } from '../../../trie/errors'
import { verifyProof } from '../../../trie/verifyProof'
import { computeOutputRoot, type OutputRootProof } from '../common/computeOutputRoot'


export interface WithdrawalTransaction {
  nonce: bigint
  sender: Address
  target: Address
  value: bigint
  gasLimit: bigint
  data: Hex
}

/** keccak256(abi.encode(nonce, sender, target, value, gasLimit, data)) — Hashing.hashWithdrawal. */
export function computeWithdrawalHash(w: WithdrawalTransaction): Hex {
  return keccak256(
    encodeAbiParameters(
      [{ type: 'uint256' }, { type: 'address' }, { type: 'address' }, { type: 'uint256' }, { type: 'uint256' }, { type: 'bytes' }],
      [w.nonce, w.sender, w.target, w.value, w.gasLimit, w.data],
    ),
  )
}

/** keccak256(abi.encode(withdrawalHash, uint256(0))): the sentMessages mapping slot. */
export function computeWithdrawalStorageSlot(withdrawalHash: Hex): Hex {
  return keccak256(encodeAbiParameters([{ type: 'bytes32' }, { type: 'uint256' }], [withdrawalHash, 0n]))
}

export class WithdrawalProofError extends EscapeError {
  override name = 'WithdrawalProofError'
  constructor(shortMessage: string, details: string, cause?: unknown) {
    super(shortMessage, {
      kind: 'critical',
      steps: [
        'Do not send this proof to L1: it would be rejected, or it proves something else.',
        'Rebuild the proof from a verified L2 state (rebuild from L1, or another L2 RPC checked against the output root).',
      ],
      details,
      cause,
    })
  }
}
registerErrorClass('WithdrawalProofError', WithdrawalProofError)

export interface VerifyWithdrawalProofParameters {
  withdrawalHash: Hex
  outputRootProof: OutputRootProof
  withdrawalProof: readonly Hex[]
  /** The output root committed on L1 (dispute game rootClaim / L2OutputOracle); checked when given. */
  outputRoot?: Hex
}

/**
 * Checks everything OptimismPortal2 will check locally: the output root preimage and the storage proof of
 * sentMessages[withdrawalHash] == true. Returns the output root; throws WithdrawalProofError otherwise.
 */
export function verifyWithdrawalProof(parameters: VerifyWithdrawalProofParameters): Hex {
  const { withdrawalHash, outputRootProof, withdrawalProof } = parameters
  const outputRoot = computeOutputRoot(outputRootProof)
  if (parameters.outputRoot !== undefined && parameters.outputRoot.toLowerCase() !== outputRoot) {
    throw new WithdrawalProofError(
      'The output root on L1 does not match the L2 state roots in this proof.',
      `L1 output root ${parameters.outputRoot}, computed ${outputRoot}`,
    )
  }
  const slot = computeWithdrawalStorageSlot(withdrawalHash)
  let value: Uint8Array | null
  try {
    value = verifyProof({
      root: hexToBytes(outputRootProof.messagePasserStorageRoot),
      key: hexToBytes(keccak256(slot)),
      proof: withdrawalProof.map((n) => hexToBytes(n)),
    })
  } catch (e) {
    if (e instanceof TrieProofError) {
      throw new WithdrawalProofError('The withdrawal storage proof is invalid.', `withdrawal ${withdrawalHash}: ${e.details ?? ''}`, e)
    }
    throw e
  }
  if (value === null) {
    throw new WithdrawalProofError(
      'The withdrawal is not in the L2 message passer at this output root.',
      `sentMessages[${withdrawalHash}] is absent under storage root ${outputRootProof.messagePasserStorageRoot}`,
    )
  }
  if (!(value.length === 1 && value[0] === 1)) {
    throw new WithdrawalProofError('The withdrawal storage proof holds an unexpected value.', `value ${bytesToHex(value)}`)
  }
  return outputRoot
}

export interface BuildWithdrawalProofParameters {
  withdrawalHash: Hex
  /** The L2ToL1MessagePasser storage root (from a verified state). */
  messagePasserStorageRoot: Hex
  /** Storage-trie nodes by hash (a state backend or a set of eth_getProof nodes). */
  getNode: TrieNodeSource
}

/** A storage proof for sentMessages[withdrawalHash] in OptimismPortal form, verified before it is returned. */
export function buildWithdrawalProof(parameters: BuildWithdrawalProofParameters): Hex[] {
  const slot = computeWithdrawalStorageSlot(parameters.withdrawalHash)
  const root = hexToBytes(parameters.messagePasserStorageRoot)
  const key = hexToBytes(keccak256(slot))
  const proof = createProof({ root, key, getNode: parameters.getNode })
  const value = verifyProof({ root, key, proof })
  if (value === null || !(value.length === 1 && value[0] === 1)) {
    throw new WithdrawalProofError(
      'The withdrawal is not in the L2 message passer at this state.',
      `sentMessages[${parameters.withdrawalHash}] is ${value === null ? 'absent' : bytesToHex(value)}`,
    )
  }
  return proof.map((n) => bytesToHex(n))
}
