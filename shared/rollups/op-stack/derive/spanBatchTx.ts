/**
 * Span-batch transaction data ↔ full EIP-2718 transactions (delta/span-batches.md §"Span batch format",
 * isthmus/derivation.md §"Span Batch Updates"; op-node span_batch_tx.go, kona batch/tx_data/*).
 *
 *   legacy   rlp([value, gasPrice, data])
 *   type 1   0x01 ++ rlp([value, gasPrice, data, accessList])
 *   type 2   0x02 ++ rlp([value, maxPriorityFeePerGas, maxFeePerGas, data, accessList])
 *   type 4   0x04 ++ rlp([value, maxPriorityFeePerGas, maxFeePerGas, data, accessList, authorizationList])
 *
 * Decoding is strict (go-ethereum rlp struct semantics); access and authorization lists are validated and then spliced
 * into the full transaction as their original bytes, which equals re-encoding because they were checked canonical.
 */
import { MalformedBatcherDataError } from './errors'
import { RlpReader, encodeRlpList, encodeRlpListWithPrefix, encodeRlpParts, encodeRlpUint, trimLeadingZeros, uintToBytes, type RlpPart } from './rlpReader'

export const LEGACY_TX_TYPE = 0
export const ACCESS_LIST_TX_TYPE = 1
export const DYNAMIC_FEE_TX_TYPE = 2
export const SET_CODE_TX_TYPE = 4
export const DEPOSIT_TX_TYPE = 0x7e

export interface SpanTxFields {
  type: number
  /** Encoded RLP items (already validated), in wire order, excluding the fields carried in other columns. */
  value: Uint8Array
  gasPriceOrTip: Uint8Array
  maxFee: Uint8Array | undefined
  data: Uint8Array
  accessList: Uint8Array | undefined
  authorizationList: Uint8Array | undefined
}

/** Validate and split one span-batch tx data entry into its encoded fields. */
export function parseSpanTxData(txData: Uint8Array): SpanTxFields {
  if (txData.length === 0) throw new MalformedBatcherDataError('span-batch', 'empty tx data')
  const first = txData[0] as number
  const type = first > 0x7f ? LEGACY_TX_TYPE : first
  if (type !== LEGACY_TX_TYPE && txData.length <= 1) throw new MalformedBatcherDataError('span-batch', 'typed transaction too short')
  if (type !== LEGACY_TX_TYPE && type !== ACCESS_LIST_TX_TYPE && type !== DYNAMIC_FEE_TX_TYPE && type !== SET_CODE_TX_TYPE) {
    throw new MalformedBatcherDataError('span-batch', `transaction type ${type} not supported in span batches`)
  }
  const outer = new RlpReader(txData, 'span-batch', type === LEGACY_TX_TYPE ? 0 : 1)
  const list = outer.readList()
  outer.expectEnd() // rlp.DecodeBytes: no trailing bytes
  const value = uintItem(list, 32, type === SET_CODE_TX_TYPE)
  const gasPriceOrTip = uintItem(list, 32, type === SET_CODE_TX_TYPE)
  let maxFee: Uint8Array | undefined
  if (type === DYNAMIC_FEE_TX_TYPE || type === SET_CODE_TX_TYPE) maxFee = uintItem(list, 32, type === SET_CODE_TX_TYPE)
  const dataStart = list.pos
  list.readBytes()
  const data = list.bytes.subarray(dataStart, list.pos)
  let accessList: Uint8Array | undefined
  let authorizationList: Uint8Array | undefined
  if (type !== LEGACY_TX_TYPE) accessList = readAccessList(list)
  if (type === SET_CODE_TX_TYPE) authorizationList = readAuthorizationList(list)
  list.expectEnd()
  return { type, value, gasPriceOrTip, maxFee, data, accessList, authorizationList }
}

/**
 * A canonical unsigned integer item; returns its encoded bytes. go-ethereum decodes *big.Int without a size limit
 * (value/gas price of legacy, 1559 txs) but uint256.Int (SetCode) with a 32-byte limit.
 */
function uintItem(r: RlpReader, maxBytes: number, enforceMax: boolean): Uint8Array {
  const start = r.pos
  const v = r.readBytes()
  if (v.length > 0 && v[0] === 0) r.fail('non-canonical integer (leading zero bytes)')
  if (enforceMax && v.length > maxBytes) r.fail('integer overflows uint256')
  return r.bytes.subarray(start, r.pos)
}

