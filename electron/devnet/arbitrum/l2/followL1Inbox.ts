import {
  blobsToCommitments,
  bytesToHex,
  commitmentsToVersionedHashes,
  concat,
  decodeFunctionData,
  encodePacked,
  getAbiItem,
  hexToBytes,
  keccak256,
  zeroHash,
  type Address,
  type Hex,
  type Kzg,
  type Log,
} from 'viem'
import { z } from 'zod'
import { ArbitrumDevnetL2Error } from '../errors'
import { bridgeAbi } from '../../../../contracts-abi/arbitrum-nitro/Bridge'
import { inboxAbi } from '../../../../contracts-abi/arbitrum-nitro/Inbox'
import { sequencerInboxAbi } from '../../../../contracts-abi/arbitrum-nitro/SequencerInbox'
import type { L1Clients } from '../sendL1Transaction'
import { blobHashesPayload, decodeBatchSegments, decodeBlobs, encodeBatchHeader, type BatchHeader } from './decodeSequencerBatch'
import type { L2Chain } from './l2Chain'
import { createDevnetL2Chain } from './retryables'
import { multiplexBatch, type DelayedMessage } from './multiplexBatch'

/**
 * The devnet L2 follows L1 like a Nitro node's inbox reader (nitro arbnode/inbox_reader.go, delayed.go,
 * sequencer_inbox.go): it reads the Bridge's delayed inbox (MessageDelivered + InboxMessageDelivered, data checked
 * against messageDataHash and the accumulator chain) and the SequencerInbox's batches (SequencerBatchDelivered +
 * calldata / SequencerBatchData / beacon blobs checked against their versioned hashes; every batch's afterAcc is
 * recomputed), and executes each batch's messages in order. The L2 state is therefore a pure function of L1: when
 * L1 reorgs (anvil snapshot revert), the L2 is rebuilt from the rollup's creation block.
 */
export interface InboxContracts {
  bridge: Address
  inbox: Address
  sequencerInbox: Address
  rollupEventInbox: Address
}

export interface StoredDelayedMessage extends DelayedMessage {
  messageDataHash: Hex
  /** Delayed accumulator after this message (Bridge.delayedInboxAccs(index)). */
  acc: Hex
  inbox: Address
  l1TxHash: Hex
}

export type BatchDataLocation = 'TxInput' | 'SeparateBatchEvent' | 'NoData' | 'Blob'
const DATA_LOCATIONS: readonly BatchDataLocation[] = ['TxInput', 'SeparateBatchEvent', 'NoData', 'Blob']

export interface StoredBatch {
  sequenceNumber: bigint
  header: BatchHeader
  dataLocation: BatchDataLocation
  l1BlockNumber: bigint
  l1TxHash: Hex
  afterAcc: Hex
  /** The data after the 40-byte header as committed on L1 (calldata, or 0x50 ‖ versioned hashes). */
  sequencerData: Hex
  blobVersionedHashes: Hex[]
  /** L2 message (= block) numbers this batch produced: [firstMessage, messageCountAfter). */
  firstMessage: bigint
  messageCountAfter: bigint
}

const messageDeliveredEvent = getAbiItem({ abi: bridgeAbi, name: 'MessageDelivered' })
const inboxMessageDeliveredEvent = getAbiItem({ abi: inboxAbi, name: 'InboxMessageDelivered' })
const inboxMessageDeliveredFromOriginEvent = getAbiItem({ abi: inboxAbi, name: 'InboxMessageDeliveredFromOrigin' })
const sequencerBatchDeliveredEvent = getAbiItem({ abi: sequencerInboxAbi, name: 'SequencerBatchDelivered' })
const sequencerBatchDataEvent = getAbiItem({ abi: sequencerInboxAbi, name: 'SequencerBatchData' })

const beaconBlobsSchema = z.object({ data: z.array(z.string().regex(/^0x[0-9a-fA-F]*$/)).max(64) })

