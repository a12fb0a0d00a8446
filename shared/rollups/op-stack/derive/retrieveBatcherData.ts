/**
 * L1 retrieval: the batcher data of one L1 block, in transaction order (specs/protocol/derivation.md §"L1 Retrieval",
 * ecotone/derivation.md §"Blob Retrieval"; op-node calldata_source.go, blob_data_source.go `isValidBatchTx`).
 *
 * A transaction counts when it is sent to the batch inbox by the batcher of the SystemConfig in force after this L1
 * block's updates. From Ecotone (by L1 block time) blob transactions carry their data in blobs (calldata ignored),
 * each blob a separate payload; a blob that does not decode is ignored. Blobs come from the BlobSource, which returns
 * only blobs verified against their versioned hashes.
 */
import type { BlobSource } from '../../../l1/BlobSource'
import type { Address, L1BlockHeader, L1Source, L1Transaction } from '../../../l1/L1Source'
import { isForkActive, type RollupConfig } from '../config/rollupConfig'
import { decodeBlob } from './decodeBlob'
import { MalformedBatcherDataError } from './errors'
import { DerivationError } from './errors'
import { hexBytes } from '../../../eth/bytes'

export const BLOB_TX_TYPE = 3

export interface BatcherData {
  l1Block: number
  txHash: `0x${string}`
  /** 'calldata' or the blob index within the transaction. */
  source: 'calldata' | { blobIndex: number }
  /** version byte ++ frames */
  payload: Uint8Array
}

export interface RetrievalEvents {
  onBlobIgnored?(txHash: string, blobIndex: number, reason: string): void
}

/** Whether a transaction is a batcher transaction for this chain (op-node `isValidBatchTx`). */
export function isBatcherTransaction(tx: L1Transaction, inbox: Address, batcher: Address): boolean {
  return tx.to !== null && tx.to.toLowerCase() === inbox.toLowerCase() && tx.from.toLowerCase() === batcher.toLowerCase()
}

export async function retrieveBatcherData(
  p: { config: RollupConfig; l1: L1Source; blobs: BlobSource | undefined; events?: RetrievalEvents },
  block: L1BlockHeader,
  batcher: Address,
): Promise<BatcherData[]> {
  const txs = (await p.l1.getTransactionsTo(block, p.config.batchInboxAddress)).filter((t) => isBatcherTransaction(t, p.config.batchInboxAddress, batcher))
  const ecotone = isForkActive(p.config, 'ecotone', block.timestamp)
  const wantedHashes: `0x${string}`[] = []
  for (const tx of txs) if (ecotone && tx.type === BLOB_TX_TYPE) wantedHashes.push(...tx.blobVersionedHashes)
  let blobs: Uint8Array[] = []
  if (wantedHashes.length > 0) {
    if (!p.blobs) {
      throw new DerivationError(`L1 block ${block.number} carries batcher blobs, and no blob source is configured.`, {
        kind: 'user-action',
        steps: ['Configure a beacon node URL (and a blob archive for blocks older than ~18 days).'],
      })
    }
    blobs = await p.blobs.getBlobs(block, wantedHashes)
    if (blobs.length !== wantedHashes.length) throw new DerivationError('The blob source returned the wrong number of blobs.', { kind: 'critical' })
  }
  const out: BatcherData[] = []
  let blobCursor = 0
  for (const tx of txs) {
    if (ecotone && tx.type === BLOB_TX_TYPE) {
      tx.blobVersionedHashes.forEach((_, i) => {
        const blob = blobs[blobCursor++] as Uint8Array
        try {
          out.push({ l1Block: block.number, txHash: tx.hash, source: { blobIndex: i }, payload: decodeBlob(blob) })
        } catch (e) {
          if (!(e instanceof MalformedBatcherDataError)) throw e
          p.events?.onBlobIgnored?.(tx.hash, i, e.reason)
        }
      })
    } else {
      out.push({ l1Block: block.number, txHash: tx.hash, source: 'calldata', payload: hexBytes(tx.input) })
    }
  }
  return out
}
