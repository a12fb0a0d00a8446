/**
 * ArbSys L2ToL1Tx logs (from an untrusted L2 RPC) → sends, each checked for internal consistency: the `hash` topic
 * must equal the send hash recomputed from the log's own fields (notes §3.1). Consistency is not truth: a send only
 * becomes a fact once the list it belongs to hashes to a send root confirmed on L1 (verifySendList).
 */
import { decodeEventLog, getAddress, numberToHex, type Address, type Hex } from 'viem'
import { arbSysAbi } from '../../../../contracts-abi/arbitrum-nitro/ArbSys'
import { ArbUntrustedDataError } from '../errors'
import { calculateSendHash, type L2ToL1Send } from './calculateSendHash'
import { ARB_SYS_ADDRESS } from '../tx/buildL2WithdrawalTx'

export interface L2ToL1SendLog extends L2ToL1Send {
  /** Leaf index in the send tree = Outbox `index`. */
  position: bigint
  sendHash: Hex
  /** Where the L2 node says it is (unverified until the send is proven). */
  l2TransactionHash: Hex | undefined
}

export function decodeL2ToL1TxLog(log: { address: Address; topics: readonly Hex[]; data: Hex; transactionHash?: Hex | null }): L2ToL1SendLog {
  if (getAddress(log.address) !== getAddress(ARB_SYS_ADDRESS)) {
    throw new ArbUntrustedDataError('The L2 RPC returned an L2ToL1Tx log that ArbSys (0x64) did not emit.', { details: log.address })
  }
  let decoded
  try {
    decoded = decodeEventLog({ abi: arbSysAbi, eventName: 'L2ToL1Tx', topics: log.topics as [Hex, ...Hex[]], data: log.data })
  } catch (error) {
    throw new ArbUntrustedDataError('The L2 RPC returned a malformed L2ToL1Tx log.', { cause: error, details: log.transactionHash ?? undefined })
  }
  const a = decoded.args
  const send: L2ToL1Send = {
    l2Sender: a.caller,
    to: a.destination,
    l2Block: a.arbBlockNum,
    l1Block: a.ethBlockNum,
    l2Timestamp: a.timestamp,
    value: a.callvalue,
    data: a.data,
  }
  const sendHash = calculateSendHash(send)
  const topicHash = numberToHex(a.hash, { size: 32 })
  if (topicHash !== sendHash) {
    throw new ArbUntrustedDataError('The L2 RPC returned an L2ToL1Tx log whose hash does not match its own fields.', {
      details: `position ${a.position}: topic ${topicHash}, computed ${sendHash}`,
    })
  }
  return { ...send, position: a.position, sendHash, l2TransactionHash: log.transactionHash ?? undefined }
}