/** keccak(kind ‖ sender ‖ blockNumber ‖ timestamp ‖ inboxSeqNum ‖ baseFeeL1 ‖ messageDataHash) (Messages.sol messageHash). */
export function delayedMessageHash(m: { kind: number; sender: Address; l1BlockNumber: bigint; timestamp: bigint; index: bigint; baseFeeL1: bigint; messageDataHash: Hex }): Hex {
  return keccak256(
    encodePacked(
      ['uint8', 'address', 'uint64', 'uint64', 'uint256', 'uint256', 'bytes32'],
      [m.kind, m.sender, m.l1BlockNumber, m.timestamp, m.index, m.baseFeeL1, m.messageDataHash],
    ),
  )
}

export class L1InboxFollower {
  chain: L2Chain
  delayed: StoredDelayedMessage[] = []
  batches: StoredBatch[] = []
  private scannedTo: bigint
  private scannedHash: Hex | undefined

  constructor(
    private readonly opts: {
      clients: L1Clients
      contracts: InboxContracts
      /** The createRollup block: nothing of this rollup exists before it. */
      fromBlock: bigint
      l2ChainId: number
      beaconUrl: string
      kzg: () => Kzg
    },
  ) {
    this.chain = createDevnetL2Chain(opts.l2ChainId)
    this.scannedTo = opts.fromBlock - 1n
  }

  /** Delayed messages included by the batches so far. */
  get delayedMessagesRead(): bigint {
    return this.batches[this.batches.length - 1]?.header.afterDelayedMessages ?? 0n
  }

  /** Read new L1 blocks and execute any new batches. Returns true when the L2 changed. */
  async sync(): Promise<boolean> {
    const pub = this.opts.clients.public
    const latest = await pub.getBlock({ blockTag: 'latest' })
    if (this.scannedHash !== undefined && this.scannedTo >= this.opts.fromBlock) {
      const seen = latest.number === this.scannedTo ? latest : await pub.getBlock({ blockNumber: this.scannedTo }).catch(() => undefined)
      if (!seen || seen.hash !== this.scannedHash) {
        // L1 went back (snapshot revert / reorg): rebuild the L2 from the rollup's creation.
        this.chain = createDevnetL2Chain(this.opts.l2ChainId)
        this.delayed = []
        this.batches = []
        this.scannedTo = this.opts.fromBlock - 1n
        this.scannedHash = undefined
        return this.sync().then(() => true)
      }
    }
    if (latest.number <= this.scannedTo) return false
    const fromBlock = this.scannedTo + 1n
    const toBlock = latest.number
    const { contracts } = this.opts
    const [delivered, inboxData, batchLogs] = await Promise.all([
      pub.getLogs({ address: contracts.bridge, event: messageDeliveredEvent, fromBlock, toBlock, strict: true }),
      pub.getLogs({
        address: [contracts.inbox, contracts.sequencerInbox, contracts.rollupEventInbox],
        events: [inboxMessageDeliveredEvent, inboxMessageDeliveredFromOriginEvent],
        fromBlock,
        toBlock,
        strict: true,
      }),
      pub.getLogs({ address: contracts.sequencerInbox, events: [sequencerBatchDeliveredEvent, sequencerBatchDataEvent], fromBlock, toBlock, strict: true }),
    ])
    await this.readDelayed(delivered, inboxData)
    const changed = await this.readBatches(batchLogs)
    this.scannedTo = toBlock
    this.scannedHash = latest.hash ?? undefined
    return changed
  }

