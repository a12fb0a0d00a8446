/**
 * Bridge.MessageDelivered + Inbox.InboxMessageDelivered logs → checked delayed-inbox messages (notes §1.2, §2.4).
 * The L1 block number is not in the event: it is the block of the log. The data (from InboxMessageDelivered, or the
 * L1 tx input for the FromOrigin variant) must hash to the event's messageDataHash, or it is refused.
 */
import { decodeEventLog, keccak256, type Address, type Hex } from 'viem'
import { bridgeAbi } from '../../../../contracts-abi/arbitrum-nitro/Bridge'
import { inboxAbi } from '../../../../contracts-abi/arbitrum-nitro/Inbox'
import { ArbUntrustedDataError } from '../errors'
import type { DelayedInboxMessage } from './delayedMessage'

export interface RawLog {
  address: Address
  topics: readonly Hex[]
  data: Hex
  blockNumber: bigint
  transactionHash?: Hex
  logIndex?: number
}

export interface DeliveredMessage extends DelayedInboxMessage {
  beforeInboxAcc: Hex
  /** The inbox contract that delivered it (the Inbox, or the SequencerInbox for batch-posting reports). */
  inbox: Address
  transactionHash: Hex | undefined
}

export function decodeMessageDeliveredLog(log: RawLog): DeliveredMessage {
  let decoded
  try {
    decoded = decodeEventLog({ abi: bridgeAbi, eventName: 'MessageDelivered', topics: log.topics as [Hex, ...Hex[]], data: log.data })
  } catch (error) {
    throw new ArbUntrustedDataError('An L1 log is not a valid Bridge MessageDelivered event.', { cause: error, details: log.transactionHash })
  }
  const a = decoded.args
  return {
    index: a.messageIndex,
    kind: a.kind,
    sender: a.sender,
    l1BlockNumber: log.blockNumber,
    timestamp: a.timestamp,
    baseFeeL1: a.baseFeeL1,
    messageDataHash: a.messageDataHash,
    beforeInboxAcc: a.beforeInboxAcc,
    inbox: a.inbox,
    transactionHash: log.transactionHash,
  }
}

/** InboxMessageDelivered(uint256 indexed messageNum, bytes data) → { index, data }. */
export function decodeInboxMessageDeliveredLog(log: RawLog): { index: bigint; data: Hex } {
  try {
    const decoded = decodeEventLog({ abi: inboxAbi, eventName: 'InboxMessageDelivered', topics: log.topics as [Hex, ...Hex[]], data: log.data })
    return { index: decoded.args.messageNum, data: decoded.args.data }
  } catch (error) {
    throw new ArbUntrustedDataError('An L1 log is not a valid InboxMessageDelivered event.', { cause: error, details: log.transactionHash })
  }
}

/** Attach message data after checking keccak256(data) == messageDataHash. */
export function withCheckedMessageData<T extends DelayedInboxMessage>(message: T, data: Hex): T & { data: Hex } {
  const hash = keccak256(data)
  if (hash.toLowerCase() !== message.messageDataHash.toLowerCase()) {
    throw new ArbUntrustedDataError(`The data given for delayed message ${message.index} does not hash to the messageDataHash recorded on L1.`, {
      details: `keccak256(data) ${hash}, messageDataHash ${message.messageDataHash}`,
    })
  }
  return { ...message, data }
}
