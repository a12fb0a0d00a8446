/**
 * What an AnyTrust certificate commits to, and how its data is looked up and checked (nitro
 * daprovider/anytrust/util/util.go recoverPayloadFromBatchInternal, restful_client.go):
 * - version 0 (flag 0x80): dataHash = keccak256(data); DAS servers index it by the single-leaf tree hash, older ones
 *   by the flat hash itself;
 * - version 1 (flag 0x88 with version byte 1): dataHash = dasTreeHash(data).
 * The certificate itself is in the batch on L1, so its dataHash is an L1 commitment: bytes from any DAS endpoint are
 * used only if they hash to it.
 */
import { bytesToHex, concatBytes, hexToBytes, keccak256, type Hex } from 'viem'
import { BatchFlag, type DasCertificate, type SequencerBatchHeader } from '../derive/sequencerMessage'
import { ArbUntrustedDataError } from '../errors'
import { dasTreeHash, flatHashToTreeHash } from './dasTreeHash'

/** nitro MinLifetimeSecondsForDataAvailabilityCert: a certificate must promise the data for a week past the batch. */
export const MIN_DAS_CERT_LIFETIME_SECONDS = 7n * 24n * 60n * 60n

/** The hashes to ask DAS endpoints for, in nitro's order. */
export function dasLookupHashes(cert: Pick<DasCertificate, 'dataHash' | 'version'>): Hex[] {
  return cert.version === 0 ? [flatHashToTreeHash(cert.dataHash), cert.dataHash] : [cert.dataHash]
}

/** The hash the payload must have under the certificate's version. */
export function dasPayloadHash(version: number, payload: Uint8Array): Hex {
  return version === 0 ? keccak256(payload) : dasTreeHash(payload)
}

/** Refuse bytes that are not the certificate's data, naming where they came from (host only). */
export function checkDasPayload(cert: Pick<DasCertificate, 'dataHash' | 'version'>, payload: Uint8Array, source: string): void {
  if (cert.version > 1) {
    throw new ArbUntrustedDataError(`The certificate has version ${cert.version}, which this version of Escape Hatch cannot check.`, { kind: 'critical' })
  }
  const hash = dasPayloadHash(cert.version, payload)
  if (hash.toLowerCase() !== cert.dataHash.toLowerCase()) {
    throw new ArbUntrustedDataError(`${source} served data that does not match the certificate's data hash; it was refused.`, {
      details: `certificate dataHash ${cert.dataHash} (version ${cert.version}), served ${payload.length} bytes hashing to ${hash}`,
      steps: [`Do not trust ${source} for this chain's data; the other DAS endpoints are tried.`],
    })
  }
}

/** Why ArbOS would ignore this certificate (and treat the batch as empty) before looking at the data, if it would. */
export function dasCertificateProblem(cert: DasCertificate, header: SequencerBatchHeader | undefined): string | undefined {
  if (cert.version > 1) return `certificate version ${cert.version} is unknown (Nitro: "node software is probably out of date")`
  // uint64 arithmetic, as in Nitro (the sum wraps).
  if (header && cert.timeout < (header.maxTimestamp + MIN_DAS_CERT_LIFETIME_SECONDS) % (1n << 64n)) {
    return `the certificate expires (${cert.timeout}) less than 7 days after the batch's maxTimestamp (${header.maxTimestamp}); Nitro treats the batch as empty`
  }
  return undefined
}

/** `flag ‖ keysetHash ‖ dataHash ‖ timeout ‖ [version] ‖ signersMask ‖ signature(96)`: the batch data of an AnyTrust batch. */
export function encodeDasCertificate(cert: DasCertificate): Hex {
  const u64 = (v: bigint) => hexToBytes(`0x${v.toString(16).padStart(16, '0')}`)
  const tree = cert.version !== 0
  const signature = hexToBytes(cert.signature)
  if (signature.length !== 96) throw new Error('a BLS signature is 96 bytes')
  return bytesToHex(concatBytes([
    Uint8Array.of(tree ? BatchFlag.dasCertificate | BatchFlag.treeDas : BatchFlag.dasCertificate),
    hexToBytes(cert.keysetHash), hexToBytes(cert.dataHash), u64(cert.timeout), ...(tree ? [Uint8Array.of(cert.version)] : []), u64(cert.signersMask), signature,
  ]))
}

