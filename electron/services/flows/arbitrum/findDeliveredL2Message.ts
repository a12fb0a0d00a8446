/**
 * Is our signed L2 transaction already in the delayed inbox? Before signing a sendL2Message, the flow looks on L1 for
 * a Bridge MessageDelivered whose messageDataHash is keccak256(0x04 ‖ signedL2Tx) — exactly our message, whoever sent
 * it (the signed L2 leg can be pushed through the permissionless Inbox by anyone). A journal that lost its tx.signed
 * record then adopts the message already there instead of signing a second sendL2Message (issue 14, defect 2).
 *
 * Logs come through the L1 gateway in production (checked against the agreed headers' receipts); the transaction that
 * carried the message is read the same way (its sender recovered from its signature, never taken from an RPC).
 */
import { getAddress, keccak256, type Address, type Hex } from 'viem'
import { bridgeAbi } from '../../../../contracts-abi/arbitrum-nitro/Bridge'
import { decodeMessageDeliveredLog } from '../../../../shared/rollups/arbitrum-nitro/derive/readDelayedMessageLogs'
import { getLogsChunked } from '../../../../shared/rollups/arbitrum-nitro/l1Client'
import type { ArbitrumNetwork } from '../../../../shared/rollups/arbitrum-nitro/network'
import { encodeSignedTxL2Message } from '../../../../shared/rollups/arbitrum-nitro/tx/buildSendL2MessageTx'
import type { ArbL1FullClient } from './runArbitrumEscape'

/** Where to look back from the head when a job did not journal the L1 block it started at: 7 days of 12 s blocks. */
export const UNKNOWN_START_LOOKBACK_BLOCKS = 50_400n

export interface FindDeliveredL2MessageParameters {
  l1: Pick<ArbL1FullClient, 'getLogs' | 'getBlockNumber' | 'getTransaction' | 'getTransactionReceipt'>
  network: ArbitrumNetwork
  signedL2Tx: Hex
  /** The first L1 block the message can be in (the job's start); undefined: UNKNOWN_START_LOOKBACK_BLOCKS back. */
  fromBlock: bigint | undefined
}

export interface DeliveredL2Message {
  messageIndex: bigint
  l1TxHash: Hex
  from: Address
  nonce: number
  blockNumber: bigint
  status: 'success' | 'reverted'
}

/** The first delivery of our exact message on L1, or undefined when it is not there. */
export async function findDeliveredL2Message(p: FindDeliveredL2MessageParameters): Promise<DeliveredL2Message | undefined> {
  const head = await p.l1.getBlockNumber()
  const fromBlock = p.fromBlock ?? (head > UNKNOWN_START_LOOKBACK_BLOCKS ? head - UNKNOWN_START_LOOKBACK_BLOCKS : 0n)
  if (fromBlock > head) return undefined
  const wanted = keccak256(encodeSignedTxL2Message(p.signedL2Tx)).toLowerCase()
  const logs = await getLogsChunked((f, t) => p.l1.getLogs({ address: p.network.contracts.bridge, event: messageDeliveredEvent, fromBlock: f, toBlock: t }), fromBlock, head)
  const ours = logs
    .map((l) => decodeMessageDeliveredLog({ address: l.address, topics: l.topics as Hex[], data: l.data, blockNumber: l.blockNumber as bigint, transactionHash: l.transactionHash ?? undefined }))
    .filter((m) => m.messageDataHash.toLowerCase() === wanted && getAddress(m.inbox) === getAddress(p.network.contracts.inbox) && m.transactionHash !== undefined)
    .sort((a, b) => (a.index < b.index ? -1 : 1))
  const first = ours[0]
  if (!first) return undefined
  const [tx, receipt] = await Promise.all([p.l1.getTransaction({ hash: first.transactionHash! }), p.l1.getTransactionReceipt({ hash: first.transactionHash! })])
  return { messageIndex: first.index, l1TxHash: tx.hash, from: getAddress(tx.from), nonce: tx.nonce, blockNumber: receipt.blockNumber, status: receipt.status }
}

const messageDeliveredEvent = bridgeAbi.find((i) => i.type === 'event' && i.name === 'MessageDelivered') as Extract<(typeof bridgeAbi)[number], { type: 'event'; name: 'MessageDelivered' }>
