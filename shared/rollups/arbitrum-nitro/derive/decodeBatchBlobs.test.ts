import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, concatBytes, hexToBytes, type Hex } from 'viem'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadKzg } from '../../../../electron/services/kzg'
import { nodeBrotliDecompressor } from '../../../../electron/services/flows/arbitrum/nodeBrotliDecompressor'
import { BlobMismatchError, type Kzg } from '../../../l1/kzg'
import { decodeBatch } from './decodeBatch'
import { decodeBatchBlobs, encodeBatchBlobs } from './decodeBatchBlobs'
import { readVectorJson } from '../../../../fixtures/vectors'

const realBatch = hexToBytes(readVectorJson<{ data: Hex }>('arbitrum/arb1-batch-data.json').data)

let kzg: Kzg
const versionedHash = (blob: Uint8Array): Hex => {
  const h = sha256(kzg.blobToKzgCommitment(blob))
  h[0] = 1
  return bytesToHex(h)
}

beforeAll(() => {
  kzg = loadKzg()
})

describe('Arbitrum blob batches (0x50)', () => {
  it('the real Arbitrum One batch, carried in blobs, decodes to the same 622 transactions', () => {
    const blobs = encodeBatchBlobs(realBatch)
    expect(blobs).toHaveLength(1) // 98,580 bytes fit one blob (capacity 130,048)
    const hashes = blobs.map(versionedHash)
    const data = concatBytes([Uint8Array.of(0x50), ...hashes.map((h) => hexToBytes(h))])
    const decoded = decodeBatch({ data, chainId: 42161n, decompressor: nodeBrotliDecompressor, blobs: { kzg, blobs, source: 'test' } })
    expect(decoded.payloadKind).toBe('blob-hashes')
    expect(decoded.versionedHashes).toEqual(hashes)
    expect(decoded.messages).toHaveLength(278)
    expect(decoded.transactionCount).toBe(622)
  })

  it('spans several blobs and uses the 6 spare bits of each field element', () => {
    const payload = new Uint8Array(300_000).map((_, i) => (i * 7919) % 251)
    const blobs = encodeBatchBlobs(payload)
    expect(blobs).toHaveLength(3)
    const result = decodeBatchBlobs({ kzg, blobs, versionedHashes: blobs.map(versionedHash) })
    expect(result.ok && bytesToHex(result.data)).toBe(bytesToHex(payload))
  })

  it('a blob that fails its versioned hash is rejected before decoding, naming the source', () => {
    const blobs = encodeBatchBlobs(realBatch)
    const hashes = blobs.map(versionedHash)
    const tampered = blobs.map((b) => b.slice())
    tampered[0]![1000]! ^= 1
    expect(() => decodeBatchBlobs({ kzg, blobs: tampered, versionedHashes: hashes, source: 'https://beacon.example' })).toThrow(BlobMismatchError)
    expect(() => decodeBatchBlobs({ kzg, blobs: tampered, versionedHashes: hashes, source: 'https://beacon.example' })).toThrow(/beacon\.example/)
  })

  it('a blob batch without blobs says the data must be fetched', () => {
    const data = concatBytes([Uint8Array.of(0x50), new Uint8Array(32).fill(1)])
    expect(() => decodeBatch({ data, chainId: 42161n, decompressor: nodeBrotliDecompressor })).toThrow(/EIP-4844 blobs/)
  })
})
