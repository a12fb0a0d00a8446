/**
 * One posted batch → its header and data, from L1 alone, by data location (notes §2.1; nitro arbnode/sequencer_inbox.go
 * getSequencerDataFromBatch): TxInput = the `data` argument of the posting call; SeparateBatchEvent = the
 * SequencerBatchData log; Blob = 0x50 ‖ the tx's versioned hashes, with the blobs fetched through the BlobSource port
 * (each verified against its hash there, and again by decodeBatchBlobs); NoData = empty (forceInclusion).
 */
import { hexToBytes, type Hex } from 'viem'
import { sequencerInboxAbi } from '../../../../contracts-abi/arbitrum-nitro/SequencerInbox'
import type { BlobSource } from '../../../l1/BlobSource'
import { ArbBatchFormatError, ArbNotFoundError } from '../errors'
import type { ArbL1Client } from '../l1Client'
import type { ArbitrumNetwork } from '../network'
import { decodeBatchCalldata } from './decodeBatchCalldata'
import type { SequencerBatchHeader } from './sequencerMessage'

export interface PostedBatch {
  sequenceNumber: bigint
  l1BlockNumber: bigint
  l1TransactionHash: Hex
  header: SequencerBatchHeader
  dataLocation: 'TxInput' | 'SeparateBatchEvent' | 'NoData' | 'Blob'
  /** flag ‖ payload (0x50 ‖ hashes for blobs); empty for NoData. */
  data: Uint8Array
  /** Blob batches: the blobs, as returned (verified) by the BlobSource. */
  blobs?: Uint8Array[]
}

const batchDeliveredEvent = sequencerInboxAbi.find((i) => i.type === 'event' && i.name === 'SequencerBatchDelivered') as Extract<(typeof sequencerInboxAbi)[number], { type: 'event'; name: 'SequencerBatchDelivered' }>
const batchDataEvent = sequencerInboxAbi.find((i) => i.type === 'event' && i.name === 'SequencerBatchData') as Extract<(typeof sequencerInboxAbi)[number], { type: 'event'; name: 'SequencerBatchData' }>
const LOCATIONS = ['TxInput', 'SeparateBatchEvent', 'NoData', 'Blob'] as const

/** All batches delivered in [fromBlock, toBlock], ordered by sequence number, with their data. */
export async function readSequencerBatches(params: {
  l1: ArbL1Client
  network: ArbitrumNetwork
  fromBlock: bigint
  toBlock: bigint
  blobSource?: BlobSource
}): Promise<PostedBatch[]> {
  const { l1, network } = params
  const logs = await l1.getLogs({ address: network.contracts.sequencerInbox, event: batchDeliveredEvent, fromBlock: params.fromBlock, toBlock: params.toBlock })
  logs.sort((a, b) => ((a.args.batchSequenceNumber as bigint) < (b.args.batchSequenceNumber as bigint) ? -1 : 1))
  const out: PostedBatch[] = []
  for (const log of logs) {
    const a = log.args
    const location = LOCATIONS[Number(a.dataLocation)]
    if (!location) throw new ArbBatchFormatError(`Batch ${a.batchSequenceNumber} has an unknown data location ${a.dataLocation}.`, { kind: 'critical' })
    const tb = a.timeBounds as { minTimestamp: bigint; maxTimestamp: bigint; minBlockNumber: bigint; maxBlockNumber: bigint }
    const header: SequencerBatchHeader = {
      minTimestamp: tb.minTimestamp, maxTimestamp: tb.maxTimestamp, minL1Block: tb.minBlockNumber, maxL1Block: tb.maxBlockNumber,
      afterDelayedMessagesRead: a.afterDelayedMessagesRead as bigint,
    }
    const base = { sequenceNumber: a.batchSequenceNumber as bigint, l1BlockNumber: log.blockNumber as bigint, l1TransactionHash: log.transactionHash as Hex, header, dataLocation: location }
    if (location === 'NoData') {
      out.push({ ...base, data: new Uint8Array() })
    } else if (location === 'TxInput') {
      const tx = await l1.getTransaction({ hash: base.l1TransactionHash })
      out.push({ ...base, data: decodeBatchCalldata(tx.input).data })
    } else if (location === 'SeparateBatchEvent') {
      const [dataLog] = await l1.getLogs({ address: network.contracts.sequencerInbox, event: batchDataEvent, args: { batchSequenceNumber: base.sequenceNumber }, fromBlock: base.l1BlockNumber, toBlock: base.l1BlockNumber })
      if (!dataLog) throw new ArbNotFoundError(`The SequencerBatchData log of batch ${base.sequenceNumber} is missing on L1.`, { kind: 'critical' })
      out.push({ ...base, data: hexToBytes(dataLog.args.data as Hex) })
    } else {
      const tx = await l1.getTransaction({ hash: base.l1TransactionHash })
      const hashes = (tx.blobVersionedHashes ?? []) as Hex[]
      const data = new Uint8Array(1 + 32 * hashes.length)
      data[0] = 0x50
      hashes.forEach((h, i) => data.set(hexToBytes(h), 1 + 32 * i))
      let blobs: Uint8Array[] | undefined
      if (params.blobSource) {
        const block = await l1.getBlock({ blockNumber: base.l1BlockNumber })
        blobs = await params.blobSource.getBlobs({ number: Number(block.number), hash: block.hash as Hex, timestamp: Number(block.timestamp) }, hashes)
      }
      out.push({ ...base, data, blobs })
    }
  }
  return out
}
