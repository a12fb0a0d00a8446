/**
 * The devnet OP L2's shared interface: what the chain core (chain/: genesis, sequencer, executor over an in-memory
 * state) offers to the roles that plug into it (batcher/, proposer/, rpc/), and the switches a test or drill flips.
 *
 * The chain is the devnet's own, so these values are trusted *inside the devnet*; the app never reads them directly
 * (it reads L1, and the devnet's L2 only through its JSON-RPC, as untrusted data).
 *
 * Conventions: numbers are bigint (block numbers, wei, gas); byte strings are 0x-hex; transactions are EIP-2718
 * bytes with the block's deposits first (L1-info deposit, user deposits, upgrade txs, then sequenced txs).
 */
import type { Address, Hex } from 'viem'
import type { BlockHeader } from '../../../../shared/eth/header'
import type { Receipt } from '../../../../shared/eth/encodeReceipt'
import type { RollupConfig } from '../../../../shared/rollups/op-stack/config/rollupConfig'
import type { DevnetKey, DevnetL1 } from '../../sendDevnetTransaction'
import type { OpStackDevnetDeployment } from '../deploy'

export type { Address, Hex, BlockHeader, Receipt }

/** The L1 block an L2 block was built from (its epoch). */
export interface OpL2L1Origin {
  number: bigint
  hash: Hex
  timestamp: bigint
}

/** One transaction of an executed L2 block, with what eth_getTransactionReceipt needs besides the consensus receipt. */
export interface OpL2Transaction {
  /** EIP-2718 bytes (type 0x7e for deposits). */
  raw: Hex
  hash: Hex
  /** Position in the block. */
  index: number
  /** EIP-2718 type: 0, 1, 2, 4 or 0x7e. */
  type: number
  /** Sender (deposits: the `from` of the deposit; others: recovered from the signature). */
  from: Address
  /** Recipient; null for a contract creation. */
  to: Address | null
  /** True for 0x7e deposit transactions (the L1-info deposit, user deposits, upgrade txs). */
  deposit: boolean
  /** Consensus receipt as the executor produced it (status, cumulative gas, logs, bloom, deposit nonce/version). */
  receipt: Receipt
  /** Gas used by this transaction alone (difference of cumulative gas). */
  gasUsed: bigint
  /** Price per gas actually paid (0 for deposits). */
  effectiveGasPrice: bigint
  /** Address of the contract created by this transaction, if any. */
  contractAddress: Address | null
  /** Index in the block of this transaction's first log (for eth_getLogs logIndex). */
  firstLogIndex: number
}

/** An L2 block the sequencer built and our executor executed. */
export interface OpL2Block {
  number: bigint
  hash: Hex
  header: BlockHeader
  /** In block order: deposits first. */
  transactions: OpL2Transaction[]
  l1Origin: OpL2L1Origin
  /** Position in its epoch (0 for the first block on a new L1 origin). */
  sequenceNumber: bigint
  /** Number of leading deposit transactions (L1-info deposit + user deposits + upgrade txs). */
  depositCount: number
  stateRoot: Hex
  /** Storage root of L2ToL1MessagePasser after this block. */
  messagePasserStorageRoot: Hex
  /** Output root v0: keccak256(version ‖ stateRoot ‖ messagePasserStorageRoot ‖ blockHash). */
  outputRoot: Hex
  /**
   * True when the block was not sequenced but forced by derivation (sequencer down, sequencing window elapsed: an
   * empty batch with the epoch's deposits). There is nothing to post for it: a batcher skips it.
   */
  forcedByDerivation?: boolean
}

/** eth_getProof's result, with quantities as bigint (the RPC layer hex-encodes them). */
export interface OpL2AccountProof {
  address: Address
  /** RLP trie nodes from the state root down to the account (EIP-1186 order). */
  accountProof: Hex[]
  balance: bigint
  nonce: bigint
  codeHash: Hex
  storageHash: Hex
  storageProof: { key: Hex; value: bigint; proof: Hex[] }[]
}

/**
 * debug_executionWitness's result (the op-reth / alloy `ExecutionWitness` shape): every preimage needed to execute
 * block `n` on top of the state of block `n - 1`. `state` = trie nodes (state and storage tries) read during
 * execution; `codes` = contract code read; `keys` = preimages of the hashed trie keys (addresses, slots) when known;
 * `headers` = RLP-encoded ancestor headers (at least the parent; more when BLOCKHASH reached back further).
 */
export interface OpL2ExecutionWitness {
  state: Hex[]
  codes: Hex[]
  keys: Hex[]
  headers: Hex[]
}

