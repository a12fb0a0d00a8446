/**
 * EIP-4844 blobs of a 0x50 batch → the batch data (flag ‖ brotli), after checking every blob against the versioned
 * hash the SequencerInbox recorded (DESIGN.md trust model). Decoding follows nitro util/blobs/blobs.go DecodeBlobs
 * (notes §2.2): per blob, bytes 1..31 of each of the 4096 field elements, then the 6 spare low bits of each element's
 * first byte packed LSB-first (3072 bytes); the concatenation over all blobs is one RLP byte string.
 */
import { decode as decodeRlp, encode as encodeRlp } from '@ethereumjs/rlp'
import { BYTES_PER_BLOB, verifyBlobAgainstVersionedHash, type Hex, type Kzg } from '../../../l1/kzg'
import { ArbBatchFormatError } from '../errors'

const FIELD_ELEMENTS_PER_BLOB = 4096
const SPARE_BLOB_BITS = 6

export interface DecodeBatchBlobsParameters {
  kzg: Kzg
  blobs: readonly Uint8Array[]
  /** From the batch data (0x50 ‖ hashes), in order. */
  versionedHashes: readonly Hex[]
  /** Who supplied the blobs, named in the error if one does not match. */
  source?: string
  l1BlockNumber?: number
}

export type DecodedBlobData = { ok: true; data: Uint8Array } | { ok: false; reason: string }

/**
 * Verify, then decode. Throws BlobMismatchError (from shared/l1/kzg) on any blob that does not match its hash.
 * A blob set that verifies but does not decode is what Nitro treats as an empty batch: returned as `ok: false`.
 */
export function decodeBatchBlobs(params: DecodeBatchBlobsParameters): DecodedBlobData {
  if (params.blobs.length !== params.versionedHashes.length) {
    throw new ArbBatchFormatError('The number of blobs does not match the number of versioned hashes in the batch.', {
      details: `${params.blobs.length} blobs, ${params.versionedHashes.length} hashes`,
    })
  }
  params.blobs.forEach((blob, i) =>
    verifyBlobAgainstVersionedHash(params.kzg, blob, params.versionedHashes[i] as Hex, { source: params.source, l1BlockNumber: params.l1BlockNumber }),
  )
  return decodeVerifiedBlobs(params.blobs)
}

/** The decoding half of decodeBatchBlobs. Only call it on blobs that passed verifyBlobAgainstVersionedHash. */
export function decodeVerifiedBlobs(blobs: readonly Uint8Array[]): DecodedBlobData {
  const perBlob = FIELD_ELEMENTS_PER_BLOB * 31 + (FIELD_ELEMENTS_PER_BLOB * SPARE_BLOB_BITS) / 8
  const rlpData = new Uint8Array(perBlob * blobs.length)
  let out = 0
  for (const blob of blobs) {
    if (blob.length !== BYTES_PER_BLOB) return { ok: false, reason: `a blob must be ${BYTES_PER_BLOB} bytes` }
    for (let fe = 0; fe < FIELD_ELEMENTS_PER_BLOB; fe++) {
      rlpData.set(blob.subarray(fe * 32 + 1, (fe + 1) * 32), out)
      out += 31
    }
    // Same arithmetic as Nitro: a uint16 accumulator, the whole first byte OR-ed in (not masked to 6 bits).
    let acc = 0
    let accBits = 0
    for (let fe = 0; fe < FIELD_ELEMENTS_PER_BLOB; fe++) {
      acc = (acc | ((blob[fe * 32] as number) << accBits)) & 0xffff
      accBits += SPARE_BLOB_BITS
      if (accBits >= 8) {
        rlpData[out++] = acc & 0xff
        acc >>= 8
        accBits -= 8
      }
    }
  }
  // rlp.Decode from a reader: the first value must be a byte string; trailing bytes (zero padding) are ignored.
  try {
    const { data } = decodeRlp(rlpData, true)
    if (!(data instanceof Uint8Array)) return { ok: false, reason: 'the blob data is an RLP list, not a byte string' }
    return { ok: true, data }
  } catch (error) {
    return { ok: false, reason: `the blob data is not RLP: ${(error as Error).message}` }
  }
}

/** The inverse (nitro EncodeBlobs), used by tests and the devnet's batch poster to build real blob batches. */
export function encodeBatchBlobs(batchData: Uint8Array): Uint8Array[] {
  let data = encodeRlp(batchData)
  const blobs: Uint8Array[] = []
  while (data.length > 0) {
    const blob = new Uint8Array(BYTES_PER_BLOB)
    for (let fe = 0; fe < FIELD_ELEMENTS_PER_BLOB && data.length > 0; fe++) {
      blob.set(data.subarray(0, 31), fe * 32 + 1)
      data = data.subarray(Math.min(31, data.length))
    }
    let acc = 0
    let accBits = 0
    for (let fe = 0; fe < FIELD_ELEMENTS_PER_BLOB; fe++) {
      if (accBits < SPARE_BLOB_BITS && data.length > 0) {
        acc |= (data[0] as number) << accBits
        accBits += 8
        data = data.subarray(1)
      }
      blob[fe * 32] = acc & ((1 << SPARE_BLOB_BITS) - 1)
      accBits -= SPARE_BLOB_BITS
      if (accBits < 0) break
      acc >>= SPARE_BLOB_BITS
    }
    blobs.push(blob)
  }
  return blobs
}
