/**
 * Combine an unsigned request and a signature into the raw signed transaction, and check who signed it. Every signer
 * ends here, so no signer can hand back a signature for a different account or a different transaction unnoticed.
 */
import { getAddress, isAddressEqual, keccak256, recoverTransactionAddress, serializeTransaction, type Address, type Hex } from 'viem'
import type { SignedTx, TxSignature } from './Signer'
import { SignerAddressMismatchError } from './errors'
import { toSerializable, type UnsignedTxRequest } from './unsignedTxRequest'

export interface AssembleSignedTxParameters {
  request: UnsignedTxRequest
  r: Hex
  s: Hex
  yParity: 0 | 1
  /** Throw SignerAddressMismatchError when the signature recovers to another address. */
  expectedFrom?: Address
}

export async function assembleSignedTx({ request, r, s, yParity, expectedFrom }: AssembleSignedTxParameters): Promise<SignedTx> {
  // EIP-155: legacy v = chainId * 2 + 35 + yParity. Typed txs carry yParity itself.
  const v = request.type === 'legacy' ? BigInt(request.chainId) * 2n + 35n + BigInt(yParity) : BigInt(yParity)
  const signature: TxSignature = { r: padHex32(r), s: padHex32(s), yParity, v }
  const raw = serializeTransaction(toSerializable(request), { r: signature.r, s: signature.s, yParity, v })
  const from = getAddress(await recoverTransactionAddress({ serializedTransaction: raw as Parameters<typeof recoverTransactionAddress>[0]['serializedTransaction'] }))
  if (expectedFrom !== undefined && !isAddressEqual(from, expectedFrom)) throw new SignerAddressMismatchError(getAddress(expectedFrom), from)
  return { raw, hash: keccak256(raw), from, signature }
}

function padHex32(h: Hex): Hex {
  const body = h.slice(2).toLowerCase()
  if (!/^[0-9a-f]{1,64}$/.test(body)) throw new RangeError(`Bad signature component: ${h}`)
  return `0x${body.padStart(64, '0')}`
}
