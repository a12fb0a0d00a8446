import { bls12_381 } from '@noble/curves/bls12-381.js'
import { bytesToHex, concatBytes, hexToBytes, keccak256, type Hex } from 'viem'
import { describe, expect, it } from 'vitest'
import { classifyBatchData } from '../derive/sequencerMessage'
import { ArbUntrustedDataError } from '../errors'
import { encodeDasCertificate } from './dasCertificate'
import { encodeDasKeyset, type DasKeyset } from './dasKeyset'
import { dasTreeHash } from './dasTreeHash'
import { dasSignableFields, hashToG1, verifyDasSignature } from './verifyDasSignature'

// A committee of three made here (blsSignatures GenerateKeys: secret scalar, key = sk·G2, proof = sk·H'(key bytes)).
const secrets = [0x1234_5678_9abcn, 0xdead_beef_cafen, 0x0bad_f00d_0001n]
const keyBytes = (sk: bigint) => bls12_381.G2.Point.BASE.multiply(sk).toBytes(false)
const withProof = (sk: bigint): Hex => {
  const proof = hashToG1(keyBytes(sk), true).multiply(sk).toBytes(false)
  return bytesToHex(concatBytes([Uint8Array.of(proof.length), proof, keyBytes(sk)]))
}
const trusted = (sk: bigint): Hex => bytesToHex(concatBytes([Uint8Array.of(0), keyBytes(sk)]))
const keyset: DasKeyset = { assumedHonest: 2n, publicKeys: secrets.map(withProof) }
const keysetHash = dasTreeHash(encodeDasKeyset(keyset))
const unsigned = { keysetHash, dataHash: dasTreeHash(new TextEncoder().encode('a Nova batch')), timeout: 1_800_000_000n, version: 1 }
/** The aggregate of the signers' signatures (AggregateSignatures: the sum of the G1 points). */
const sign = (signers: number[], fields = unsigned): Hex =>
  bytesToHex(signers.map((i) => hashToG1(dasSignableFields(fields)).multiply(secrets[i]!)).reduce((a, b) => a.add(b)).toBytes(false))

describe('verifyDasSignature (nitro blsSignatures + DataAvailabilityKeyset.VerifySignature)', () => {
  it('signs dataHash ‖ uint64be timeout ‖ version (the version byte only when it is not 0)', () => {
    expect(bytesToHex(dasSignableFields(unsigned))).toBe(`${unsigned.dataHash}000000006b49d20001`)
    expect(dasSignableFields({ ...unsigned, version: 0 }).length).toBe(40)
    // The message is hashed with keccak256, then mapped: a different message is a different point.
    expect(hashToG1(hexToBytes(keccak256('0x01'))).equals(hashToG1(hexToBytes(keccak256('0x02'))))).toBe(false)
    // The proof-of-possession domain differs from the signature domain.
    expect(hashToG1(Uint8Array.of(1), true).equals(hashToG1(Uint8Array.of(1)))).toBe(false)
  })

  it('accepts a certificate signed by two of three members (fewer non-signers than assumedHonest), parsed from its batch bytes', () => {
    const bytes = hexToBytes(encodeDasCertificate({ ...unsigned, signersMask: 0b101n, signature: sign([0, 2]) }))
    const parsed = classifyBatchData(bytes)
    if (parsed.kind !== 'das' || !parsed.certificate) throw new Error('not a DAS certificate')
    expect(verifyDasSignature({ certificate: parsed.certificate, keyset, source: 'batch 7' })).toEqual({ signers: 2, nonSigners: 1 })
    // Keys without a proof of possession (a trusted keyset) verify the same way.
    const plain = { ...keyset, publicKeys: secrets.map(trusted) }
    expect(verifyDasSignature({ certificate: parsed.certificate, keyset: plain, source: 'batch 7' }).signers).toBe(2)
  })

  it('refuses a signature by other members than the mask names, over other fields, or not a point — naming the source', () => {
    const cases: [string, Hex, bigint, RegExp][] = [
      ['mask says 0 and 2, 0 and 1 signed', sign([0, 1]), 0b101n, /BLS signature that does not verify against the 2 committee key/],
      ['signed another timeout', sign([0, 1, 2], { ...unsigned, timeout: unsigned.timeout + 1n }), 0b111n, /does not verify/],
      ['not a G1 point', `0x${'11'.repeat(96)}`, 0b111n, /not a BLS G1 point/],
    ]
    for (const [what, signature, signersMask, message] of cases) {
      const run = () => verifyDasSignature({ certificate: { ...unsigned, signersMask, signature }, keyset, source: 'batch 7 (L1 transaction 0xabc)' })
      expect(run, what).toThrow(ArbUntrustedDataError)
      expect(run, what).toThrow(/^The AnyTrust certificate of batch 7 \(L1 transaction 0xabc\) /)
      expect(run, what).toThrow(message)
    }
  })

  it('refuses too few signers before looking at the signature (assumedHonest 2: two non-signers are too many)', () => {
    const run = () => verifyDasSignature({ certificate: { ...unsigned, signersMask: 0b001n, signature: sign([0]) }, keyset, source: 'batch 8' })
    expect(run).toThrow(/has too few signers: 1 of 3 signed, and the committee needs fewer than 2 non-signers; it was refused/)
  })

  it('refuses a keyset key whose proof of possession is not its own', () => {
    const forged = concatBytes([Uint8Array.of(96), hashToG1(keyBytes(secrets[0]!), true).multiply(secrets[1]!).toBytes(false), keyBytes(secrets[0]!)])
    const bad = { ...keyset, publicKeys: [bytesToHex(forged), ...keyset.publicKeys.slice(1)] }
    expect(() => verifyDasSignature({ certificate: { ...unsigned, signersMask: 0b111n, signature: sign([0, 1, 2]) }, keyset: bad, source: 'batch 9' })).toThrow(
      /committee key \(#0\) whose proof of possession does not verify/,
    )
  })
})
