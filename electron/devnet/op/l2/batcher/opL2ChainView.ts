/**
 * The shape of the devnet OP L2 chain as its batcher, proposer and RPC server read it (the chain core lives in
 * ../chain, owned separately). Stand-in for ../types.ts until that lands on main; every consumer here imports from
 * this file only, so the switch is one line.
 */
import type { Hex } from 'viem'
import type { Receipt } from '../../../../../shared/eth/encodeReceipt'
import type { BlockHeader } from '../../../../../shared/eth/header'

export interface OpL2Block {
  number: bigint
  hash: Hex
  header: BlockHeader
  /** EIP-2718 bytes, deposits (0x7E) first. */
  transactions: Uint8Array[]
  receipts: Receipt[]
  l1Origin: { number: bigint; hash: Hex; timestamp: bigint }
  sequenceNumber: bigint
  outputRoot: Hex
  stateRoot: Hex
  messagePasserStorageRoot: Hex
}

/** eth_getProof as a node answers it (EIP-1186), values as bigint. */
export interface OpL2AccountProof {
  address: Hex
  accountProof: Hex[]
  balance: bigint
  nonce: bigint
  codeHash: Hex
  storageHash: Hex
  storageProof: { key: Hex; value: bigint; proof: Hex[] }[]
}

/** debug_executionWitness (op-geth / op-reth): preimages needed to execute block n on top of block n-1's state. */
export interface OpL2ExecutionWitness {
  state: Hex[]
  codes: Hex[]
  keys: Hex[]
  headers: Hex[]
}

export interface OpL2ChainView {
  head(): OpL2Block
  block(n: bigint): OpL2Block | undefined
  proof(address: Hex, slots: readonly Hex[], n: bigint): Promise<OpL2AccountProof>
  executionWitness(n: bigint): Promise<OpL2ExecutionWitness>
  /** Called for every new block; returns the unsubscribe function. */
  onBlock(listener: (block: OpL2Block) => void): () => void
}
