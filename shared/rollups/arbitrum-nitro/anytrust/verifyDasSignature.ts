/**
 * The committee's BLS signature on an AnyTrust certificate (issue 16 item 3), checked as Nitro checks it
 * (daprovider/anytrust/util DataAvailabilityKeyset.VerifySignature, blsSignatures):
 * - public keys are G2 points, signatures G1 points, both in the uncompressed (ZCash-ordered) encoding gnark calls
 *   RawBytes: 192 and 96 bytes;
 * - a keyset entry is `proofLength(1) ‖ [proof-of-possession, a G1 signature of the key's own bytes] ‖ key(192)`;
 * - the message is hashed to G1 as MapToG1(16 zero bytes ‖ keccak256(message)) — one field element through the RFC
 *   9380 SSWU map, isogeny and cofactor clearing (the EIP-2537 MAP_FP_TO_G1); a proof-of-possession uses the padding
 *   with its first byte 1, so it can never pass as a signature of anything else;
 * - the signed message is the certificate's signable fields: dataHash ‖ uint64be timeout ‖ [version byte if ≠ 0];
 * - the signers are the keyset members whose bit is set in signersMask (bit i = key i); there must be fewer
 *   non-signers than assumedHonest, and e(H(m), Σ signer keys) = e(signature, G2 generator).
 * ArbOS ignores a batch whose certificate fails this (the batch is empty), so a certificate that fails is refused here,
 * naming where it came from.
 */
import { bls12_381 } from '@noble/curves/bls12-381.js'
import { bytesToHex, concatBytes, hexToBigInt, hexToBytes, keccak256, type Hex } from 'viem'
import type { DasCertificate } from '../derive/sequencerMessage'
import { ArbUntrustedDataError } from '../errors'
import type { DasKeyset } from './dasKeyset'

type G1Point = ReturnType<typeof bls12_381.G1.Point.fromBytes>
type G2Point = ReturnType<typeof bls12_381.G2.Point.fromBytes>

export const BLS_G1_BYTES = 96
export const BLS_G2_BYTES = 192

/** What the committee signs: dataHash ‖ uint64be timeout ‖ [version if ≠ 0] (SerializeSignableFields). */
export function dasSignableFields(cert: Pick<DasCertificate, 'dataHash' | 'timeout' | 'version'>): Uint8Array {
  const timeout = new Uint8Array(8)
  new DataView(timeout.buffer).setBigUint64(0, cert.timeout)
  return concatBytes([hexToBytes(cert.dataHash), timeout, ...(cert.version !== 0 ? [Uint8Array.of(cert.version)] : [])])
}

/** blsSignatures hashToG1Curve. */
export function hashToG1(message: Uint8Array, keyValidation = false): G1Point {
  const padded = concatBytes([Uint8Array.of(keyValidation ? 1 : 0), new Uint8Array(15), keccak256(message, 'bytes')])
  return mapFpToG1(hexToBigInt(bytesToHex(padded)))
}

/**
 * noble's G1 mapToCurve: SSWU + isogeny + cofactor clearing of ONE field element (G1 has m = 1), returning the point.
 * Its .d.ts (2.4.0) declares the generic `(bigint[]) => AffinePoint`, but for m = 1 the code takes a bigint and
 * returns a projective point (checked against the EIP-2537 MAP_FP_TO_G1 precompile in verifyDasSignature.eip2537.test).
 */
const mapFpToG1 = bls12_381.G1.mapToCurve as unknown as (u: bigint) => G1Point

export interface DasPublicKey {
  key: G2Point
  /** The key's proof of possession, when the keyset carries one. */
  validityProof: G1Point | undefined
  /** The key's own 192 bytes (what the proof signs). */
  keyBytes: Uint8Array
}

