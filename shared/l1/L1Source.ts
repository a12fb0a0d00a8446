/**
 * The L1Source port: what derivation (and other readers of L1) need from Ethereum L1. L1 is the only trusted source
 * (DESIGN.md trust model): the viem implementation in electron/services/l1 cross-checks block hashes across the
 * user's endpoints, re-hashes every header, and checks everything else against that header — transactions against
 * transactionsRoot, logs against logsBloom (omission) and receiptsRoot (content) — so one honest-or-caught endpoint
 * is enough. Finalized data is cached by content (block hash).
 */
import type { AbortSignalLike } from './BlobSource'

export type Hex = `0x${string}`
export type Address = `0x${string}`

export interface L1BlockRef {
  number: number
  hash: Hex
  parentHash: Hex
  timestamp: number
}

export interface L1BlockHeader extends L1BlockRef {
  baseFeePerGas: bigint | null
  /** Cancun+; null before. */
  excessBlobGas: bigint | null
  blobGasUsed: bigint | null
  /** prevRandao after the merge. */
  mixHash: Hex
  /** Cancun+; null before. */
  parentBeaconBlockRoot: Hex | null
  gasLimit: bigint
}

export interface L1Transaction {
  hash: Hex
  /** Position in the block. */
  index: number
  /** EIP-2718 type (0 legacy, 1, 2, 3 blob, 4 set-code, 0x7e deposit on nested chains). */
  type: number
  /** Sender recovered from the signature by this app (not the RPC's `from` field). */
  from: Address
  to: Address | null
  input: Hex
  blobVersionedHashes: Hex[]
}

export interface L1Log {
  address: Address
  topics: Hex[]
  data: Hex
  /** Index among all logs of the block. */
  logIndex: number
  transactionIndex: number
  transactionHash: Hex
  blockHash: Hex
  blockNumber: number
}

export type L1BlockTag = 'latest' | 'safe' | 'finalized'

export interface L1Source {
  chainId(signal?: AbortSignalLike): Promise<number>
  /** The canonical header at a number or tag (hash agreed by all configured endpoints). */
  getHeader(block: number | L1BlockTag, signal?: AbortSignalLike): Promise<L1BlockHeader>
  /** Transactions of `block` sent to `to`, in block order, with senders recovered locally. */
  getTransactionsTo(block: L1BlockRef, to: Address, signal?: AbortSignalLike): Promise<L1Transaction[]>
  /**
   * Logs emitted in `block` by any of `addresses` (logs only exist for successful transactions), complete: an
   * implementation must not drop a log (derivation reads deposits — the force-inclusion path — from these).
   */
  getLogs(block: L1BlockRef, addresses: readonly Address[], signal?: AbortSignalLike): Promise<L1Log[]>
}
