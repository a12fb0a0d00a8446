import { bytesToHex, concatBytes, hexToBytes, keccak256, type Hex } from 'viem'
import { describe, expect, it } from 'vitest'
import { nodeBrotliDecompressor } from '../../../../electron/services/flows/arbitrum/nodeBrotliDecompressor'
import { readVectorJson } from '../../../../fixtures/vectors'
import { decodeBatch } from '../derive/decodeBatch'
import { classifyBatchData, type SequencerBatchHeader } from '../derive/sequencerMessage'
import { ArbUntrustedDataError } from '../errors'
import { checkDasPayload, dasLookupHashes, encodeDasCertificate, MIN_DAS_CERT_LIFETIME_SECONDS } from './dasCertificate'
import { decodeDasKeyset, encodeDasKeyset, enoughSigners } from './dasKeyset'
import { DAS_BIN_SIZE, dasTreeHash, flatHashToTreeHash } from './dasTreeHash'

const k = (b: Uint8Array) => keccak256(b, 'bytes')
const flip = (h: Uint8Array): Hex => bytesToHex(Uint8Array.from(h, (x, i) => (i === 0 ? x ^ 0x80 : x)))
const SIGNATURE: Hex = `0x${'ab'.repeat(96)}`

describe('dasTreeHash', () => {
  it('is, for one bin, the SequencerInbox keyset hash: keccak(0xfe ‖ keccak(bytes)) ^ (1 << 255)', () => {
    const keyset = encodeDasKeyset({ assumedHonest: 2n, publicKeys: [`0x${'11'.repeat(96)}`, `0x${'22'.repeat(96)}`] })
    const solidity = (BigInt(keccak256(concatBytes([Uint8Array.of(0xfe), k(keyset)]))) ^ (1n << 255n)).toString(16).padStart(64, '0')
    expect(dasTreeHash(keyset)).toBe(`0x${solidity}`)
    expect(flatHashToTreeHash(keccak256(keyset))).toBe(dasTreeHash(keyset))
  })

  it('pairs 64 KiB bins with their size under them and carries the odd one up', () => {
    const data = Uint8Array.from({ length: 2 * DAS_BIN_SIZE + 5 }, (_, i) => (i * 7) & 0xff)
    const leaf = (bin: Uint8Array) => k(concatBytes([Uint8Array.of(0xfe), k(bin)]))
    const l0 = leaf(data.subarray(0, DAS_BIN_SIZE))
    const l1 = leaf(data.subarray(DAS_BIN_SIZE, 2 * DAS_BIN_SIZE))
    const l2 = leaf(data.subarray(2 * DAS_BIN_SIZE))
    const node = (a: Uint8Array, b: Uint8Array, size: number) => k(concatBytes([Uint8Array.of(0xff), a, b, Uint8Array.of(size >>> 24, (size >>> 16) & 0xff, (size >>> 8) & 0xff, size & 0xff)]))
    expect(dasTreeHash(data)).toBe(flip(node(node(l0, l1, 2 * DAS_BIN_SIZE), l2, data.length)))
    expect(dasTreeHash(new Uint8Array())).toBe(flip(k(concatBytes([Uint8Array.of(0xfe), k(new Uint8Array())]))))
  })
})

describe('the committee keyset', () => {
  it('round-trips, and needs fewer non-signers than assumedHonest', () => {
    const keyset = { assumedHonest: 2n, publicKeys: [`0x${'01'.repeat(96)}`, `0x${'02'.repeat(96)}`, `0x${'03'.repeat(96)}`] as Hex[] }
    expect(decodeDasKeyset(encodeDasKeyset(keyset))).toEqual(keyset)
    expect(enoughSigners(keyset, 0b111n)).toBe(true)
    expect(enoughSigners(keyset, 0b011n)).toBe(true)
    expect(enoughSigners(keyset, 0b001n)).toBe(false)
    expect(decodeDasKeyset(encodeDasKeyset(keyset).subarray(0, 40))).toBeUndefined()
  })
})

