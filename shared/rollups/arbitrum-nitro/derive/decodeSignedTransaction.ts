/**
 * Decode a signed EIP-2718 transaction the way go-ethereum's `Transaction.UnmarshalBinary` does — shape and canonical
 * RLP only, no validity rules. Hand-written on top of @ethereumjs/rlp because viem's parseTransaction and
 * @ethereumjs/tx reject transactions that geth decodes (e.g. maxPriorityFeePerGas above maxFeePerGas, a mempool rule
 * that is not part of decoding): the real Arbitrum One batch in the vectors contains 13 such transactions, and
 * skipping them would misnumber everything after them.
 */
import { decode as decodeRlp, type NestedUint8Array } from '@ethereumjs/rlp'
import { bytesToHex, getAddress, keccak256, type Address, type Hex } from 'viem'

export type SignedTransactionType = 'legacy' | 'eip2930' | 'eip1559' | 'eip7702'

export interface DecodedSignedTransaction {
  hash: Hex
  type: SignedTransactionType
  /** undefined for a pre-EIP-155 legacy transaction (v = 27 or 28). */
  chainId: bigint | undefined
  nonce: bigint
  gas: bigint
  /** gasPrice for legacy/2930, maxFeePerGas for 1559/7702. */
  maxFeePerGas: bigint
  maxPriorityFeePerGas: bigint | undefined
  to: Address | null
  value: bigint
  data: Hex
  v: bigint
  r: bigint
  s: bigint
  raw: Hex
}

export class SignedTransactionDecodeError extends Error {}

type Item = Uint8Array | NestedUint8Array

const fail = (message: string): never => {
  throw new SignedTransactionDecodeError(message)
}

function bytes(item: Item | undefined, what: string): Uint8Array {
  if (!(item instanceof Uint8Array)) return fail(`${what}: expected a byte string`)
  return item
}

function list(item: Item | undefined, what: string): Item[] {
  if (item === undefined || item instanceof Uint8Array) return fail(`${what}: expected a list`)
  return item as Item[]
}

/** A canonical RLP integer (no leading zero byte) of at most maxBytes bytes. */
function uint(item: Item | undefined, maxBytes: number, what: string): bigint {
  const b = bytes(item, what)
  if (b.length > maxBytes) fail(`${what}: integer too large`)
  if (b.length > 0 && b[0] === 0) fail(`${what}: non-canonical integer (leading zero)`)
  let v = 0n
  for (const x of b) v = (v << 8n) | BigInt(x)
  return v
}

/** `*common.Address` with `rlp:"nil"`: empty = contract creation, otherwise exactly 20 bytes. */
function optionalAddress(item: Item | undefined, what: string): Address | null {
  const b = bytes(item, what)
  if (b.length === 0) return null
  if (b.length !== 20) fail(`${what}: an address must be 20 bytes`)
  return getAddress(bytesToHex(b))
}

function accessList(item: Item | undefined): void {
  for (const tuple of list(item, 'accessList')) {
    const [address, keys, ...extra] = list(tuple, 'accessList entry')
    if (extra.length > 0) fail('accessList entry: too many elements')
    if (bytes(address, 'accessList address').length !== 20) fail('accessList address must be 20 bytes')
    for (const key of list(keys, 'accessList storage keys')) if (bytes(key, 'storage key').length !== 32) fail('storage key must be 32 bytes')
  }
}

function authorizationList(item: Item | undefined): void {
  for (const auth of list(item, 'authorizationList')) {
    const fields = list(auth, 'authorization')
    if (fields.length !== 6) fail('authorization: expected 6 fields')
    uint(fields[0], 32, 'authorization chainId')
    if (bytes(fields[1], 'authorization address').length !== 20) fail('authorization address must be 20 bytes')
    uint(fields[2], 8, 'authorization nonce')
    uint(fields[3], 1, 'authorization yParity')
    uint(fields[4], 32, 'authorization r')
    uint(fields[5], 32, 'authorization s')
  }
}

