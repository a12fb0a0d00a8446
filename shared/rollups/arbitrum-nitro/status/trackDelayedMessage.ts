/**
 * Find and check delayed-inbox messages on L1 (notes §1.2, §1.5 "Enqueued"): from the L1 transaction that sent them
 * (the flow knows it), or by scanning a block range (status). Each message's data is checked against its
 * messageDataHash, and its hash against the Bridge's accumulator, so the fields later passed to forceInclusion are
 * exactly the ones the contract will recompute.
 */
import { getAddress, type Hex } from 'viem'
import { bridgeAbi } from '../../../../contracts-abi/arbitrum-nitro/Bridge'
import { inboxAbi } from '../../../../contracts-abi/arbitrum-nitro/Inbox'
import { accumulateDelayedMessage, hashDelayedMessage } from '../derive/delayedMessage'
import {
  decodeInboxMessageDeliveredLog,
  decodeMessageDeliveredLog,
  withCheckedMessageData,
  type DeliveredMessage,
  type RawLog,
} from '../derive/readDelayedMessageLogs'
import { ArbNotFoundError, ArbUntrustedDataError } from '../errors'
import { getLogsChunked, type ArbL1Client } from '../l1Client'
import type { ArbitrumNetwork } from '../network'

export type TrackedDelayedMessage = DeliveredMessage & { data: Hex | undefined }

/** The delayed message(s) created by one L1 transaction (e.g. our sendL2Message). */
export async function readDelayedMessagesFromTx(client: ArbL1Client, network: ArbitrumNetwork, l1TxHash: Hex): Promise<TrackedDelayedMessage[]> {
  const receipt = await client.getTransactionReceipt({ hash: l1TxHash })
  if (receipt.status !== 'success') throw new ArbNotFoundError(`L1 transaction ${l1TxHash} reverted; it delivered no message.`, { kind: 'critical' })
  const bridge = getAddress(network.contracts.bridge)
  const raw = receipt.logs.map((l) => ({ ...l, blockNumber: receipt.blockNumber }) as RawLog)
  const delivered = raw.filter((l) => getAddress(l.address) === bridge && l.topics[0] === MESSAGE_DELIVERED_TOPIC).map(decodeMessageDeliveredLog)
  const datas = new Map<bigint, Hex>()
  for (const l of raw) {
    if (l.topics[0] === INBOX_MESSAGE_DELIVERED_TOPIC && getAddress(l.address) === getAddress(network.contracts.inbox)) {
      const { index, data } = decodeInboxMessageDeliveredLog(l)
      datas.set(index, data)
    }
  }
  if (delivered.length === 0) throw new ArbNotFoundError(`L1 transaction ${l1TxHash} delivered no message to the ${network.name} delayed inbox.`, { kind: 'critical' })
  const out: TrackedDelayedMessage[] = []
  for (const m of delivered) {
    const data = datas.get(m.index)
    out.push(data === undefined ? { ...m, data: undefined } : withCheckedMessageData(m, data))
    await checkAgainstAccumulator(client, network, m)
  }
  return out
}

/** Delayed messages delivered in [fromBlock, toBlock], with their data where the Inbox emitted it. */
export async function readDelayedMessagesInRange(client: ArbL1Client, network: ArbitrumNetwork, fromBlock: bigint, toBlock: bigint): Promise<TrackedDelayedMessage[]> {
  const [deliveredLogs, dataLogs] = await Promise.all([
    getLogsChunked((f, t) => client.getLogs({ address: network.contracts.bridge, event: messageDeliveredEvent, fromBlock: f, toBlock: t }), fromBlock, toBlock),
    getLogsChunked((f, t) => client.getLogs({ address: network.contracts.inbox, event: inboxMessageDeliveredEvent, fromBlock: f, toBlock: t }), fromBlock, toBlock),
  ])
  const datas = new Map<bigint, Hex>()
  for (const l of dataLogs) datas.set(l.args.messageNum as bigint, l.args.data as Hex)
  return deliveredLogs.map((l) => {
    const m = decodeMessageDeliveredLog({ address: l.address, topics: l.topics as Hex[], data: l.data, blockNumber: l.blockNumber as bigint, transactionHash: l.transactionHash ?? undefined })
    const data = datas.get(m.index)
    return data === undefined ? { ...m, data: undefined } : withCheckedMessageData(m, data)
  })
}

/** delayedInboxAccs(index) must equal keccak(beforeInboxAcc ‖ messageHash): otherwise forceInclusion would revert. */
export async function checkAgainstAccumulator(client: ArbL1Client, network: ArbitrumNetwork, message: DeliveredMessage): Promise<void> {
  const onChain = await client.readContract({ address: network.contracts.bridge, abi: bridgeAbi, functionName: 'delayedInboxAccs', args: [message.index] })
  const computed = accumulateDelayedMessage(message.beforeInboxAcc, hashDelayedMessage(message))
  if (onChain.toLowerCase() !== computed.toLowerCase()) {
    throw new ArbUntrustedDataError(`Delayed message ${message.index} does not match the Bridge accumulator on L1.`, {
      details: `delayedInboxAccs(${message.index}) = ${onChain}, computed ${computed}`,
      steps: ['Your L1 RPC endpoints may disagree or be faulty. Try another L1 endpoint.'],
    })
  }
}

const messageDeliveredEvent = bridgeAbi.find((i) => i.type === 'event' && i.name === 'MessageDelivered') as Extract<(typeof bridgeAbi)[number], { type: 'event'; name: 'MessageDelivered' }>
const inboxMessageDeliveredEvent = inboxAbi.find((i) => i.type === 'event' && i.name === 'InboxMessageDelivered') as Extract<(typeof inboxAbi)[number], { type: 'event'; name: 'InboxMessageDelivered' }>
/** keccak256("MessageDelivered(uint256,bytes32,address,uint8,address,bytes32,uint256,uint64)") (notes §1.2) */
const MESSAGE_DELIVERED_TOPIC = '0x5e3c1311ea442664e8b1611bfabef659120ea7a0a2cfc0667700bebc69cbffe1'
/** keccak256("InboxMessageDelivered(uint256,bytes)") */
const INBOX_MESSAGE_DELIVERED_TOPIC = '0xff64905f73a67fb594e0f940a8075a860db489ad991e032f48c81123eb52d60b'
