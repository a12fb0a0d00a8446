/**
 * Is our signed L2 transaction already in the delayed inbox? Before signing a sendL2Message, the flow looks on L1 for
 * a Bridge MessageDelivered whose messageDataHash is keccak256(0x04 ‖ signedL2Tx) — exactly our message, whoever sent
 * it (the signed L2 leg can be pushed through the permissionless Inbox by anyone). A journal that lost its tx.signed
 * record then adopts the message already there instead of signing a second sendL2Message (issue 14, defect 2).
 *
 * It also reports another withdrawal of the same account with the same L2 nonce still waiting in the delayed inbox
 * (issue 14, defect 3: a second escape for the same account): ArbOS executes only one transaction per nonce, so a
 * second sendL2Message would only pay L1 fees for a transaction that gets dropped. One already sequenced is history
 * (it ran, or was dropped and this one is the retry), not a conflict.
 *
 * Logs come through the L1 gateway in production (checked against the agreed headers' receipts); the transaction that
 * carried the message is read the same way (its sender recovered from its signature, never taken from an RPC).
 */
import { getAddress, keccak256, parseTransaction, recoverTransactionAddress, sliceHex, type Address, type Hex } from 'viem'
import { inboxAbi } from '../../../../contracts-abi/arbitrum-nitro/Inbox'
import { sequencerInboxAbi } from '../../../../contracts-abi/arbitrum-nitro/SequencerInbox'
import { bridgeAbi } from '../../../../contracts-abi/arbitrum-nitro/Bridge'
import { decodeInboxMessageDeliveredLog, decodeMessageDeliveredLog, type DeliveredMessage } from '../../../../shared/rollups/arbitrum-nitro/derive/readDelayedMessageLogs'
import { getLogsChunked } from '../../../../shared/l1/getLogsChunked'
import type { ArbitrumNetwork } from '../../../../shared/rollups/arbitrum-nitro/network'
import { applyL1ToL2Alias } from '../../../../shared/rollups/arbitrum-nitro/status/applyL1ToL2Alias'
import { encodeSignedTxL2Message } from '../../../../shared/rollups/arbitrum-nitro/tx/buildSendL2MessageTx'
import type { ArbL1FullClient } from './runArbitrumEscape'

/** Where to look back from the head when a job did not journal the L1 block it started at: 7 days of 12 s blocks. */
export const UNKNOWN_START_LOOKBACK_BLOCKS = 50_400n

export interface FindDeliveredL2MessageParameters {
  l1: Pick<ArbL1FullClient, 'getLogs' | 'getBlockNumber' | 'getTransaction' | 'getTransactionReceipt' | 'readContract'>
  /** The account that signed `signedL2Tx`: its other withdrawals with the same L2 nonce are looked for. */
  account: Address
  network: ArbitrumNetwork
  signedL2Tx: Hex
  /** The first L1 block the message can be in (the job's start); undefined: UNKNOWN_START_LOOKBACK_BLOCKS back. */
  fromBlock: bigint | undefined
  /**
   * The chain's force-inclusion delay (blocks). Another job's message with our nonce may predate this job: it is
   * looked for back to twice the delay, the window in which a waiting message has not been forceable for long.
   */
  delayBlocks: bigint
}

export interface DeliveredL2Message {
  messageIndex: bigint
  l1TxHash: Hex
  from: Address
  nonce: number
  blockNumber: bigint
  status: 'success' | 'reverted'
}

export interface SameNonceL2Message {
  messageIndex: bigint
  l1TxHash: Hex
  l2TxHash: Hex
  l2Nonce: number
}

export interface FindDeliveredL2MessageReturnType {
  /** The first delivery of our exact message. */
  ours: DeliveredL2Message | undefined
  /** Another signed L2 transaction of the account with our L2 nonce, delivered and not yet sequenced. */
  sameNonce: SameNonceL2Message | undefined
}

