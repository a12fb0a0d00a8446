/**
 * Check a signed transaction before anything is journaled or sent: the raw bytes decode, the hash is theirs, the
 * signature recovers to the claimed sender, and it is replay-protected (has a chain id).
 */
import { getAddress, isAddressEqual, keccak256, parseTransaction, recoverTransactionAddress, type Address, type Hex, type TransactionSerialized } from 'viem'
import { SignedTxMismatchError } from '../../../shared/signing/broadcastErrors'
import type { SignedTx } from '../../../shared/signing/Signer'

export interface InspectedTx {
  chainId: number
  nonce: number
  from: Address
  hash: Hex
  type: 'legacy' | 'eip2930' | 'eip1559' | 'eip4844' | 'eip7702'
  /** maxFeePerGas, or gasPrice for legacy/2930. */
  feeCap: bigint
  /** maxPriorityFeePerGas, or gasPrice for legacy/2930. */
  tip: bigint
  /** What the transaction does: a fee bump must keep these exactly. */
  to: Address | null
  value: bigint
  data: Hex
}

export async function inspectSignedTx(signed: Pick<SignedTx, 'raw' | 'hash' | 'from'>): Promise<InspectedTx> {
  let tx: ReturnType<typeof parseTransaction>
  try {
    tx = parseTransaction(signed.raw as TransactionSerialized)
  } catch (cause) {
    throw new SignedTxMismatchError('the raw bytes are not a transaction', { cause })
  }
  const hash = keccak256(signed.raw)
  if (hash !== signed.hash.toLowerCase()) throw new SignedTxMismatchError('its hash does not match its bytes', { details: `claimed ${signed.hash}, computed ${hash}` })
  if (tx.chainId === undefined || tx.chainId <= 0) throw new SignedTxMismatchError('it has no chain id (it could be replayed on any chain)')
  if (tx.nonce === undefined) throw new SignedTxMismatchError('it has no nonce')
  let from: Address
  try {
    from = getAddress(await recoverTransactionAddress({ serializedTransaction: signed.raw as TransactionSerialized }))
  } catch (cause) {
    throw new SignedTxMismatchError('its signature is invalid', { cause })
  }
  if (!isAddressEqual(from, signed.from)) throw new SignedTxMismatchError('it was signed by another account', { details: `claimed ${signed.from}, recovered ${from}` })
  const type = tx.type as InspectedTx['type']
  const feeCap = 'maxFeePerGas' in tx && tx.maxFeePerGas !== undefined ? tx.maxFeePerGas : (tx.gasPrice ?? 0n)
  const tip = 'maxPriorityFeePerGas' in tx && tx.maxPriorityFeePerGas !== undefined ? tx.maxPriorityFeePerGas : (tx.gasPrice ?? 0n)
  return { chainId: tx.chainId, nonce: tx.nonce, from, hash, type, feeCap, tip, to: tx.to ? getAddress(tx.to) : null, value: tx.value ?? 0n, data: (tx.data ?? '0x').toLowerCase() as Hex }
}
