/**
 * The input of a SequencerInbox batch-posting transaction → the batch data and the fields it carries (notes §2.1).
 * The 40-byte header is NOT in the calldata: its time bounds come from the L1 block (SequencerBatchDelivered
 * timeBounds); only afterDelayedMessagesRead is here.
 */
import { decodeFunctionData, hexToBytes, type Hex } from 'viem'
import { sequencerInboxAbi } from '../../../../contracts-abi/arbitrum-nitro/SequencerInbox'
import { ArbBatchFormatError } from '../errors'

export interface BatchCalldata {
  functionName: string
  sequenceNumber: bigint
  /** Batch data (flag ‖ payload); empty for blob batches, whose data is in the blobs. */
  data: Uint8Array
  afterDelayedMessagesRead: bigint
  /** The 6-argument variants: sequencer message counts before and after. */
  prevMessageCount?: bigint
  newMessageCount?: bigint
  /** Blob batches: the data is in the transaction's blobs, not here. */
  dataInBlobs: boolean
}

const BATCH_SELECTORS = new Set(['0xe0bc9729', '0x6e620055', '0x3e5aa082', '0x917cf8ac', '0x6f12b0c9', '0x8f111f3c', '0x69cacded'])

export function isBatchPostingCalldata(input: Uint8Array): boolean {
  if (input.length < 4) return false
  const selector = `0x${Array.from(input.subarray(0, 4), (b) => b.toString(16).padStart(2, '0')).join('')}`
  return BATCH_SELECTORS.has(selector)
}

export function decodeBatchCalldata(input: Hex): BatchCalldata {
  let decoded
  try {
    decoded = decodeFunctionData({ abi: sequencerInboxAbi, data: input })
  } catch (error) {
    throw new ArbBatchFormatError('This is not the input of a SequencerInbox batch-posting call.', { cause: error })
  }
  const a = decoded.args as readonly unknown[]
  switch (decoded.functionName) {
    case 'addSequencerL2BatchFromOrigin':
    case 'addSequencerL2Batch':
    case 'addSequencerL2BatchFromOriginDelayProof':
    case 'addSequencerL2BatchDelayProof':
      return {
        functionName: decoded.functionName,
        sequenceNumber: a[0] as bigint,
        data: hexToBytes(a[1] as Hex),
        afterDelayedMessagesRead: a[2] as bigint,
        prevMessageCount: a[4] as bigint | undefined,
        newMessageCount: a[5] as bigint | undefined,
        dataInBlobs: false,
      }
    case 'addSequencerL2BatchFromBlobs':
    case 'addSequencerL2BatchFromBlobsDelayProof':
      return {
        functionName: decoded.functionName,
        sequenceNumber: a[0] as bigint,
        data: new Uint8Array(),
        afterDelayedMessagesRead: a[1] as bigint,
        prevMessageCount: a[3] as bigint,
        newMessageCount: a[4] as bigint,
        dataInBlobs: true,
      }
    default:
      throw new ArbBatchFormatError(`SequencerInbox.${decoded.functionName} does not post a batch.`)
  }
}
