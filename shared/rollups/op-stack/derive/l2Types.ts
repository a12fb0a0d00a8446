/**
 * Types shared by the derivation stages, and the ExecutionOracle port: the hook through which exact derivation gets
 * execution results it cannot compute itself (issue 5 implements it with the OP block executor).
 */
import type { Hex, L1BlockRef } from '../../../l1/L1Source'

export type { Hex, L1BlockRef }

export interface BlockId {
  number: number
  hash: Hex
}

/**
 * An L2 block as derivation knows it. `hash` is undefined when the block was not executed (derivation without an
 * ExecutionOracle): parent-hash checks against it are then skipped and counted as unchecked.
 */
export interface L2BlockRef {
  number: number
  hash: Hex | undefined
  timestamp: number
  l1Origin: BlockId
  sequenceNumber: number
}

/** Engine API payload attributes as derivation produces them (derivation.md §"Building Individual Payload Attributes"). */
export interface PayloadAttributes {
  timestamp: number
  prevRandao: Hex
  suggestedFeeRecipient: Hex
  /** Ecotone+ */
  parentBeaconBlockRoot?: Hex
  /** Canyon+: always empty */
  withdrawals?: []
  gasLimit: bigint
  /** Holocene+: denominator u32 ‖ elasticity u32 (8 bytes) */
  eip1559Params?: Hex
  /** Jovian+ */
  minBaseFee?: bigint
  noTxPool: true
  /** EIP-2718 bytes: L1-info deposit, user deposits, upgrade txs, then batch txs. */
  transactions: Uint8Array[]
}

export type ExecutionResult =
  | { status: 'valid'; blockHash: Hex }
  /** The engine rejected the payload (invalid tx or state transition). */
  | { status: 'invalid'; reason: string }

/**
 * Executes payload attributes on top of `parent` (known by hash). Needed for exact derivation because:
 * - batches must build on the real L2 block hash (singular `parent_hash`, span `parent_check`);
 * - before Holocene an invalid payload is dropped; from Holocene it is replaced by its deposits only and the rest of
 *   its channel is dropped (holocene/derivation.md §"Engine Queue").
 * A deposit-only payload must never be invalid; if it is, derivation stops with a critical error.
 */
export interface ExecutionOracle {
  execute(parent: L2BlockRef, attributes: PayloadAttributes): Promise<ExecutionResult>
}

export interface DerivedL2Block {
  ref: L2BlockRef
  parentHash: Hex | undefined
  attributes: PayloadAttributes
  /** The L1 block whose processing produced this block (op-node "derived from"). */
  derivedFrom: L1BlockRef
  /** Number of leading deposit txs (L1-info + user deposits + upgrade txs) in `attributes.transactions`. */
  depositCount: number
  /** 'executed': hash from the oracle; 'assumed-valid': no oracle, hash unknown (honest-sequencer approximation). */
  execution: 'executed' | 'assumed-valid'
  /** Holocene: the batch's payload was invalid and replaced by a deposit-only block. */
  depositOnlyReplacement: boolean
  /** The batch was generated because the sequencing window expired with no valid batch (no sequenced txs). */
  emptyBatch: boolean
}