function readAccessList(r: RlpReader): Uint8Array {
  const start = r.pos
  const list = r.readList()
  while (list.remaining > 0) {
    const tuple = list.readList()
    tuple.readFixed(20)
    const keys = tuple.readList()
    while (keys.remaining > 0) keys.readFixed(32)
    tuple.expectEnd()
  }
  return r.bytes.subarray(start, r.pos)
}

function readAuthorizationList(r: RlpReader): Uint8Array {
  const start = r.pos
  const list = r.readList()
  while (list.remaining > 0) {
    const auth = list.readList()
    auth.readBigUint(32) // chainId uint256
    auth.readFixed(20) // address
    auth.readBigUint(8) // nonce uint64
    auth.readBigUint(1) // yParity uint8
    auth.readBigUint(32) // r
    auth.readBigUint(32) // s
    auth.expectEnd()
  }
  return r.bytes.subarray(start, r.pos)
}

export interface FullTxParts {
  chainId: bigint
  /** rlp(chainId), precomputed by callers rebuilding many transactions. */
  chainIdItem?: Uint8Array
  nonce: bigint
  gas: bigint
  /** 20 bytes, or undefined for a contract creation. */
  to: Uint8Array | undefined
  yParity: number
  isProtected: boolean
  r: Uint8Array
  s: Uint8Array
}

/** Build the full EIP-2718 transaction bytes from the span-batch columns (op-node `convertToFullTx`). */
const EMPTY_ITEM = new Uint8Array([0x80])
const ONE_ITEM = new Uint8Array([0x01])

export function buildFullTx(f: SpanTxFields, p: FullTxParts): Uint8Array {
  const toItem: RlpPart = p.to ? { str: p.to } : EMPTY_ITEM
  const rItem: RlpPart = { str: trimLeadingZeros(p.r) }
  const sItem: RlpPart = { str: trimLeadingZeros(p.s) }
  const nonce: RlpPart = { str: uintToBytes(p.nonce) }
  const gas: RlpPart = { str: uintToBytes(p.gas) }
  const chainId = p.chainIdItem ?? encodeRlpUint(p.chainId)
  const parity = p.yParity === 1 ? ONE_ITEM : EMPTY_ITEM
  switch (f.type) {
    case LEGACY_TX_TYPE: {
      const v = p.isProtected ? p.chainId * 2n + 35n + BigInt(p.yParity) : 27n + BigInt(p.yParity)
      return encodeRlpParts([nonce, f.gasPriceOrTip, gas, toItem, f.value, f.data, { str: uintToBytes(v) }, rItem, sItem], -1)
    }
    case ACCESS_LIST_TX_TYPE:
      return encodeRlpParts([chainId, nonce, f.gasPriceOrTip, gas, toItem, f.value, f.data, f.accessList as Uint8Array, parity, rItem, sItem], 1)
    case DYNAMIC_FEE_TX_TYPE:
      return encodeRlpParts([chainId, nonce, f.gasPriceOrTip, f.maxFee as Uint8Array, gas, toItem, f.value, f.data, f.accessList as Uint8Array, parity, rItem, sItem], 2)
    case SET_CODE_TX_TYPE:
      if (!p.to) throw new MalformedBatcherDataError('span-batch', 'contract creation is not allowed for a SetCode transaction')
      return encodeRlpParts([
        chainId, nonce, f.gasPriceOrTip, f.maxFee as Uint8Array, gas, toItem, f.value, f.data,
        f.accessList as Uint8Array, f.authorizationList as Uint8Array, parity, rItem, sItem,
      ], 4)
    default:
      throw new MalformedBatcherDataError('span-batch', `invalid tx type ${f.type}`)
  }
}

function typed(type: number, items: Uint8Array[]): Uint8Array {
  return encodeRlpListWithPrefix(items, type)
}

/** The parts of a full transaction the span-batch encoder needs (inverse of buildFullTx). */
export interface DecomposedTx {
  txData: Uint8Array
  type: number
  nonce: bigint
  gas: bigint
  to: Uint8Array | undefined
  yParity: number
  isProtected: boolean
  r: Uint8Array
  s: Uint8Array
}