export function decodeSignedTransaction(raw: Uint8Array): DecodedSignedTransaction {
  if (raw.length === 0) fail('empty transaction')
  const first = raw[0] as number
  const hash = keccak256(raw)
  const rawHex = bytesToHex(raw)
  let decoded: Item
  const rlpBody = first > 0x7f ? raw : raw.subarray(1)
  if (first <= 0x7f && raw.length <= 1) fail('typed transaction too short')
  try {
    decoded = decodeRlp(rlpBody) // strict: trailing bytes are an error, as with rlp.DecodeBytes
  } catch (error) {
    return fail(`bad RLP: ${(error as Error).message}`)
  }
  const f = list(decoded, 'transaction')
  if (first > 0x7f) {
    if (f.length !== 9) fail(`legacy transaction: expected 9 fields, got ${f.length}`)
    const v = uint(f[6], 32, 'v')
    return {
      hash, type: 'legacy', chainId: v === 27n || v === 28n ? undefined : (v - 35n) / 2n,
      nonce: uint(f[0], 8, 'nonce'), maxFeePerGas: uint(f[1], 32, 'gasPrice'), maxPriorityFeePerGas: undefined, gas: uint(f[2], 8, 'gas'),
      to: optionalAddress(f[3], 'to'), value: uint(f[4], 32, 'value'), data: bytesToHex(bytes(f[5], 'data')),
      v, r: uint(f[7], 32, 'r'), s: uint(f[8], 32, 's'), raw: rawHex,
    }
  }
  switch (first) {
    case 0x01: {
      if (f.length !== 11) fail(`EIP-2930 transaction: expected 11 fields, got ${f.length}`)
      accessList(f[7])
      return {
        hash, type: 'eip2930', chainId: uint(f[0], 32, 'chainId'), nonce: uint(f[1], 8, 'nonce'), maxFeePerGas: uint(f[2], 32, 'gasPrice'),
        maxPriorityFeePerGas: undefined, gas: uint(f[3], 8, 'gas'), to: optionalAddress(f[4], 'to'), value: uint(f[5], 32, 'value'),
        data: bytesToHex(bytes(f[6], 'data')), v: uint(f[8], 32, 'yParity'), r: uint(f[9], 32, 'r'), s: uint(f[10], 32, 's'), raw: rawHex,
      }
    }
    case 0x02: {
      if (f.length !== 12) fail(`EIP-1559 transaction: expected 12 fields, got ${f.length}`)
      accessList(f[8])
      return {
        hash, type: 'eip1559', chainId: uint(f[0], 32, 'chainId'), nonce: uint(f[1], 8, 'nonce'),
        maxPriorityFeePerGas: uint(f[2], 32, 'maxPriorityFeePerGas'), maxFeePerGas: uint(f[3], 32, 'maxFeePerGas'), gas: uint(f[4], 8, 'gas'),
        to: optionalAddress(f[5], 'to'), value: uint(f[6], 32, 'value'), data: bytesToHex(bytes(f[7], 'data')),
        v: uint(f[9], 32, 'yParity'), r: uint(f[10], 32, 'r'), s: uint(f[11], 32, 's'), raw: rawHex,
      }
    }
    case 0x04: {
      if (f.length !== 13) fail(`EIP-7702 transaction: expected 13 fields, got ${f.length}`)
      accessList(f[8])
      authorizationList(f[9])
      const to = optionalAddress(f[5], 'to')
      if (to === null) fail('EIP-7702 transaction must have a destination')
      return {
        hash, type: 'eip7702', chainId: uint(f[0], 32, 'chainId'), nonce: uint(f[1], 8, 'nonce'),
        maxPriorityFeePerGas: uint(f[2], 32, 'maxPriorityFeePerGas'), maxFeePerGas: uint(f[3], 32, 'maxFeePerGas'), gas: uint(f[4], 8, 'gas'),
        to, value: uint(f[6], 32, 'value'), data: bytesToHex(bytes(f[7], 'data')),
        v: uint(f[10], 32, 'yParity'), r: uint(f[11], 32, 'r'), s: uint(f[12], 32, 's'), raw: rawHex,
      }
    }
    default:
      return fail(`transaction type 0x${first.toString(16)} is not supported`)
  }
}
