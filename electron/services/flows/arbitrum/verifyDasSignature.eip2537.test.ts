// An independent check of the AnyTrust BLS verification (shared/rollups/arbitrum-nitro/anytrust/verifyDasSignature):
// the L1's own BLS12-381 precompiles (EIP-2537, Prague; run by anvil's revm, not by @noble/curves). MAP_FP_TO_G1 is
// the map gnark's MapToG1 implements (SSWU, isogeny, cofactor clearing), which nitro's hashToG1Curve applies to
// 16 zero bytes ‖ keccak256(message); PAIRING_CHECK confirms a certificate we accept really satisfies
// e(H(m), Σ keys) = e(signature, G2) — and fails for one we refuse.
import { bls12_381 } from '@noble/curves/bls12-381.js'
import { bytesToHex, concatBytes, hexToBigInt, keccak256, numberToBytes, type Hex, type PublicClient } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAnvil, type AnvilHandle } from '../../../devnet/anvil'
import { devnetPublicClient } from '../../../devnet/devnetClients'
import { dasSignableFields, hashToG1, verifyDasSignature } from '../../../../shared/rollups/arbitrum-nitro/anytrust/verifyDasSignature'

const MAP_FP_TO_G1 = '0x0000000000000000000000000000000000000010'
const PAIRING_CHECK = '0x000000000000000000000000000000000000000f'

type G1 = ReturnType<typeof hashToG1>
type G2 = ReturnType<typeof bls12_381.G2.Point.fromBytes>
const fp = (v: bigint) => numberToBytes(v, { size: 64 })
const g1Bytes = (p: G1) => concatBytes([fp(p.toAffine().x), fp(p.toAffine().y)])
const g2Bytes = (p: G2) => {
  const { x, y } = p.toAffine()
  return concatBytes([fp(x.c0), fp(x.c1), fp(y.c0), fp(y.c1)])
}

let anvil: AnvilHandle
let l1: PublicClient
beforeAll(async () => {
  anvil = await startAnvil()
  l1 = devnetPublicClient(anvil.rpcUrl)
}, 60_000)
afterAll(async () => anvil?.stop())

describe('AnyTrust BLS against the EIP-2537 precompiles', () => {
  it('hashToG1 is MAP_FP_TO_G1(16 zero bytes ‖ keccak256(message)), and the key-validation domain is the 0x01 padding', async () => {
    for (const [message, keyValidation] of [[new TextEncoder().encode('hello'), false], [Uint8Array.of(1, 2, 3), true]] as const) {
      const element = concatBytes([new Uint8Array(16), Uint8Array.of(keyValidation ? 1 : 0), new Uint8Array(15), keccak256(message, 'bytes')])
      const { data } = await l1.call({ to: MAP_FP_TO_G1, data: bytesToHex(element) })
      expect(data).toBe(bytesToHex(g1Bytes(hashToG1(message, keyValidation))))
    }
  })

  it('PAIRING_CHECK agrees with verifyDasSignature on an accepted and a refused certificate', async () => {
    const secrets = [11n ** 30n, 13n ** 30n]
    const keys = secrets.map((sk) => bls12_381.G2.Point.BASE.multiply(sk))
    const keyset = { assumedHonest: 1n, publicKeys: keys.map((k) => bytesToHex(concatBytes([Uint8Array.of(0), k.toBytes(false)]))) }
    const fields = { keysetHash: keccak256('0x01'), dataHash: keccak256('0x02'), timeout: 1_900_000_000n, version: 1, signersMask: 0b11n }
    const h = hashToG1(dasSignableFields(fields))
    const pairs = async (signature: G1): Promise<boolean> => {
      const input = concatBytes([g1Bytes(h), g2Bytes(keys[0]!.add(keys[1]!)), g1Bytes(signature.negate()), g2Bytes(bls12_381.G2.Point.BASE)])
      return hexToBigInt((await l1.call({ to: PAIRING_CHECK, data: bytesToHex(input) })).data as Hex) === 1n
    }
    const good = h.multiply(secrets[0]!).add(h.multiply(secrets[1]!))
    const bad = h.multiply(secrets[0]!)
    expect(await pairs(good)).toBe(true)
    expect(verifyDasSignature({ certificate: { ...fields, signature: bytesToHex(good.toBytes(false)) }, keyset, source: 'test' }).signers).toBe(2)
    expect(await pairs(bad)).toBe(false)
    expect(() => verifyDasSignature({ certificate: { ...fields, signature: bytesToHex(bad.toBytes(false)) }, keyset, source: 'test' })).toThrow(/does not verify/)
  })
})