describe('a Nova-style AnyTrust batch carrying the real Arbitrum One batch payload (vectors/arbitrum/arb1-batch-data.json)', () => {
  const payload = hexToBytes((readVectorJson('arbitrum/arb1-batch-data.json') as { data: Hex }).data)
  const expected = (readVectorJson('arbitrum/arb1-batch-data.expected.json') as { expected: { signedTxCount: number; firstTxHash: string } }).expected
  const header: SequencerBatchHeader = { minTimestamp: 0n, maxTimestamp: 1_696_253_835n, minL1Block: 0n, maxL1Block: 18_263_190n, afterDelayedMessagesRead: 0n }
  const keysetHash = dasTreeHash(encodeDasKeyset({ assumedHonest: 1n, publicKeys: [`0x${'01'.repeat(96)}`] }))
  const timeout = header.maxTimestamp + MIN_DAS_CERT_LIFETIME_SECONDS + 60n
  const certV1 = hexToBytes(encodeDasCertificate({ keysetHash, dataHash: dasTreeHash(payload), timeout, version: 1, signersMask: 1n, signature: SIGNATURE }))
  const certV0 = hexToBytes(encodeDasCertificate({ keysetHash, dataHash: keccak256(payload), timeout, version: 0, signersMask: 1n, signature: SIGNATURE }))

  it('the certificate encodes as 0x88 / 0x80 and parses back', () => {
    expect(certV1[0]).toBe(0x88)
    expect(certV1.length).toBe(178)
    expect(certV0[0]).toBe(0x80)
    const parsed = classifyBatchData(certV1)
    expect(parsed).toEqual({ kind: 'das', flag: 0x88, certificate: { keysetHash, dataHash: dasTreeHash(payload), timeout, version: 1, signersMask: 1n, signature: SIGNATURE } })
    expect(dasLookupHashes({ dataHash: dasTreeHash(payload), version: 1 })).toEqual([dasTreeHash(payload)])
    expect(dasLookupHashes({ dataHash: keccak256(payload), version: 0 })).toEqual([flatHashToTreeHash(keccak256(payload)), keccak256(payload)])
  })

  it('without the data: only delayed messages, and the plain explanation of what still works', () => {
    const d = decodeBatch({ data: certV1, header, chainId: 42161n, decompressor: nodeBrotliDecompressor })
    expect(d.dataOnL1).toBe(false)
    expect(d.warnings.join(' ')).toMatch(/force your own transaction through the delayed inbox and prove withdrawals on the Outbox/)
  })

  it.each([['version 1 (tree hash)', certV1], ['version 0 (keccak)', certV0]])('with the committee’s data, %s: the same 622 transactions as the calldata batch', (_name, cert) => {
    const d = decodeBatch({ data: cert, header, chainId: 42161n, decompressor: nodeBrotliDecompressor, dasPayload: { bytes: payload, source: 'das.example' } })
    expect(d.dataOnL1).toBe(true)
    expect(d.dasDataSource).toBe('das.example')
    expect(d.transactionCount).toBe(expected.signedTxCount)
    expect(d.messages.flatMap((m) => m.transactions)[0]?.hash).toBe(expected.firstTxHash)
  })

  it('refuses bytes that are not the certificate’s data, naming the source', () => {
    const lie = payload.slice()
    lie[lie.length - 1] = (lie[lie.length - 1] as number) ^ 1
    const run = () => decodeBatch({ data: certV1, header, chainId: 42161n, decompressor: nodeBrotliDecompressor, dasPayload: { bytes: lie, source: 'liar.example' } })
    expect(run).toThrow(ArbUntrustedDataError)
    expect(run).toThrow(/liar\.example served data that does not match the certificate's data hash; it was refused/)
    expect(() => checkDasPayload({ dataHash: keccak256(payload), version: 0 }, lie, 'liar.example')).toThrow(/liar\.example/)
  })

  it('a certificate that expires too soon is ignored by ArbOS: an empty batch, no data needed', () => {
    const short = hexToBytes(encodeDasCertificate({ keysetHash, dataHash: dasTreeHash(payload), timeout: header.maxTimestamp + 10n, version: 1, signersMask: 1n, signature: SIGNATURE }))
    const d = decodeBatch({ data: short, header, chainId: 42161n, decompressor: nodeBrotliDecompressor })
    expect(d.dataOnL1).toBe(true)
    expect(d.transactionCount).toBe(0)
    expect(d.warnings.join(' ')).toMatch(/expires .* less than 7 days after the batch's maxTimestamp/)
  })
})
