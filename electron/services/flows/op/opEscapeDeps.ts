/**
 * What an OP Stack escape run needs from outside (runOpEscape): the journal, the signer, the L1 gateway, the source of
 * the output root (our own rebuild, or an untrusted L2 node) and the waiters. The drill passes time-travelling
 * waiters and the devnet's endpoints; the CLI and the app pass polling or stopping waiters (a long wait journals
 * `step.waiting` with its reason and date and stops the run, without --wait).
 */
import type { Hex, PublicClient } from 'viem'
import type { Signer } from '../../../../shared/signing/Signer'
import type { L2BlockSource } from '../../../../shared/rollups/op-stack/derive/start/L2BlockSource'
import type { WithdrawalStorageProofSource } from '../../../../shared/rollups/op-stack/withdraw/readUntrustedWithdrawalProof'
import type { ReplaySource } from '../../../../shared/rollups/op-stack/replay/replayRange'
import type { ReceiptLogs } from '../../../../shared/rollups/op-stack/withdraw/findMessagePassed'
import type { TrieNodeSource } from '../../../../shared/trie/createProof'
import type { BroadcastJournal } from '../../journal/journalPort'
import type { WatchOptions } from '../../broadcast/watchJournaledTx'
import type { OpEscapeStep } from './opEscapeJob'

/** The L1 reads and the sending side the escape uses: the L1 gateway (openL1Gateway) satisfies it. */
export type OpEscapeL1Client = Pick<
  PublicClient,
  'readContract' | 'getLogs' | 'getBlockNumber' | 'getBlock' | 'getTransaction' | 'getTransactionReceipt' | 'getTransactionCount' | 'estimateGas' | 'getBalance'
>

/** The head of a rebuild: the L2 block it reached and the output root we computed for it. */
export interface OpRebuiltHead {
  number: number
  hash: Hex
  stateRoot: Hex
  outputRoot: Hex
}

/**
 * Our own rebuild of the chain from L1 alone (source 'rebuild'): rebuild (or continue the checkpointed rebuild) up to
 * an L1 block, then read the rebuilt state. createRebuildSource (in-process or on a worker thread) builds one.
 */
export interface OpRebuildSource {
  /** Rebuild up to this L1 block (inclusive); resumes from the rebuild's checkpoint. */
  rebuildTo(toL1Block: number, onProgress?: (message: string) => void): Promise<OpRebuiltHead>
  /** The rebuilt state's trie nodes (by hash); close it when done. */
  openState(): { getNode: TrieNodeSource; close(): void }
}

/**
 * An untrusted L2 node (source 'l2-node'): blocks, proofs, execution witnesses (re-execution from the game's anchor)
 * and receipts, every one checked against L1 before use.
 */
export interface OpL2NodeSource extends L2BlockSource, WithdrawalStorageProofSource, ReplaySource {
  /** The receipt of an L2 transaction as the node reports it (undefined: not known to it, yet). */
  receipt(hash: Hex): Promise<(ReceiptLogs & { blockNumber: bigint; status: 'success' | 'reverted' }) | undefined>
}

export interface OpEscapeWaiters {
  /** Resolves once the L1 head is at or past `block` (production polls or stops; the drill mines blocks). */
  waitForL1Block(block: bigint, why: string): Promise<void>
  /**
   * Resolves once the L1 head's timestamp is past `timestamp` (seconds): a game clock, a proof maturity, an airgap.
   * Production polls or stops with the date; the drill moves L1 time.
   */
  waitForL1Time(timestamp: bigint, why: string): Promise<void>
  /** Short wait before re-checking something that is moving (a transaction being mined, a node catching up). */
  pause(why: string): Promise<void>
}

export interface OpEscapeDeps extends OpEscapeWaiters {
  store: BroadcastJournal
  signer: Signer
  l1: OpEscapeL1Client
  /**
   * Where signed L1 transactions are sent (every one of them). Defaults to the job's params; a job created without
   * saving its RPC URLs (they may hold API keys) gets them here, from the user, on every run.
   */
  l1Endpoints?: readonly string[]
  /** Source 'rebuild': our own rebuild of the chain. */
  rebuild?: OpRebuildSource
  /** Source 'l2-node': the untrusted L2 node (named in errors by its label). */
  l2?: OpL2NodeSource
  onProgress?(event: { step: OpEscapeStep; message: string }): void
  broadcast?: Omit<WatchOptions, 'signal'>
  signal?: AbortSignal
  /** Node path: the proposer looks gone after this much silence at the least (default an hour, proposerCadence). */
  proposerGoneAfterSeconds?: bigint
  /** Give up re-checking something moving after this many pauses (default 600). */
  maxPauses?: number
}

export interface OpEscapeWithdrawalResult {
  /** Index in the job's assets. */
  asset: number
  depositTx: Hex
  /** The deposit's L2 transaction (computed from the L1 log). */
  l2TxHash: Hex
  withdrawalHash: Hex
  proveTx: Hex | undefined
  finalizeTx: Hex | undefined
  /** Someone (or an earlier run) finalized it already. */
  alreadyFinalized: boolean
  /** ERC-20s: the L1 messenger relayed the bridge message (or a replay did). */
  relay?: 'relayed' | 'replayed'
}

export interface OpEscapeResult {
  jobId: string
  withdrawals: OpEscapeWithdrawalResult[]
  /** The game the final proofs stand on. */
  game: { address: Hex; index: string; l2Block: string; rootClaim: Hex; createdByUs: boolean }
  /** Proof rounds run (2 or more: a game stopped counting and the job proved again). */
  rounds: number
  /** Where the output root came from, in words. */
  rootSource: string
}
