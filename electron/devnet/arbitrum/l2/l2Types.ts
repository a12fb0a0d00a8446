import type { Address, Hex } from 'viem'

/**
 * The data model of the devnet Arbitrum L2 (an EVM with emulated ArbSys, not ArbOS: see startArbitrumDevnet.ts).
 * Money is bigint wei; hashes and byte strings are hex.
 */

/** L1 message kinds (nitro arbos/arbostypes/incomingmessage.go; notes §1.1). */
export const L1_MESSAGE_KIND = {
  L2Message: 3,
  EndOfBlock: 6,
  L2FundedByL1: 7,
  RollupEvent: 8,
  SubmitRetryable: 9,
  BatchForGasEstimation: 10,
  Initialize: 11,
  EthDeposit: 12,
  BatchPostingReport: 13,
  Invalid: 0xff,
} as const

/** One message of the L2's inbox stream: one message = one L2 block (nitro arbostypes.L1IncomingMessage). */
export interface L2IncomingMessage {
  kind: number
  /** The batch poster constant for sequencer messages; the (aliased) L1 sender for delayed messages. */
  poster: Address
  l1BlockNumber: bigint
  timestamp: bigint
  /** bytes32(delayed message index) for delayed messages; null for sequencer messages. */
  requestId: Hex | null
  l1BaseFee: bigint
  data: Uint8Array
  /** The delayed-message count after this message (the L2 header's nonce). */
  delayedMessagesRead: bigint
}

/** 'submit-retryable' (0x69) and 'retry' (0x68): see retryables.ts. */
export type L2TransactionKind = 'legacy' | 'eip2930' | 'eip1559' | 'deposit' | 'submit-retryable' | 'retry'

export interface L2Transaction {
  hash: Hex
  kind: L2TransactionKind
  /** EIP-2718 type byte (0 for legacy, 0x64 for ArbitrumDepositTx). */
  typeByte: number
  /** The exact encoding that was hashed (signed tx bytes, or 0x64 ‖ rlp(deposit fields)). */
  encoded: Hex
  from: Address
  to: Address | null
  value: bigint
  nonce: bigint
  gas: bigint
  gasPrice?: bigint
  maxFeePerGas?: bigint
  maxPriorityFeePerGas?: bigint
  input: Hex
  chainId?: number
  accessList?: readonly { address: Address; storageKeys: readonly Hex[] }[]
  v?: bigint
  r?: Hex
  s?: Hex
  yParity?: number
  /** ArbitrumDepositTx L1RequestId (bytes32 delayed index). */
  requestId?: Hex
}

export interface L2Log {
  address: Address
  topics: Hex[]
  data: Hex
  /** Index within the block. */
  logIndex: number
}

export interface L2Receipt {
  status: 'success' | 'reverted'
  gasUsed: bigint
  cumulativeGasUsed: bigint
  effectiveGasPrice: bigint
  logs: L2Log[]
  logsBloom: Hex
  /** The contract a successful creation made. */
  contractAddress?: Address
}

export interface L2Block {
  number: bigint
  hash: Hex
  parentHash: Hex
  timestamp: bigint
  l1BlockNumber: bigint
  miner: Address
  stateRoot: Hex
  transactionsRoot: Hex
  receiptsRoot: Hex
  logsBloom: Hex
  difficulty: bigint
  gasLimit: bigint
  gasUsed: bigint
  baseFeePerGas: bigint
  /** = sendRoot (Arbitrum HeaderInfo). */
  extraData: Hex
  /** = sendCount(8) ‖ l1BlockNumber(8) ‖ arbosVersion(8) ‖ 0(8) (Arbitrum HeaderInfo). */
  mixHash: Hex
  /** 8 bytes: delayed messages read (Arbitrum). */
  nonce: Hex
  sendCount: bigint
  sendRoot: Hex
  delayedMessagesRead: bigint
  /** keccak of this RLP is `hash`. */
  headerRlp: Hex
  size: bigint
  transactions: L2Transaction[]
  receipts: L2Receipt[]
  /** The L1 message kind this block came from (for diagnostics). */
  messageKind: number
}

/** What one L2ToL1Tx / ArbSys send recorded, in event order. */
export interface L2Send {
  hash: Hex
  position: bigint
  caller: Address
  destination: Address
  arbBlockNum: bigint
  ethBlockNum: bigint
  timestamp: bigint
  callvalue: bigint
  data: Hex
  transactionHash: Hex
}