/** Split a full EIP-2718 transaction into span-batch columns (op-node `newSpanBatchTx`). */
export function decomposeTx(tx: Uint8Array, chainId: bigint): DecomposedTx {
  if (tx.length === 0) throw new MalformedBatcherDataError('span-batch', 'empty transaction')
  const first = tx[0] as number
  const type = first > 0x7f ? LEGACY_TX_TYPE : first
  const outer = new RlpReader(tx, 'span-batch', type === LEGACY_TX_TYPE ? 0 : 1)
  const l = outer.readList()
  outer.expectEnd()
  const items: Uint8Array[] = []
  while (l.remaining > 0) items.push(l.readRaw())
  const item = (i: number): Uint8Array => {
    const it = items[i]
    if (!it) throw new MalformedBatcherDataError('span-batch', `transaction has too few fields for type ${type}`)
    return it
  }
  const payload = (raw: Uint8Array): Uint8Array => new RlpReader(raw, 'span-batch').readBytes()
  const uint = (raw: Uint8Array): bigint => new RlpReader(raw, 'span-batch').readBigUint(32)
  const sig32 = (raw: Uint8Array): Uint8Array => {
    const v = payload(raw)
    if (v.length > 32) throw new MalformedBatcherDataError('span-batch', 'signature value longer than 32 bytes')
    const out = new Uint8Array(32)
    out.set(v, 32 - v.length)
    return out
  }
  const toOf = (raw: Uint8Array): Uint8Array | undefined => {
    const v = payload(raw)
    if (v.length === 0) return undefined
    if (v.length !== 20) throw new MalformedBatcherDataError('span-batch', 'to must be 20 bytes')
    return v
  }
  const expect = (n: number): void => {
    if (items.length !== n) throw new MalformedBatcherDataError('span-batch', `type ${type} transaction must have ${n} fields, has ${items.length}`)
  }
  switch (type) {
    case LEGACY_TX_TYPE: {
      expect(9)
      const v = uint(item(6))
      let yParity: number
      let isProtected: boolean
      if (v === 27n || v === 28n) {
        yParity = Number(v - 27n)
        isProtected = false
      } else {
        const parity = v - chainId * 2n - 35n
        if (parity !== 0n && parity !== 1n) throw new MalformedBatcherDataError('span-batch', `legacy v ${v} does not match chain id ${chainId}`)
        yParity = Number(parity)
        isProtected = true
      }
      return {
        txData: encodeRlpList([item(4), item(1), item(5)]),
        type, nonce: uint(item(0)), gas: uint(item(2)), to: toOf(item(3)), yParity, isProtected, r: sig32(item(7)), s: sig32(item(8)),
      }
    }
    case ACCESS_LIST_TX_TYPE:
      expect(11)
      checkChainId(uint(item(0)), chainId)
      return {
        txData: typed(1, [item(5), item(2), item(6), item(7)]),
        type, nonce: uint(item(1)), gas: uint(item(3)), to: toOf(item(4)), yParity: Number(uint(item(8))), isProtected: true, r: sig32(item(9)), s: sig32(item(10)),
      }
    case DYNAMIC_FEE_TX_TYPE:
      expect(12)
      checkChainId(uint(item(0)), chainId)
      return {
        txData: typed(2, [item(6), item(2), item(3), item(7), item(8)]),
        type, nonce: uint(item(1)), gas: uint(item(4)), to: toOf(item(5)), yParity: Number(uint(item(9))), isProtected: true, r: sig32(item(10)), s: sig32(item(11)),
      }
    case SET_CODE_TX_TYPE:
      expect(13)
      checkChainId(uint(item(0)), chainId)
      return {
        txData: typed(4, [item(6), item(2), item(3), item(7), item(8), item(9)]),
        type, nonce: uint(item(1)), gas: uint(item(4)), to: toOf(item(5)), yParity: Number(uint(item(10))), isProtected: true, r: sig32(item(11)), s: sig32(item(12)),
      }
    default:
      throw new MalformedBatcherDataError('span-batch', `transaction type ${type} cannot be put in a span batch`)
  }
}

function checkChainId(got: bigint, want: bigint): void {
  if (got !== want) throw new MalformedBatcherDataError('span-batch', `transaction chain id ${got} is not the L2 chain id ${want}`)
}
