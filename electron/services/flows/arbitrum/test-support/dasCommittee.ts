/**
 * A Data Availability Committee made for tests (nitro blsSignatures GenerateKeys: secret scalar, key = sk·G2,
 * proof of possession = sk·H'(key bytes)), its keyset as the SequencerInbox would commit it, and its aggregated
 * signature on a certificate's signable fields (AggregateSignatures: the sum of the signers' G1 points).
 */
import { bls12_381 } from '@noble/curves/bls12-381.js'
import { bytesToHex, concatBytes, type Hex } from 'viem'
import { encodeDasKeyset, type DasKeyset } from '../../../../../shared/rollups/arbitrum-nitro/anytrust/dasKeyset'
import { dasTreeHash } from '../../../../../shared/rollups/arbitrum-nitro/anytrust/dasTreeHash'
import { dasSignableFields, hashToG1 } from '../../../../../shared/rollups/arbitrum-nitro/anytrust/verifyDasSignature'
import type { DasCertificate } from '../../../../../shared/rollups/arbitrum-nitro/derive/sequencerMessage'

export interface TestCommittee {
  keyset: DasKeyset
  keysetBytes: Uint8Array
  keysetHash: Hex
  /** The aggregated signature of the members at `signers` (indexes) on the fields. */
  sign(fields: Pick<DasCertificate, 'dataHash' | 'timeout' | 'version'>, signers: number[]): Hex
}

export function makeTestCommittee(secrets: readonly bigint[], assumedHonest: bigint): TestCommittee {
  const keyBytes = (sk: bigint) => bls12_381.G2.Point.BASE.multiply(sk).toBytes(false)
  const entry = (sk: bigint): Hex => {
    const proof = hashToG1(keyBytes(sk), true).multiply(sk).toBytes(false)
    return bytesToHex(concatBytes([Uint8Array.of(proof.length), proof, keyBytes(sk)]))
  }
  const keyset: DasKeyset = { assumedHonest, publicKeys: secrets.map(entry) }
  const keysetBytes = encodeDasKeyset(keyset)
  return {
    keyset, keysetBytes, keysetHash: dasTreeHash(keysetBytes),
    sign: (fields, signers) => bytesToHex(signers.map((i) => hashToG1(dasSignableFields(fields)).multiply(secrets[i]!)).reduce((a, b) => a.add(b)).toBytes(false)),
  }
}
