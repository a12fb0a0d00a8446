/**
 * Where a delayed message landed in the L2 chain, from L1 alone (notes §1.5 "Exact L2 block", §2.5): replay the
 * multiplexer over every batch from the first one, counting messages; L2 block = genesis + message index. This needs
 * every batch's data (blobs included), so it is only attempted up to `maxBatches` batches — a young Orbit chain or the
 * devnet, not Arbitrum One's history; callers fall back to the L2 node's answer, which is proven later by the send.
 */
import type { BlobSource } from '../../../l1/BlobSource'
import type { Kzg } from '../../../l1/kzg'
import type { BrotliDecompressor } from '../derive/BrotliDecompressor'
import { decodeBatch } from '../derive/decodeBatch'
import { readSequencerBatches } from '../derive/readSequencerBatch'
import type { ArbL1Client } from '../l1Client'
import type { ArbitrumNetwork } from '../network'

export interface LocatedMessage {
  /** Position in the L2 message stream (0 = the first message after Nitro genesis). */
  messageIndex: bigint
  l2Block: bigint
  batch: bigint
}

export async function locateDelayedMessage(params: {
  l1: ArbL1Client
  network: ArbitrumNetwork
  delayedIndex: bigint
  decompressor: BrotliDecompressor
  blobs?: { source: BlobSource; kzg: Kzg }
  maxBatches?: bigint
}): Promise<LocatedMessage | undefined> {
  const { l1, network } = params
  const head = await l1.getBlockNumber()
  const batches = await readSequencerBatches({ l1, network, fromBlock: BigInt(network.l1StartBlock ?? 0), toBlock: head, blobSource: params.blobs?.source })
  if (batches.length === 0 || batches[0]?.sequenceNumber !== 0n || BigInt(batches.length) > (params.maxBatches ?? 2000n)) return undefined
  let count = 0n
  let delayedRead = 0n
  for (const batch of batches) {
    if (batch.dataLocation === 'Blob' && !batch.blobs) return undefined
    const decoded = decodeBatch({
      data: batch.data,
      header: batch.header,
      delayedMessagesReadBefore: delayedRead,
      chainId: BigInt(network.l2ChainId),
      decompressor: params.decompressor,
      blobs: batch.blobs && params.blobs ? { kzg: params.blobs.kzg, blobs: batch.blobs } : undefined,
    })
    if (!decoded.dataOnL1) return undefined
    for (const m of decoded.messages) {
      if (m.source === 'delayed' && m.delayedIndex === params.delayedIndex) {
        const messageIndex = count + BigInt(m.index)
        return { messageIndex, l2Block: BigInt(network.l2GenesisBlock ?? 0) + messageIndex, batch: batch.sequenceNumber }
      }
    }
    count += BigInt(decoded.messages.length)
    delayedRead = batch.header.afterDelayedMessagesRead
  }
  return undefined
}