export async function findDeliveredL2Message(p: FindDeliveredL2MessageParameters): Promise<FindDeliveredL2MessageReturnType> {
  const head = await p.l1.getBlockNumber()
  const jobStart = p.fromBlock ?? (head > UNKNOWN_START_LOOKBACK_BLOCKS ? head - UNKNOWN_START_LOOKBACK_BLOCKS : 0n)
  const waitingWindow = head > 2n * p.delayBlocks ? head - 2n * p.delayBlocks : 0n
  const fromBlock = jobStart < waitingWindow ? jobStart : waitingWindow
  if (fromBlock > head) return { ours: undefined, sameNonce: undefined }
  const wanted = keccak256(encodeSignedTxL2Message(p.signedL2Tx)).toLowerCase()
  const logs = await getLogsChunked((f, t) => p.l1.getLogs({ address: p.network.contracts.bridge, event: messageDeliveredEvent, fromBlock: f, toBlock: t }), fromBlock, head)
  const delivered = logs
    .map((l) => decodeMessageDeliveredLog({ address: l.address, topics: l.topics as Hex[], data: l.data, blockNumber: l.blockNumber as bigint, transactionHash: l.transactionHash ?? undefined }))
    .filter((m) => getAddress(m.inbox) === getAddress(p.network.contracts.inbox) && m.transactionHash !== undefined)
    .sort((a, b) => (a.index < b.index ? -1 : 1))
  const first = delivered.find((m) => m.messageDataHash.toLowerCase() === wanted)
  if (first) {
    const [tx, receipt] = await Promise.all([p.l1.getTransaction({ hash: first.transactionHash! }), p.l1.getTransactionReceipt({ hash: first.transactionHash! })])
    return { ours: { messageIndex: first.index, l1TxHash: tx.hash, from: getAddress(tx.from), nonce: tx.nonce, blockNumber: receipt.blockNumber, status: receipt.status }, sameNonce: undefined }
  }
  // The Inbox records an L2 message's sender aliased (Inbox._deliverToBridge applies applyL1ToL2Alias to everyone).
  const senders = new Set([getAddress(p.account), getAddress(applyL1ToL2Alias(p.account))])
  return { ours: undefined, sameNonce: await findSameNonce(p, delivered.filter((m) => m.kind === L2_MESSAGE_KIND && senders.has(getAddress(m.sender)))) }
}

/** L1MessageType_L2Message: what Inbox.sendL2Message delivers (notes §1.2). */
const L2_MESSAGE_KIND = 3

async function findSameNonce(p: FindDeliveredL2MessageParameters, candidates: readonly DeliveredMessage[]): Promise<SameNonceL2Message | undefined> {
  if (candidates.length === 0) return undefined
  const ourNonce = parseTransaction(p.signedL2Tx as Parameters<typeof parseTransaction>[0]).nonce ?? 0
  const read = await p.l1.readContract({ address: p.network.contracts.sequencerInbox, abi: sequencerInboxAbi, functionName: 'totalDelayedMessagesRead' })
  for (const m of candidates) {
    if (m.index < read) continue // already sequenced: it ran (or was dropped); not waiting any more
    const [log] = await p.l1.getLogs({ address: p.network.contracts.inbox, event: inboxMessageDeliveredEvent, args: { messageNum: m.index }, fromBlock: m.l1BlockNumber, toBlock: m.l1BlockNumber })
    if (!log) continue
    const { data } = decodeInboxMessageDeliveredLog({ address: log.address, topics: log.topics as Hex[], data: log.data, blockNumber: m.l1BlockNumber })
    if (keccak256(data).toLowerCase() !== m.messageDataHash.toLowerCase() || !data.startsWith('0x04')) continue
    const raw = sliceHex(data, 1)
    try {
      const tx = parseTransaction(raw as Parameters<typeof parseTransaction>[0])
      if (tx.chainId !== p.network.l2ChainId || tx.nonce !== ourNonce) continue
      const signer = await recoverTransactionAddress({ serializedTransaction: raw as Parameters<typeof recoverTransactionAddress>[0]['serializedTransaction'] })
      if (getAddress(signer) !== getAddress(p.account)) continue
      return { messageIndex: m.index, l1TxHash: m.transactionHash!, l2TxHash: keccak256(raw), l2Nonce: ourNonce }
    } catch {
      continue // not a signed transaction we can read: not ours
    }
  }
  return undefined
}

const inboxMessageDeliveredEvent = inboxAbi.find((i) => i.type === 'event' && i.name === 'InboxMessageDelivered') as Extract<(typeof inboxAbi)[number], { type: 'event'; name: 'InboxMessageDelivered' }>
const messageDeliveredEvent = bridgeAbi.find((i) => i.type === 'event' && i.name === 'MessageDelivered') as Extract<(typeof bridgeAbi)[number], { type: 'event'; name: 'MessageDelivered' }>
