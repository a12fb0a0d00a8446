/**
 * The BlobSource port: blobs of one L1 block, by versioned hash, each verified against that hash before it is
 * returned (DESIGN.md trust model). Implementations: electron/services/blobs (beacon API with sidecar fallback, and a
 * beacon-API-compatible blob archive).
 *
 * Beacon nodes keep blobs for MIN_EPOCHS_FOR_BLOB_SIDECARS_REQUESTS = 4096 epochs (≈ 18.2 days, EIP-4844 / consensus
 * specs deneb/p2p-interface.md); older blobs need an archive.
 */
import { EscapeError, registerErrorClass } from '../errors/EscapeError'
import { type Hex, type Kzg, versionedHashFromCommitment, BYTES_PER_BLOB } from './kzg'

/** The part of AbortSignal a port needs (shared/ has no DOM/Node types; a real AbortSignal satisfies it). */
export interface AbortSignalLike {
  readonly aborted: boolean
}

export interface BlobBlockRef {
  number: number
  hash: Hex
  timestamp: number
}

export interface BlobSource {
  /**
   * The blobs for `versionedHashes` (in that order) carried by L1 block `block`. Every returned blob has been checked
   * against its versioned hash. Throws BlobsPrunedError when the blobs are past the retention window and no archive
   * can serve them, BlobUnavailableError (temporary) when sources are unreachable, BlobMismatchError when a source
   * returns wrong data.
   */
  getBlobs(block: BlobBlockRef, versionedHashes: readonly Hex[], signal?: AbortSignalLike): Promise<Uint8Array[]>
}

/** 4096 epochs × 32 slots × 12 s (consensus-specs deneb MIN_EPOCHS_FOR_BLOB_SIDECARS_REQUESTS). */
export const BLOB_RETENTION_SECONDS = 4096 * 32 * 12

/** Whether a block's blobs are older than the beacon retention window at `nowSeconds`. */
export function isBeyondBlobRetention(blockTimestamp: number, nowSeconds: number): boolean {
  return nowSeconds - blockTimestamp > BLOB_RETENTION_SECONDS
}

/** Seconds left before a block's blobs may be pruned (negative once past). For countdown warnings. */
export function secondsUntilBlobPruning(blockTimestamp: number, nowSeconds: number): number {
  return blockTimestamp + BLOB_RETENTION_SECONDS - nowSeconds
}

/** Blobs are past the beacon retention window and no configured archive served them. */
export class BlobsPrunedError extends EscapeError {
  override name = 'BlobsPrunedError'
  readonly blocks: readonly { number: number; timestamp: number }[]
  constructor(blocks: readonly { number: number; timestamp: number }[], archiveConfigured: boolean, cause?: unknown) {
    const list = blocks.map((b) => b.number).join(', ')
    super(
      `The blob data of L1 block${blocks.length === 1 ? '' : 's'} ${list} is older than the ~18-day beacon retention and ${
        archiveConfigured ? 'the configured blob archive did not return it' : 'no blob archive is configured'
      }.`,
      {
        kind: 'user-action',
        steps: archiveConfigured
          ? ['Check the blob archive URL, or configure another archive that serves these blocks.']
          : [
              'Configure a blob archive URL (a beacon-API-compatible archive such as a blob-archiver instance) in the network settings or with --blob-archive.',
              'Or use a beacon node that keeps all blobs (started with blob pruning disabled).',
            ],
        details: blocks.map((b) => `L1 block ${b.number} (timestamp ${b.timestamp})`).join('; '),
        cause,
      },
    )
    this.blocks = blocks
  }
}
registerErrorClass('BlobsPrunedError', BlobsPrunedError)

/** No source could be reached or answered for blobs that should still be available. Retry later. */
export class BlobUnavailableError extends EscapeError {
  override name = 'BlobUnavailableError'
  constructor(block: { number: number }, sources: readonly string[], cause?: unknown) {
    super(`Could not get the blobs of L1 block ${block.number} from any blob source.`, {
      kind: 'temporary',
      steps: ['Check the beacon node URL and your connection, then retry.', 'Configure a second beacon node or a blob archive.'],
      details: `sources tried: ${sources.join(', ') || '(none configured)'}`,
      cause,
    })
  }
}
registerErrorClass('BlobUnavailableError', BlobUnavailableError)

/**
 * From the candidate blobs a source returned for a block, pick the one matching each requested versioned hash (by
 * recomputing commitments). Returns `undefined` at a position when no candidate matches. Candidates of the wrong size
 * are ignored here (a source may return extra blobs); the chosen ones are correct by construction.
 */
export function matchBlobsToVersionedHashes(
  kzg: Kzg,
  candidates: readonly Uint8Array[],
  versionedHashes: readonly Hex[],
): (Uint8Array | undefined)[] {
  const byHash = new Map<string, Uint8Array>()
  const wanted = new Set(versionedHashes.map((h) => h.toLowerCase()))
  for (const blob of candidates) {
    if (blob.length !== BYTES_PER_BLOB) continue
    let hash: Hex
    try {
      hash = versionedHashFromCommitment(kzg.blobToKzgCommitment(blob))
    } catch {
      continue // a malformed candidate (non-canonical field element) matches nothing
    }
    if (wanted.has(hash)) byHash.set(hash, blob)
    if (byHash.size === wanted.size) break
  }
  return versionedHashes.map((h) => byHash.get(h.toLowerCase()))
}
