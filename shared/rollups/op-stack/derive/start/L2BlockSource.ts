/**
 * The port through which a mid-chain derivation start reads the L2 chain from an *untrusted* L2 node: blocks with
 * their transactions (as bytes, re-serialised from the node's JSON) and account proofs. Nothing read here is used
 * before it is checked against an L1 commitment (verifyL2Block, verifyOutputRoot, planDerivationStart).
 */
import type { Hex } from 'viem'
import type { AbortSignalLike } from '../../../../l1/BlobSource'
import { type BlockHeader } from '../../../../eth/header'

/** A block as the node claims it: header fields (with the node's claimed hash) and EIP-2718 transaction bytes. */
export interface UntrustedL2Block {
  header: BlockHeader & { hash: Hex }
  transactions: Uint8Array[]
}

/** eth_getProof's account part (storage proofs are not needed here). */
export interface UntrustedAccountProof {
  address: Hex
  accountProof: Hex[]
  nonce: bigint
  balance: bigint
  codeHash: Hex
  storageHash: Hex
}

export interface L2BlockSource {
  /** Names the node in errors (URL without credentials). */
  readonly label: string
  blockByNumber(number: number, signal?: AbortSignalLike): Promise<UntrustedL2Block>
  blockByHash(hash: Hex, signal?: AbortSignalLike): Promise<UntrustedL2Block>
  /** eth_getProof(address, [], block) at the block with this hash. */
  accountProof(address: Hex, blockHash: Hex, signal?: AbortSignalLike): Promise<UntrustedAccountProof>
}