/** Why a raw transaction was refused by the txpool (eth_sendRawTransaction answers these as JSON-RPC errors). */
export type OpL2TxRejection =
  | 'malformed'
  | 'wrong-chain-id'
  | 'deposit-not-allowed'
  | 'unsupported-type'
  | 'nonce-too-low'
  | 'insufficient-funds'
  | 'intrinsic-gas'
  | 'gas-limit-exceeds-block'
  | 'fee-too-low'
  | 'already-known'
  | 'pool-full'

export type OpL2SubmitResult = { accepted: true; hash: Hex } | { accepted: false; reason: OpL2TxRejection; message: string }

/** The read side of the chain, plus the txpool entry point. */
export interface OpL2ChainView {
  readonly rollupConfig: RollupConfig
  readonly chainId: number
  /** The genesis block (number = rollupConfig.genesis.l2.number). */
  genesis(): OpL2Block
  /** The latest block built (unsafe head). */
  head(): OpL2Block
  block(number: bigint): OpL2Block | undefined
  blockByHash(hash: Hex): OpL2Block | undefined
  /** The block holding a transaction, and its position there. */
  transaction(hash: Hex): { block: OpL2Block; tx: OpL2Transaction } | undefined
  /** eth_getProof at block `number` (storage slots as 32-byte keys). Undefined when the block is unknown. */
  proof(address: Address, slots: readonly Hex[], number: bigint): Promise<OpL2AccountProof | undefined>
  /** debug_executionWitness of block `number` (>= 1). Undefined when the block is unknown or is the genesis. */
  executionWitness(number: bigint): Promise<OpL2ExecutionWitness | undefined>
  /** Validates a raw signed transaction and adds it to the txpool (eth_sendRawTransaction). */
  submitTransaction(raw: Hex): Promise<OpL2SubmitResult>
  /** Called after each new block (in order). Returns an unsubscribe function. */
  onBlock(listener: (block: OpL2Block) => void): () => void
}

/**
 * Runtime switches, shared by reference between the chain and every role; tests and the drill flip them while the
 * devnet runs. The chain reads `censored` and `sequencerDown`; the batcher `batcherStopped`; the proposer
 * `proposerStopped`; the RPC server `rpcStopped` and `rpcLies`.
 */
export interface OpL2Switches {
  /** Addresses (lower-case) whose L2 txs the sequencer drops from the pool. Their L1 deposits are still included. */
  censored: Set<string>
  /** The sequencer produces nothing; blocks appear only when derivation forces them (see chain/sequencer.ts). */
  sequencerDown: boolean
  batcherStopped: boolean
  proposerStopped: boolean
  /** The RPC server refuses every connection (operator vanished). */
  rpcStopped: boolean
  /** RPC lying modes for tamper tests; undefined = honest. */
  rpcLies: OpL2RpcLie | undefined
}

export type OpL2RpcLie = 'wrong-proof' | 'wrong-header' | 'wrong-witness'

export function createOpL2Switches(initial: Partial<OpL2Switches> = {}): OpL2Switches {
  return {
    censored: new Set([...(initial.censored ?? [])].map((a) => a.toLowerCase())),
    sequencerDown: initial.sequencerDown ?? false,
    batcherStopped: initial.batcherStopped ?? false,
    proposerStopped: initial.proposerStopped ?? false,
    rpcStopped: initial.rpcStopped ?? false,
    rpcLies: initial.rpcLies,
  }
}

/** What every role (batcher, proposer, rpc) receives from startOpL2. */
export interface OpL2RoleContext {
  chain: OpL2ChainView
  l1: DevnetL1
  /** The L1 JSON-RPC URL of the devnet's anvil. */
  l1RpcUrl: string
  deployment: OpStackDevnetDeployment
  rollupConfig: RollupConfig
  switches: OpL2Switches
}

/** A running role; stop() ends its loop and releases what it holds (sockets, timers). */
export interface OpL2Role {
  stop(): Promise<void>
}

export interface OpL2BatcherOptions extends OpL2RoleContext {
  key: DevnetKey
  /** 'calldata' or 'blobs' (EIP-4844 type-3 txs). */
  dataAvailability: 'calldata' | 'blobs'
}

export interface OpL2ProposerOptions extends OpL2RoleContext {
  key: DevnetKey
}

export interface OpL2RpcOptions extends OpL2RoleContext {
  /** 127.0.0.1 port; 0 = a free one. */
  port?: number
}

export interface OpL2RpcServer extends OpL2Role {
  /** http://127.0.0.1:<port> */
  readonly url: string
}
