/**
 * Check that a verified L2 block is the one an L1 output root commits to: outputRoot = keccak256(bytes32(0) ‖
 * stateRoot ‖ messagePasserStorageRoot ‖ blockHash) (specs/protocol/proposals.md §"L2 Output Commitment
 * Construction"). From Isthmus the message-passer storage root is the header's withdrawalsRoot (bound by the block
 * hash); before Isthmus that field must not be used, and the root comes from the L2ToL1MessagePasser account in
 * eth_getProof, verified here against the header's stateRoot.
 */
import { RLP } from '@ethereumjs/rlp'
import { bytesToHex, hexToBytes, keccak256, type Hex } from 'viem'
import { verifyProof } from '../../../../trie/verifyProof'
import { isForkActive, type RollupConfig } from '../../config/rollupConfig'
import { UntrustedL2DataError } from './errors'
import type { UntrustedAccountProof } from './L2BlockSource'
import type { VerifiedL2Block } from './verifyL2Block'
import { computeOutputRoot } from '../../common/computeOutputRoot'
import { L2_TO_L1_MESSAGE_PASSER } from '../../../../eth/predeploys'

export interface VerifyOutputRootParameters {
  config: RollupConfig
  block: VerifiedL2Block
  /** The output root L1 commits to. */
  outputRoot: Hex
  /** eth_getProof of the message passer at this block; needed before Isthmus. */
  messagePasserProof?: UntrustedAccountProof
  node?: string
}

export interface VerifyOutputRootReturnType {
  messagePasserStorageRoot: Hex
}

export function needsMessagePasserProof(config: RollupConfig, block: VerifiedL2Block): boolean {
  return !isForkActive(config, 'isthmus', Number(block.header.timestamp))
}

export function verifyOutputRoot(p: VerifyOutputRootParameters): VerifyOutputRootReturnType {
  const { block, node } = p
  const n = block.header.number
  const messagePasserStorageRoot = provenMessagePasserStorageRoot(p)
  const computed = computeOutputRoot({ stateRoot: block.header.stateRoot, messagePasserStorageRoot, latestBlockhash: block.hash })
  if (computed !== p.outputRoot.toLowerCase()) {
    throw new UntrustedL2DataError('output-root', `The L2 node's block ${n} does not match the output root on L1.`, {
      node,
      details: `block ${block.hash}, state root ${block.header.stateRoot}, message-passer storage root ${messagePasserStorageRoot} give output root ${computed}; L1 says ${p.outputRoot}`,
    })
  }
  return { messagePasserStorageRoot }
}

/**
 * The L2ToL1MessagePasser's storage root at a verified block: the header's withdrawalsRoot from Isthmus, else the
 * account in the node's eth_getProof, checked against the block's state root.
 */
export function provenMessagePasserStorageRoot(p: Omit<VerifyOutputRootParameters, 'outputRoot'>): Hex {
  const { block, node } = p
  const n = block.header.number
  let messagePasserStorageRoot: Hex
  if (!needsMessagePasserProof(p.config, block)) {
    messagePasserStorageRoot = block.header.withdrawalsRoot as Hex
  } else {
    const proof = p.messagePasserProof
    if (!proof) throw new UntrustedL2DataError('account-proof', `No message-passer proof for L2 block ${n} (needed before Isthmus).`, { node })
    if (proof.address.toLowerCase() !== L2_TO_L1_MESSAGE_PASSER.toLowerCase()) {
      throw new UntrustedL2DataError('account-proof', 'The L2 node sent a proof for the wrong account.', { node, details: `asked ${L2_TO_L1_MESSAGE_PASSER}, got ${proof.address}` })
    }
    let leaf: Uint8Array | null
    try {
      leaf = verifyProof({ root: hexToBytes(block.header.stateRoot), key: hexToBytes(keccak256(L2_TO_L1_MESSAGE_PASSER)), proof: proof.accountProof.map((x) => hexToBytes(x)) })
    } catch (cause) {
      throw new UntrustedL2DataError('account-proof', `The L2 node's message-passer proof does not verify against block ${n}'s state root.`, { node, details: (cause as Error).message, cause })
    }
    if (leaf === null) throw new UntrustedL2DataError('account-proof', `The L2 node's proof says the message passer does not exist at block ${n}.`, { node })
    messagePasserStorageRoot = storageRootOfAccount(leaf, node)
  }
  return messagePasserStorageRoot
}

/** Account leaf rlp([nonce, balance, storageRoot, codeHash]) → storageRoot. */
function storageRootOfAccount(leaf: Uint8Array, node: string | undefined): Hex {
  const f = RLP.decode(leaf) as unknown
  if (!Array.isArray(f) || f.length !== 4 || !(f[2] instanceof Uint8Array) || f[2].length !== 32) {
    throw new UntrustedL2DataError('account-proof', 'The message-passer account in the proof is malformed.', { node })
  }
  return bytesToHex(f[2])
}