  private async readDelayed(
    delivered: Log<bigint, number, false, typeof messageDeliveredEvent, true>[],
    inboxData: Log<bigint, number, false, undefined, true, [typeof inboxMessageDeliveredEvent, typeof inboxMessageDeliveredFromOriginEvent]>[],
  ): Promise<void> {
    for (const log of delivered) {
      const a = log.args
      const index = a.messageIndex
      if (index !== BigInt(this.delayed.length)) throw inconsistent(`delayed message ${index} arrived after ${this.delayed.length}`)
      const prevAcc = this.delayed[this.delayed.length - 1]?.acc ?? zeroHash
      if (a.beforeInboxAcc !== prevAcc) throw inconsistent(`delayed message ${index} beforeInboxAcc does not chain`)
      const dataLog = inboxData.find((l) => l.address.toLowerCase() === a.inbox.toLowerCase() && l.args.messageNum === index)
      let data: Hex
      if (dataLog && dataLog.eventName === 'InboxMessageDelivered') {
        data = dataLog.args.data
      } else if (dataLog && dataLog.eventName === 'InboxMessageDeliveredFromOrigin') {
        // sendL2MessageFromOrigin: the data is only in the L1 tx input (nitro arbnode/delayed.go).
        const tx = await this.opts.clients.public.getTransaction({ hash: log.transactionHash })
        const call = decodeFunctionData({ abi: inboxAbi, data: tx.input })
        if (call.functionName !== 'sendL2MessageFromOrigin') throw inconsistent(`delayed message ${index}: FromOrigin tx is not sendL2MessageFromOrigin`)
        data = call.args[0]
      } else {
        throw inconsistent(`delayed message ${index} has no InboxMessageDelivered data from ${a.inbox}`)
      }
      if (keccak256(data) !== a.messageDataHash) throw inconsistent(`delayed message ${index} data does not hash to messageDataHash`)
      const message = {
        index,
        kind: a.kind,
        sender: a.sender,
        l1BlockNumber: log.blockNumber,
        timestamp: a.timestamp,
        baseFeeL1: a.baseFeeL1,
        messageDataHash: a.messageDataHash,
        data: hexToBytes(data),
      }
      this.delayed.push({ ...message, acc: keccak256(concat([prevAcc, delayedMessageHash(message)])), inbox: a.inbox, l1TxHash: log.transactionHash })
    }
  }

  private async readBatches(
    logs: Log<bigint, number, false, undefined, true, [typeof sequencerBatchDeliveredEvent, typeof sequencerBatchDataEvent]>[],
  ): Promise<boolean> {
    let changed = false
    for (const log of logs) {
      if (log.eventName !== 'SequencerBatchDelivered') continue
      const a = log.args
      if (a.batchSequenceNumber !== BigInt(this.batches.length)) throw inconsistent(`batch ${a.batchSequenceNumber} arrived after ${this.batches.length}`)
      const dataLocation = DATA_LOCATIONS[a.dataLocation]
      if (!dataLocation) throw inconsistent(`batch ${a.batchSequenceNumber} has unknown data location ${a.dataLocation}`)
      const header: BatchHeader = {
        minTimestamp: a.timeBounds.minTimestamp,
        maxTimestamp: a.timeBounds.maxTimestamp,
        minL1Block: a.timeBounds.minBlockNumber,
        maxL1Block: a.timeBounds.maxBlockNumber,
        afterDelayedMessages: a.afterDelayedMessagesRead,
      }
      let sequencerData: Hex = '0x'
      let payload: Uint8Array = new Uint8Array(0)
      let blobVersionedHashes: Hex[] = []
      if (dataLocation === 'TxInput') {
        const tx = await this.opts.clients.public.getTransaction({ hash: log.transactionHash })
        const call = decodeFunctionData({ abi: sequencerInboxAbi, data: tx.input })
        if (call.functionName !== 'addSequencerL2BatchFromOrigin' && call.functionName !== 'addSequencerL2BatchFromOriginDelayProof') {
          throw inconsistent(`batch ${a.batchSequenceNumber}: TxInput tx calls ${call.functionName}`)
        }
        if (call.args.length < 6 || typeof call.args[1] !== 'string') throw inconsistent(`batch ${a.batchSequenceNumber}: TxInput tx has no data argument`)
        sequencerData = call.args[1]
        payload = hexToBytes(sequencerData)
      } else if (dataLocation === 'SeparateBatchEvent') {
        const dataLog = logs.find(
          (l) => l.eventName === 'SequencerBatchData' && l.transactionHash === log.transactionHash && l.args.batchSequenceNumber === a.batchSequenceNumber,
        )
        if (!dataLog || dataLog.eventName !== 'SequencerBatchData') throw inconsistent(`batch ${a.batchSequenceNumber} has no SequencerBatchData event`)
        sequencerData = dataLog.args.data
        payload = hexToBytes(sequencerData)
      } else if (dataLocation === 'Blob') {
        const tx = await this.opts.clients.public.getTransaction({ hash: log.transactionHash })
        blobVersionedHashes = [...(tx.blobVersionedHashes ?? [])]
        if (blobVersionedHashes.length === 0) throw inconsistent(`batch ${a.batchSequenceNumber} is a blob batch without blobs`)
        sequencerData = bytesToHex(blobHashesPayload(blobVersionedHashes))
        const blobs = await this.fetchBlobs(log.blockNumber, blobVersionedHashes)
        payload = decodeBlobs(blobs) ?? new Uint8Array(0)
      }
      // The batch's accumulator must reproduce the event's afterAcc (SequencerInbox formCallDataHash / formBlobDataHash).
      const headerBytes = encodeBatchHeader(header)
      const dataHash = keccak256(concat([bytesToHex(headerBytes), sequencerData]))
      const delayedAcc = header.afterDelayedMessages > 0n ? this.delayed[Number(header.afterDelayedMessages) - 1]?.acc : zeroHash
      if (delayedAcc === undefined || delayedAcc !== a.delayedAcc) throw inconsistent(`batch ${a.batchSequenceNumber} delayedAcc does not match the delayed inbox`)
      const beforeAcc = this.batches[this.batches.length - 1]?.afterAcc ?? zeroHash
      if (a.beforeAcc !== beforeAcc || keccak256(concat([beforeAcc, dataHash, delayedAcc])) !== a.afterAcc) {
        throw inconsistent(`batch ${a.batchSequenceNumber} data does not reproduce its afterAcc`)
      }

      const firstMessage = BigInt(this.chain.blocks.length)
      const { messages } = multiplexBatch({
        header,
        segments: decodeBatchSegments(payload),
        delayedMessagesRead: this.delayedMessagesRead,
        readDelayed: (index) => {
          const d = this.delayed[Number(index)]
          if (!d) throw inconsistent(`batch ${a.batchSequenceNumber} reads delayed message ${index}, which is not on L1`)
          return d
        },
      })
      for (const message of messages) await this.chain.applyMessage(message)
      this.batches.push({
        sequenceNumber: a.batchSequenceNumber,
        header,
        dataLocation,
        l1BlockNumber: log.blockNumber,
        l1TxHash: log.transactionHash,
        afterAcc: a.afterAcc,
        sequencerData,
        blobVersionedHashes,
        firstMessage,
        messageCountAfter: BigInt(this.chain.blocks.length),
      })
      changed = true
    }
    return changed
  }

