/**
 * Blob ↔ versioned-hash checks (EIP-4844). The KZG commitment itself is computed by a native library behind the `Kzg`
 * port (c-kzg in electron/services/kzg.ts); hashing and comparison live here so every caller verifies the same way.
 *
 * Trust model (DESIGN.md): a blob from a beacon node or archive is untrusted until its commitment hashes to the
 * versioned hash carried by the L1 transaction.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { EscapeError, registerErrorClass } from '../errors/EscapeError'
import { toHex } from '../eth/bytes'

export type Hex = `0x${string}`

/** 4096 field elements × 32 bytes (EIP-4844 FIELD_ELEMENTS_PER_BLOB × BYTES_PER_FIELD_ELEMENT). */
export const BYTES_PER_BLOB = 131_072
export const BYTES_PER_COMMITMENT = 48
/** EIP-4844 VERSIONED_HASH_VERSION_KZG. */
export const VERSIONED_HASH_VERSION_KZG = 0x01

/** The port: compute a blob's KZG commitment (48 bytes). Throws on a malformed blob (e.g. non-canonical element). */
export interface Kzg {
  blobToKzgCommitment(blob: Uint8Array): Uint8Array
}

/** EIP-4844 `kzg_to_versioned_hash`: 0x01 ‖ sha256(commitment)[1:]. */
export function versionedHashFromCommitment(commitment: Uint8Array): Hex {
  if (commitment.length !== BYTES_PER_COMMITMENT) {
    throw new BlobMismatchError({ reason: `a KZG commitment must be 48 bytes, got ${commitment.length}` })
  }
  const h = sha256(commitment)
  h[0] = VERSIONED_HASH_VERSION_KZG
  return toHex(h)
}

export interface BlobMismatchParameters {
  versionedHash?: Hex
  computed?: Hex
  /** Who supplied the blob (beacon URL, archive URL, file), so the message names the source that lied. */
  source?: string
  l1BlockNumber?: number
  reason?: string
}

/** A blob did not match its versioned hash (or was not a valid blob at all). The supplier is wrong or lying. */
export class BlobMismatchError extends EscapeError {
  override name = 'BlobMismatchError'
  readonly versionedHash: Hex | undefined
  readonly source: string | undefined
  constructor(p: BlobMismatchParameters, cause?: unknown) {
    const from = p.source ? ` from ${p.source}` : ''
    super(`A blob${from} does not match the hash committed on L1, so it was rejected.`, {
      kind: 'critical',
      steps: [
        'The blob source returned wrong data. Configure another beacon node or blob archive and try again.',
        'If this keeps happening with several sources, check that your L1 RPC is on the right chain.',
      ],
      details: [
        p.reason,
        p.versionedHash && `expected versioned hash ${p.versionedHash}`,
        p.computed && `computed ${p.computed}`,
        p.l1BlockNumber !== undefined && `L1 block ${p.l1BlockNumber}`,
        p.source && `source ${p.source}`,
      ]
        .filter(Boolean)
        .join('; '),
      cause,
    })
    this.versionedHash = p.versionedHash
    this.source = p.source
  }
}
registerErrorClass('BlobMismatchError', BlobMismatchError)

/**
 * Verify that `blob` is a well-formed blob whose KZG commitment hashes to `versionedHash`; throws BlobMismatchError
 * otherwise. Only a verified blob may be decoded.
 */
export function verifyBlobAgainstVersionedHash(
  kzg: Kzg,
  blob: Uint8Array,
  versionedHash: Hex,
  context: { source?: string; l1BlockNumber?: number } = {},
): void {
  const expected = versionedHash.toLowerCase() as Hex
  if (blob.length !== BYTES_PER_BLOB) {
    throw new BlobMismatchError({ ...context, versionedHash: expected, reason: `a blob must be ${BYTES_PER_BLOB} bytes, got ${blob.length}` })
  }
  if (!/^0x[0-9a-f]{64}$/.test(expected) || expected.slice(2, 4) !== '01') {
    throw new BlobMismatchError({ ...context, versionedHash: expected, reason: 'the versioned hash is not a version-1 (KZG) 32-byte hash' })
  }
  let commitment: Uint8Array
  try {
    commitment = kzg.blobToKzgCommitment(blob)
  } catch (e) {
    throw new BlobMismatchError({ ...context, versionedHash: expected, reason: 'the blob is not a valid set of field elements' }, e)
  }
  const computed = versionedHashFromCommitment(commitment)
  if (computed !== expected) throw new BlobMismatchError({ ...context, versionedHash: expected, computed })
}
