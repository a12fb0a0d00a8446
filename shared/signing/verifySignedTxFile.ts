/**
 * Import: a signed file is accepted only if it signs exactly the request this app prepared — type, chain, nonce,
 * gas, fees, to, value, data, access list — and its signature recovers to the expected sender. Only then does it
 * become a SignedTx the broadcaster may send. The comparison is against the app's own copy of the request (from
 * the journal or the exported file), never against what the signed file claims.
 */
import { getAddress, isAddressEqual, keccak256, parseTransaction, recoverTransactionAddress, type Address, type TransactionSerialized } from 'viem'
import type { SignedTx } from './Signer'
import { parseSignedTxFile } from './buildSignedTxFile'
import { TxFileInvalidError, TxFileMismatchError } from './txFileErrors'
import { canonicalJson } from './txFile'
import { unsignedTxRequestToJson, type UnsignedTxRequest } from './unsignedTxRequest'

export interface VerifySignedTxFileParameters {
  /** The signed file's text, as read (bounded) from disk. */
  text: string
  /** The request this app prepared for this step. */
  request: UnsignedTxRequest
  /** Who must have signed it. */
  from: Address
  /** The checksum of the unsigned file that was exported, when known: the signed file must name it. */
  unsignedChecksum?: string
}

export async function verifySignedTxFile({ text, request, from, unsignedChecksum }: VerifySignedTxFileParameters): Promise<SignedTx> {
  const file = parseSignedTxFile(text)
  if (unsignedChecksum !== undefined && file.unsignedChecksum !== unsignedChecksum.toLowerCase()) {
    throw new TxFileMismatchError('unsigned file checksum', unsignedChecksum.toLowerCase(), file.unsignedChecksum, { details: 'It was signed from a different unsigned file than the one exported for this step.' })
  }
  let tx: ReturnType<typeof parseTransaction>
  try {
    tx = parseTransaction(file.raw as TransactionSerialized)
  } catch (cause) {
    throw new TxFileInvalidError('its raw transaction cannot be decoded', { cause })
  }
  const expectType = request.type
  const same = (field: string, expected: unknown, actual: unknown) => {
    const e = show(expected)
    const a = show(actual)
    if (e !== a) throw new TxFileMismatchError(field, e, a)
  }
  same('type', expectType, tx.type)
  same('chain id', request.chainId, tx.chainId)
  same('nonce', request.nonce, tx.nonce)
  same('recipient (to)', request.to?.toLowerCase() ?? null, tx.to?.toLowerCase() ?? null)
  same('value', request.value, tx.value ?? 0n)
  same('data', request.data.toLowerCase(), (tx.data ?? '0x').toLowerCase())
  // viem's parseTransaction leaves a zero fee field out (RLP 0x80), so absent means 0 — e.g. Arbitrum L2
  // transactions, whose priority fee is 0 on purpose.
  same('gas limit', request.gas, tx.gas ?? 0n)
  if (request.type === 'legacy') {
    same('gas price', request.gasPrice, tx.gasPrice ?? 0n)
  } else {
    same('max fee per gas', request.maxFeePerGas, tx.maxFeePerGas ?? 0n)
    same('max priority fee per gas', request.maxPriorityFeePerGas, tx.maxPriorityFeePerGas ?? 0n)
    same('access list', normalizeAccessList(request.accessList), normalizeAccessList('accessList' in tx ? tx.accessList : undefined))
  }

  // The file's readable copy of the request must be the app's request too: an edit there would mislead a reader.
  const described = canonicalJson(unsignedTxRequestToJson(file.tx as UnsignedTxRequest))
  const expected = canonicalJson(unsignedTxRequestToJson(request))
  if (described !== expected) throw new TxFileMismatchError('described transaction', expected, described)

  const hash = keccak256(file.raw)
  if (hash !== file.hash) throw new TxFileMismatchError('hash', hash, file.hash)
  let signer: Address
  try {
    signer = getAddress(await recoverTransactionAddress({ serializedTransaction: file.raw as TransactionSerialized }))
  } catch (cause) {
    throw new TxFileInvalidError('its signature is invalid', { cause })
  }
  if (!isAddressEqual(signer, from)) throw new TxFileMismatchError('signer', getAddress(from), signer)
  if (!isAddressEqual(file.from, signer)) throw new TxFileMismatchError('declared sender', signer, file.from)
  if (tx.r === undefined || tx.s === undefined) throw new TxFileInvalidError('it is not signed')
  const yParity = (tx.yParity ?? (tx.v !== undefined ? Number((tx.v - 35n) % 2n) : 0)) as 0 | 1
  const v = request.type === 'legacy' ? BigInt(request.chainId) * 2n + 35n + BigInt(yParity) : BigInt(yParity)
  if (request.type === 'legacy' && tx.v !== v) throw new TxFileMismatchError('EIP-155 v', v.toString(), String(tx.v))
  return { raw: file.raw, hash, from: signer, signature: { r: tx.r, s: tx.s, yParity, v } }
}

function show(x: unknown): string {
  return typeof x === 'bigint' ? x.toString() : JSON.stringify(x ?? null)
}

function normalizeAccessList(list: readonly { address: string; storageKeys: readonly string[] }[] | undefined): string {
  return JSON.stringify((list ?? []).map((e) => [e.address.toLowerCase(), e.storageKeys.map((k) => k.toLowerCase())]))
}