  /** The tx's blobs from the beacon endpoint (anvil serves /eth/v1/beacon/blobs/{block}), each checked against its versioned hash. */
  private async fetchBlobs(blockNumber: bigint, versionedHashes: readonly Hex[]): Promise<Uint8Array[]> {
    const url = `${this.opts.beaconUrl.replace(/\/$/, '')}/eth/v1/beacon/blobs/${blockNumber}`
    let body: unknown
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(30_000) })
      if (!response.ok) throw new Error(`HTTP ${response.status}`)
      body = await response.json()
    } catch (cause) {
      throw new ArbitrumDevnetL2Error(`The devnet L2 could not read the blobs of L1 block ${blockNumber} from the beacon endpoint.`, {
        kind: 'temporary',
        steps: ['Check that the devnet L1 (anvil) is running; it serves the beacon blobs endpoint.'],
        cause,
      })
    }
    const parsed = beaconBlobsSchema.safeParse(body)
    if (!parsed.success) throw inconsistent(`the beacon endpoint answered malformed blobs for block ${blockNumber}`)
    const blobs = parsed.data.data.map((b) => hexToBytes(b as Hex))
    const kzg = this.opts.kzg()
    const hashes = blobs.length === 0 ? [] : commitmentsToVersionedHashes({ commitments: blobsToCommitments({ blobs, kzg, to: 'bytes' }), to: 'hex' })
    return versionedHashes.map((vh) => {
      const i = hashes.findIndex((h) => h.toLowerCase() === vh.toLowerCase())
      const blob = blobs[i]
      if (i < 0 || !blob) throw inconsistent(`no blob with versioned hash ${vh} in block ${blockNumber}`)
      return blob
    })
  }
}

function inconsistent(what: string): ArbitrumDevnetL2Error {
  return new ArbitrumDevnetL2Error(`The devnet L2 found L1 inbox data it cannot follow: ${what}.`, {
    steps: ['Restart the devnet; if this repeats, report it (the L1 contracts and the devnet L2 disagree).'],
  })
}
