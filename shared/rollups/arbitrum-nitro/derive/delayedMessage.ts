/**
 * Delayed-inbox messages as the Bridge records them (notes §1.2; AbsBridge.sol addMessageToDelayedAccumulator,
 * Messages.sol). The message hash and accumulator let us check any message data we are given — from an event, a
 * journal or a file — against `Bridge.delayedInboxAccs(i)` on L1.
 */
import { concatHex, encodePacked, keccak256, type Address, type Hex } from 'viem'

/** L1 message kinds (nitro arbos/arbostypes/incomingmessage.go). */
export const L1MessageKind = {
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

export interface DelayedInboxMessage {
  /** Position in the delayed inbox; also the message's RequestId (bytes32). */
  index: bigint
  kind: number
  /** Already aliased by the Inbox for L1 contract/EOA senders (notes §1.1). */
  sender: Address
  /** L1 block of the log (not in the event; notes §1.2). */
  l1BlockNumber: bigint
  timestamp: bigint
  baseFeeL1: bigint
  messageDataHash: Hex
  /** The message data (InboxMessageDelivered.data or the FromOrigin tx input), when known and checked. */
  data?: Hex
}

/** Messages.messageHash: keccak256(abi.encodePacked(kind, sender, blockNumber, timestamp, inboxSeqNum, baseFeeL1, messageDataHash)). */
export function hashDelayedMessage(message: Omit<DelayedInboxMessage, 'data'>): Hex {
  return keccak256(
    encodePacked(
      ['uint8', 'address', 'uint64', 'uint64', 'uint256', 'uint256', 'bytes32'],
      [message.kind, message.sender, message.l1BlockNumber, message.timestamp, message.index, message.baseFeeL1, message.messageDataHash],
    ),
  )
}

/** delayedInboxAccs[n] = keccak256(delayedInboxAccs[n-1] ‖ messageHash), with acc[-1] = 0. */
export function accumulateDelayedMessage(beforeAcc: Hex, messageHash: Hex): Hex {
  return keccak256(concatHex([beforeAcc, messageHash]))
}

/** bytes32(index): the RequestId a delayed message carries into ArbOS (nitro arbnode/delayed.go). */
export function delayedRequestId(index: bigint): Hex {
  return `0x${index.toString(16).padStart(64, '0')}`
}
