/**
 * Which batch read a delayed message (notes §1.5 "Sequenced"): the first SequencerBatchDelivered whose
 * afterDelayedMessagesRead is above the message index — a sequencer batch or a NoData forceInclusion batch.
 */
import type { Hex } from 'viem'
import { sequencerInboxAbi } from '../../../../contracts-abi/arbitrum-nitro/SequencerInbox'
import { getLogsChunked, type ArbL1Client } from '../l1Client'
import type { ArbitrumNetwork } from '../network'

export const BatchDataLocation = ['TxInput', 'SeparateBatchEvent', 'NoData', 'Blob'] as const

export interface SequencingBatch {
  sequenceNumber: bigint
  l1BlockNumber: bigint
  l1TransactionHash: Hex
  afterDelayedMessagesRead: bigint
  dataLocation: (typeof BatchDataLocation)[number] | 'unknown'
  /** A NoData batch is a forceInclusion: the message was forced in, not included by the sequencer. */
  forced: boolean
}

const batchDeliveredEvent = sequencerInboxAbi.find((i) => i.type === 'event' && i.name === 'SequencerBatchDelivered') as Extract<
  (typeof sequencerInboxAbi)[number],
  { type: 'event'; name: 'SequencerBatchDelivered' }
>

export async function findSequencingBatch(
  client: ArbL1Client,
  network: ArbitrumNetwork,
  messageIndex: bigint,
  fromBlock: bigint,
  toBlock?: bigint,
): Promise<SequencingBatch | undefined> {
  const to = toBlock ?? (await client.getBlockNumber())
  const logs = await getLogsChunked(
    (f, t) => client.getLogs({ address: network.contracts.sequencerInbox, event: batchDeliveredEvent, fromBlock: f, toBlock: t }),
    fromBlock,
    to,
  )
  const log = logs
    .filter((l) => (l.args.afterDelayedMessagesRead as bigint) > messageIndex)
    .sort((a, b) => ((a.args.batchSequenceNumber as bigint) < (b.args.batchSequenceNumber as bigint) ? -1 : 1))[0]
  if (!log) return undefined
  const location = BatchDataLocation[Number(log.args.dataLocation)] ?? 'unknown'
  return {
    sequenceNumber: log.args.batchSequenceNumber as bigint,
    l1BlockNumber: log.blockNumber as bigint,
    l1TransactionHash: log.transactionHash as Hex,
    afterDelayedMessagesRead: log.args.afterDelayedMessagesRead as bigint,
    dataLocation: location,
    forced: location === 'NoData',
  }
}
