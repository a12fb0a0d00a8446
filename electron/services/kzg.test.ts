import { describe, expect, it } from 'vitest'
import { loadKzg } from './kzg'
import { BlobMismatchError, BYTES_PER_BLOB, verifyBlobAgainstVersionedHash, versionedHashFromCommitment } from '../../shared/l1/kzg'
import { matchBlobsToVersionedHashes } from '../../shared/l1/BlobSource'
import { encodeBlob } from '../../shared/rollups/op-stack/derive/encodeBlob'

describe('KZG over c-kzg', () => {
  const kzg = loadKzg()

  it('loads once per process', () => {
    expect(loadKzg()).toBe(kzg)
  })

  it('gives the well-known versioned hash of the all-zero blob', () => {
    const commitment = kzg.blobToKzgCommitment(new Uint8Array(BYTES_PER_BLOB))
    expect(versionedHashFromCommitment(commitment)).toBe('0x010657f37554c781402a22917dee2f75def7ab966d7b770905398eba3c444014')
  })

  it('verifies a blob against its versioned hash and rejects any change', () => {
    const blob = encodeBlob(new TextEncoder().encode('escape hatch'.repeat(1000)))
    const hash = versionedHashFromCommitment(kzg.blobToKzgCommitment(blob))
    expect(() => verifyBlobAgainstVersionedHash(kzg, blob, hash)).not.toThrow()
    const tampered = blob.slice()
    tampered[100] = (tampered[100] as number) ^ 1
    expect(() => verifyBlobAgainstVersionedHash(kzg, tampered, hash, { source: 'https://beacon.example', l1BlockNumber: 5 })).toThrow(BlobMismatchError)
    try {
      verifyBlobAgainstVersionedHash(kzg, tampered, hash, { source: 'https://beacon.example', l1BlockNumber: 5 })
    } catch (e) {
      expect((e as BlobMismatchError).shortMessage).toContain('https://beacon.example')
      expect((e as BlobMismatchError).details).toContain('L1 block 5')
    }
    // not a canonical field element: c-kzg refuses, we classify it
    const nonCanonical = blob.slice()
    nonCanonical[0] = 0xff
    expect(() => verifyBlobAgainstVersionedHash(kzg, nonCanonical, hash)).toThrow(/not a valid set of field elements/)
    expect(() => verifyBlobAgainstVersionedHash(kzg, blob.subarray(1), hash)).toThrow(BlobMismatchError)
    expect(() => verifyBlobAgainstVersionedHash(kzg, blob, `0x02${hash.slice(4)}`)).toThrow(/version-1/)
  })

  it('matches candidate blobs to requested hashes regardless of order', () => {
    const a = encodeBlob(new Uint8Array([1]))
    const b = encodeBlob(new Uint8Array([2]))
    const ha = versionedHashFromCommitment(kzg.blobToKzgCommitment(a))
    const hb = versionedHashFromCommitment(kzg.blobToKzgCommitment(b))
    const hz = versionedHashFromCommitment(kzg.blobToKzgCommitment(new Uint8Array(BYTES_PER_BLOB)))
    const got = matchBlobsToVersionedHashes(kzg, [b, new Uint8Array(5), a], [ha, hb, hz])
    expect(got[0]).toBe(a)
    expect(got[1]).toBe(b)
    expect(got[2]).toBeUndefined()
  })
})