/** blsSignatures PublicKeyFromBytes; throws on bytes that are not a key (not on the curve, not in G2). */
export function decodeDasPublicKey(bytes: Uint8Array): DasPublicKey {
  if (bytes.length === 0) throw new Error('empty public key')
  const proofLength = bytes[0] as number
  if (bytes.length !== 1 + proofLength + BLS_G2_BYTES) throw new Error(`a public key entry of ${bytes.length} bytes (proof ${proofLength} + key ${BLS_G2_BYTES} expected)`)
  const keyBytes = bytes.subarray(1 + proofLength)
  const key = bls12_381.G2.Point.fromBytes(keyBytes)
  const validityProof = proofLength === 0 ? undefined : bls12_381.G1.Point.fromBytes(bytes.subarray(1, 1 + proofLength))
  return { key, validityProof, keyBytes }
}

/** e(H(m), key) = e(signature, G2 generator). */
function pairingHolds(message: Uint8Array, signature: G1Point, key: G2Point, keyValidation: boolean): boolean {
  if (signature.equals(bls12_381.G1.Point.ZERO) || key.equals(bls12_381.G2.Point.ZERO)) return false
  const { Fp12 } = bls12_381.fields
  return Fp12.eql(bls12_381.pairing(hashToG1(message, keyValidation), key), bls12_381.pairing(signature, bls12_381.G2.Point.BASE))
}

export interface VerifyDasSignatureParameters {
  certificate: Pick<DasCertificate, 'dataHash' | 'timeout' | 'version' | 'signersMask' | 'keysetHash'> & { signature: Hex }
  /** The keyset the certificate names, as committed on L1 (readCommittedKeyset). */
  keyset: DasKeyset
  /** Where the certificate came from, named in a refusal (e.g. "batch 1234 (L1 transaction 0x…)"). */
  source: string
}

export interface VerifyDasSignatureReturnType {
  signers: number
  nonSigners: number
}

export function verifyDasSignature(p: VerifyDasSignatureParameters): VerifyDasSignatureReturnType {
  const { certificate: cert, keyset, source } = p
  const refuse = (why: string, details?: string, cause?: unknown) =>
    new ArbUntrustedDataError(`The AnyTrust certificate of ${source} ${why}; it was refused.`, {
      details: `keyset ${cert.keysetHash}, signers mask 0x${cert.signersMask.toString(16)}, dataHash ${cert.dataHash}${details ? `; ${details}` : ''}`,
      steps: ['ArbOS treats a batch whose certificate does not verify as empty: its data is not part of the chain.', 'Check that the batch and the network match.'],
      cause,
    })
  const signerKeys: G2Point[] = []
  let nonSigners = 0
  for (const [i, entry] of keyset.publicKeys.entries()) {
    if ((cert.signersMask & (1n << BigInt(i))) === 0n) {
      nonSigners++
      continue
    }
    let key: DasPublicKey
    try {
      key = decodeDasPublicKey(hexToBytes(entry))
    } catch (error) {
      throw refuse(`names a committee key (#${i}) that is not a valid BLS public key`, (error as Error).message, error)
    }
    // A rogue key (one made to cancel the others) cannot have a proof of possession; Nitro checks it too.
    if (key.validityProof && !pairingHolds(key.keyBytes, key.validityProof, key.key, true)) {
      throw refuse(`names a committee key (#${i}) whose proof of possession does not verify`)
    }
    signerKeys.push(key.key)
  }
  if (BigInt(nonSigners) >= keyset.assumedHonest) {
    throw refuse(
      `has too few signers: ${signerKeys.length} of ${keyset.publicKeys.length} signed, and the committee needs fewer than ${keyset.assumedHonest} non-signers`,
    )
  }
  let signature: G1Point
  try {
    const raw = hexToBytes(cert.signature)
    if (raw.length !== BLS_G1_BYTES) throw new Error(`${raw.length} bytes`)
    signature = bls12_381.G1.Point.fromBytes(raw)
  } catch (error) {
    throw refuse('carries a signature that is not a BLS G1 point', (error as Error).message, error)
  }
  const aggregated = signerKeys.reduce((sum, k) => sum.add(k), bls12_381.G2.Point.ZERO)
  if (!pairingHolds(dasSignableFields(cert), signature, aggregated, false)) {
    throw refuse(`has a BLS signature that does not verify against the ${signerKeys.length} committee key(s) it names`)
  }
  return { signers: signerKeys.length, nonSigners }
}
