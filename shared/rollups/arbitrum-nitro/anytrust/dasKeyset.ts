/**
 * The committee's keyset (nitro daprovider/anytrust/util DataAvailabilityKeyset): uint64be assumedHonest ‖ uint64be
 * count ‖ count × (uint16be length ‖ BLS public key), at most 64 keys. Its hash (dasTreeHash) is what the
 * SequencerInbox records as valid (SetValidKeyset) and what a certificate names.
 */
import { bytesToHex, hexToBytes, type Hex } from 'viem'
import { readUint64BE } from '../derive/sequencerMessage'
import { ArbUntrustedDataError } from '../errors'
import { dasTreeHash } from './dasTreeHash'

export interface DasKeyset {
  /** How many members are assumed honest: a certificate needs fewer than this many non-signers. */
  assumedHonest: bigint
  publicKeys: Hex[]
}

export function decodeDasKeyset(bytes: Uint8Array): DasKeyset | undefined {
  if (bytes.length < 16) return undefined
  const assumedHonest = readUint64BE(bytes, 0)
  const count = readUint64BE(bytes, 8)
  if (count > 64n) return undefined
  const publicKeys: Hex[] = []
  let offset = 16
  for (let i = 0n; i < count; i++) {
    if (offset + 2 > bytes.length) return undefined
    const length = ((bytes[offset] as number) << 8) | (bytes[offset + 1] as number)
    offset += 2
    if (offset + length > bytes.length) return undefined
    publicKeys.push(bytesToHex(bytes.subarray(offset, offset + length)))
    offset += length
  }
  return { assumedHonest, publicKeys }
}

export function encodeDasKeyset(keyset: DasKeyset): Uint8Array {
  const parts: number[] = []
  const u64 = (v: bigint) => { for (let i = 7; i >= 0; i--) parts.push(Number((v >> BigInt(8 * i)) & 0xffn)) }
  u64(keyset.assumedHonest)
  u64(BigInt(keyset.publicKeys.length))
  for (const key of keyset.publicKeys) {
    const raw = hexToBytes(key)
    parts.push(raw.length >> 8, raw.length & 0xff, ...raw)
  }
  return Uint8Array.from(parts)
}

/** Whether the signers in `signersMask` are enough (nitro VerifySignature: non-signers must be fewer than assumedHonest). */
export function enoughSigners(keyset: DasKeyset, signersMask: bigint): boolean {
  let nonSigners = 0n
  keyset.publicKeys.forEach((_, i) => {
    if ((signersMask & (1n << BigInt(i))) === 0n) nonSigners++
  })
  return nonSigners < keyset.assumedHonest
}

/**
 * Keyset bytes given for a certificate (e.g. a file the user saved): they must hash (dasTreeHash, as the
 * SequencerInbox computes it) to the keyset the certificate names, and decode. Throws, naming `from`, otherwise.
 */
export function keysetForCertificate(bytes: Uint8Array, keysetHash: Hex, from: string): DasKeyset {
  const hash = dasTreeHash(bytes)
  if (hash.toLowerCase() !== keysetHash.toLowerCase()) {
    throw new ArbUntrustedDataError(`The keyset in ${from} is not the one the certificate names; it was not used.`, {
      details: `certificate keyset ${keysetHash}, ${from} hashes to ${hash}`,
      steps: ['Give the keyset the certificate names (its SetValidKeyset log on L1), or check it on L1 with --network and --l1-rpc.'],
    })
  }
  const keyset = decodeDasKeyset(bytes)
  if (!keyset) throw new ArbUntrustedDataError(`The keyset in ${from} hashes to ${keysetHash} but does not decode as a committee keyset.`)
  return keyset
}
