/**
 * The plain unsigned transaction request every builder returns and every signer accepts (STYLE: build, then send).
 * It is a strict subset of viem's `TransactionSerializable` (bigint money fields), so `serializeTransaction` takes it
 * as is; the schemas below validate it when it crosses a boundary (IPC, journal, files).
 */
import { z } from 'zod'
import { getAddress, isAddress, keccak256, serializeTransaction, type AccessList, type Address, type Hex, type TransactionSerializable } from 'viem'

/** Geth's txpool rejects transactions over 128 KiB; an Arbitrum L2 tx carried through L1 is bounded the same way. */
export const MAX_TX_DATA_BYTES = 128 * 1024
const MAX_UINT256 = (1n << 256n) - 1n
const MAX_UINT64 = (1n << 64n) - 1n

export interface UnsignedTxCommon {
  chainId: number
  nonce: number
  gas: bigint
  /** null only for contract creation. */
  to: Address | null
  value: bigint
  data: Hex
}

export interface UnsignedEip1559Request extends UnsignedTxCommon {
  type: 'eip1559'
  maxFeePerGas: bigint
  maxPriorityFeePerGas: bigint
  accessList?: AccessList
}

export interface UnsignedLegacyRequest extends UnsignedTxCommon {
  type: 'legacy'
  gasPrice: bigint
}

export type UnsignedTxRequest = UnsignedEip1559Request | UnsignedLegacyRequest
export type UnsignedTxType = UnsignedTxRequest['type']

const hexData = z
  .string()
  .max(2 + MAX_TX_DATA_BYTES * 2, `Transaction data is larger than ${MAX_TX_DATA_BYTES} bytes`)
  .regex(/^0x([0-9a-fA-F]{2})*$/, 'Expected 0x-prefixed hex bytes')
  .transform((s) => s.toLowerCase() as Hex)
const address = z
  .string()
  .refine((s) => isAddress(s, { strict: false }), 'Expected a 20-byte 0x address')
  .transform((s) => getAddress(s))
const uint = (max: bigint) => z.bigint().min(0n).max(max)
const chainId = z.number().int().positive().max(Number.MAX_SAFE_INTEGER)
const nonce = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER)
const accessList = z
  .array(z.object({ address, storageKeys: z.array(z.string().regex(/^0x[0-9a-fA-F]{64}$/).transform((s) => s.toLowerCase() as Hex)).max(10_000) }))
  .max(10_000)

const common = {
  chainId,
  nonce,
  gas: uint(MAX_UINT64).refine((g) => g > 0n, 'Gas limit must be positive'),
  to: address.nullable(),
  value: uint(MAX_UINT256),
  data: hexData,
}

/** In-memory form (bigint fields), e.g. after IPC structured clone. */
export const unsignedTxRequestSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('eip1559'), ...common, maxFeePerGas: uint(MAX_UINT256), maxPriorityFeePerGas: uint(MAX_UINT256), accessList: accessList.optional() }).strict(),
    z.object({ type: z.literal('legacy'), ...common, gasPrice: uint(MAX_UINT256) }).strict(),
  ])
  .superRefine((tx, ctx) => {
    if (tx.type === 'eip1559' && tx.maxPriorityFeePerGas > tx.maxFeePerGas) {
      ctx.addIssue({ code: 'custom', message: 'maxPriorityFeePerGas is above maxFeePerGas', path: ['maxPriorityFeePerGas'] })
    }
  }) satisfies z.ZodType<UnsignedTxRequest, unknown>

/** Decimal string (no sign, no exponent) → bigint; the JSON form of every uint field. */
const decimal = (max: bigint) =>
  z
    .string()
    .regex(/^(0|[1-9]\d{0,77})$/, 'Expected a decimal integer string')
    .transform((s) => BigInt(s))
    .pipe(uint(max))

const commonJson = { ...common, gas: decimal(MAX_UINT64).refine((g) => g > 0n, 'Gas limit must be positive'), value: decimal(MAX_UINT256) }

/** JSON form (uints as decimal strings), for files and the journal. Parses to an UnsignedTxRequest. */
export const unsignedTxRequestJsonSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('eip1559'), ...commonJson, maxFeePerGas: decimal(MAX_UINT256), maxPriorityFeePerGas: decimal(MAX_UINT256), accessList: accessList.optional() }).strict(),
    z.object({ type: z.literal('legacy'), ...commonJson, gasPrice: decimal(MAX_UINT256) }).strict(),
  ])
  .superRefine((tx, ctx) => {
    if (tx.type === 'eip1559' && tx.maxPriorityFeePerGas > tx.maxFeePerGas) {
      ctx.addIssue({ code: 'custom', message: 'maxPriorityFeePerGas is above maxFeePerGas', path: ['maxPriorityFeePerGas'] })
    }
  })

export type UnsignedTxRequestJson = z.input<typeof unsignedTxRequestJsonSchema>

/** The JSON form, with a fixed key order so that it can be checksummed canonically. */
export function unsignedTxRequestToJson(tx: UnsignedTxRequest): UnsignedTxRequestJson {
  const base = { chainId: tx.chainId, nonce: tx.nonce, gas: tx.gas.toString(), to: tx.to === null ? null : getAddress(tx.to), value: tx.value.toString(), data: tx.data.toLowerCase() as Hex }
  if (tx.type === 'legacy') return { type: 'legacy', ...base, gasPrice: tx.gasPrice.toString() }
  return {
    type: 'eip1559',
    ...base,
    maxFeePerGas: tx.maxFeePerGas.toString(),
    maxPriorityFeePerGas: tx.maxPriorityFeePerGas.toString(),
    ...(tx.accessList && tx.accessList.length > 0 ? { accessList: tx.accessList.map((e) => ({ address: getAddress(e.address), storageKeys: e.storageKeys.map((k) => k.toLowerCase() as Hex) })) } : {}),
  }
}

/** viem's serializable form. `to: null` becomes absent (contract creation). */
export function toSerializable(tx: UnsignedTxRequest): TransactionSerializable {
  const base = { chainId: tx.chainId, nonce: tx.nonce, gas: tx.gas, value: tx.value, data: tx.data, ...(tx.to === null ? {} : { to: tx.to }) }
  if (tx.type === 'legacy') return { type: 'legacy', ...base, gasPrice: tx.gasPrice }
  return { type: 'eip1559', ...base, maxFeePerGas: tx.maxFeePerGas, maxPriorityFeePerGas: tx.maxPriorityFeePerGas, accessList: tx.accessList ?? [] }
}

/**
 * The unsigned payload a device signs: `type || rlp(fields)` for typed txs, `rlp([..., chainId, 0, 0])` for legacy
 * (EIP-155). Exactly what hw-app-eth sends to the Ethereum app.
 */
export function serializeUnsignedTx(tx: UnsignedTxRequest): Hex {
  return serializeTransaction(toSerializable(tx))
}

/** keccak256 of the unsigned payload: the digest that is signed, and the "hash" a Ledger shows when blind signing. */
export function signingHashOf(tx: UnsignedTxRequest): Hex {
  return keccak256(serializeUnsignedTx(tx))
}

/** The most this transaction can cost in fees (gas × max fee per gas), in wei. */
export function maxFeeOf(tx: UnsignedTxRequest): bigint {
  return tx.gas * (tx.type === 'legacy' ? tx.gasPrice : tx.maxFeePerGas)
}
