/**
 * Span-batch transaction data ↔ full EIP-2718 transactions (delta/span-batches.md §"Span batch format",
 * isthmus/derivation.md §"Span Batch Updates"; op-node span_batch_tx.go, kona batch/tx_data/*).
 *
 *   legacy   rlp([value, gasPrice, data])
 *   type 1   0x01 ++ rlp([value, gasPrice, data, accessList])
 *   type 2   0x02 ++ rlp([value, maxPriorityFeePerGas, maxFeePerGas, data, accessList])
 *   type 4   0x04 ++ rlp([value, maxPriorityFeePerGas, maxFeePerGas, data, accessList, authorizationList])
 *
 * Decoding is strict (go-ethereum rlp struct semantics); the fields are validated and then copied into the full
 * transaction as their original bytes, which equals re-encoding because they were checked canonical.
 */
import type { SpanBatchTxs } from './batchTypes'
import { MalformedBatcherDataError } from './errors'
import { RlpReader, byteLength, encodeRlpList, encodeRlpListWithPrefix, encodeRlpUint, rlpHeaderLength, writeRlpHeader } from './rlpReader'

const EMPTY = new Uint8Array(0)

export const LEGACY_TX_TYPE = 0
export const ACCESS_LIST_TX_TYPE = 1
export const DYNAMIC_FEE_TX_TYPE = 2
export const SET_CODE_TX_TYPE = 4

/**
 * One validated span-batch tx data entry. Its list items form three runs that the full transaction keeps in the same
 * order (see buildFullTx), so they are kept as offsets into `txData` and copied run by run:
 * [valueStart, feesStart) value; [feesStart, dataStart) gasPrice, or maxPriorityFeePerGas ++ maxFeePerGas;
 * [dataStart, end) data, then accessList and authorizationList when the type has them.
 */
export interface SpanTxFields {
  type: number
  txData: Uint8Array
  valueStart: number
  feesStart: number
  dataStart: number
  end: number
}

/** Validate one span-batch tx data entry and locate its fields (`reader`: one to reuse instead of a new one). */
export function parseSpanTxData(txData: Uint8Array, reader?: RlpReader): SpanTxFields {
  if (txData.length === 0) throw new MalformedBatcherDataError('span-batch', 'empty tx data')
  const first = txData[0] as number
  const type = first > 0x7f ? LEGACY_TX_TYPE : first
  if (type !== LEGACY_TX_TYPE && txData.length <= 1) throw new MalformedBatcherDataError('span-batch', 'typed transaction too short')
  if (type !== LEGACY_TX_TYPE && type !== ACCESS_LIST_TX_TYPE && type !== DYNAMIC_FEE_TX_TYPE && type !== SET_CODE_TX_TYPE) {
    throw new MalformedBatcherDataError('span-batch', `transaction type ${type} not supported in span batches`)
  }
  const start = type === LEGACY_TX_TYPE ? 0 : 1
  const list = reader ?? new RlpReader(txData, 'span-batch', start)
  if (reader) reader.reset(txData, start)
  list.enterOnlyList() // rlp.DecodeBytes: no trailing bytes
  const valueStart = list.pos
  checkUintItem(list, type === SET_CODE_TX_TYPE)
  const feesStart = list.pos
  checkUintItem(list, type === SET_CODE_TX_TYPE)
  if (type === DYNAMIC_FEE_TX_TYPE || type === SET_CODE_TX_TYPE) checkUintItem(list, type === SET_CODE_TX_TYPE)
  const dataStart = list.pos
  list.skipString()
  if (type !== LEGACY_TX_TYPE) checkAccessList(list)
  if (type === SET_CODE_TX_TYPE) checkAuthorizationList(list)
  list.expectEnd()
  return { type, txData, valueStart, feesStart, dataStart, end: list.pos }
}

/**
 * A canonical unsigned integer item. go-ethereum decodes *big.Int without a size limit (value/gas price of legacy,
 * 1559 txs) but uint256.Int (SetCode) with a 32-byte limit.
 */
function checkUintItem(r: RlpReader, isUint256: boolean): void {
  const start = r.skipString()
  const length = r.pos - start
  if (length > 0 && r.bytes[start] === 0) r.fail('non-canonical integer (leading zero bytes)')
  if (isUint256 && length > 32) r.fail('integer overflows uint256')
}

function checkAccessList(r: RlpReader): void {
  // enterList/leaveList: the same checks as readList() readers, without a reader object per list (most lists are
  // empty, and this runs for every typed transaction of a batch).
  const outer = r.enterList()
  while (r.remaining > 0) {
    const list = r.enterList()
    r.skipFixed(20)
    const keys = r.enterList()
    while (r.remaining > 0) r.skipFixed(32)
    r.leaveList(keys)
    r.leaveList(list)
  }
  r.leaveList(outer)
}

function checkAuthorizationList(r: RlpReader): void {
  const list = r.readList()
  while (list.remaining > 0) {
    const auth = list.readList()
    auth.readBigUint(32) // chainId uint256
    auth.skipFixed(20) // address
    auth.readBigUint(8) // nonce uint64
    auth.readBigUint(1) // yParity uint8
    auth.readBigUint(32) // r
    auth.readBigUint(32) // s
    auth.expectEnd()
  }
}

export interface FullTxParts {
  chainId: bigint
  nonce: bigint
  gas: bigint
  /** 20 bytes, or undefined for a contract creation. */
  to: Uint8Array | undefined
  yParity: number
  isProtected: boolean
  /** 32 bytes each. */
  r: Uint8Array
  s: Uint8Array
}

/** Build one full EIP-2718 transaction from its span-batch fields (op-node `convertToFullTx`). */
export function buildFullTx(f: SpanTxFields, p: FullTxParts): Uint8Array {
  if (p.r.length !== 32 || p.s.length !== 32) throw new RangeError('r and s must be 32 bytes')
  if (p.to && p.to.length !== 20) throw new RangeError('to must be 20 bytes')
  const sigs = new Uint8Array(64)
  sigs.set(p.r, 0)
  sigs.set(p.s, 32)
  const w = new FullTxWriter(p.chainId)
  const c: TxColumns = { nonce: p.nonce, gas: p.gas, tos: p.to, toAt: 0, yParity: p.yParity, isProtected: p.isProtected, sigs, sigAt: 0 }
  const payload = w.payloadLength(f, c)
  const out = new Uint8Array(w.txLength(f, payload))
  w.write(out, 0, f, c, payload)
  return out
}

/**
 * Rebuild every transaction of a span batch (op-node `convertToFullTx` per tx). All transactions are written into one
 * buffer and returned as views of it: one allocation per batch instead of one per transaction, which was most of the
 * decode time of a real channel. A transaction is an exact view; `tx.buffer` is the whole batch.
 */
export function buildFullTxs(t: SpanBatchTxs, chainId: bigint): Uint8Array[] {
  const n = t.totalTxCount
  const w = new FullTxWriter(chainId)
  const c: TxColumns = { nonce: 0n, gas: 0n, tos: undefined, toAt: 0, yParity: 0, isProtected: true, sigs: t.sigs, sigAt: 0 }
  const fields = new Array<SpanTxFields>(n)
  const reader = new RlpReader(EMPTY, 'span-batch')
  const payloads = new Array<number>(n)
  // Pass 1: validate and measure, so the buffer has the exact total size (no slack, no overflow).
  let total = 0
  let toIdx = 0
  let legacyIdx = 0
  for (let i = 0; i < n; i++) {
    const f = parseSpanTxData(t.txDatas[i] as Uint8Array, reader)
    toIdx = columnsAt(t, i, f, c, toIdx, legacyIdx)
    if (f.type === LEGACY_TX_TYPE) legacyIdx++
    fields[i] = f
    payloads[i] = w.payloadLength(f, c)
    total += w.txLength(f, payloads[i] as number)
  }
  // Pass 2: write each transaction in place.
  const out = new Uint8Array(total)
  const txs = new Array<Uint8Array>(n)
  let o = 0
  toIdx = 0
  legacyIdx = 0
  for (let i = 0; i < n; i++) {
    const f = fields[i] as SpanTxFields
    toIdx = columnsAt(t, i, f, c, toIdx, legacyIdx)
    if (f.type === LEGACY_TX_TYPE) legacyIdx++
    const payload = payloads[i] as number
    const end = w.write(out, o, f, c, payload)
    // Typed arrays drop out-of-range writes silently, so a writer/measure mismatch (a bug) must fail loudly here.
    if (end - o !== w.txLength(f, payload)) throw new Error(`span batch tx ${i}: wrote ${end - o} bytes, measured ${w.txLength(f, payload)}`)
    txs[i] = out.subarray(o, end)
    o = end
  }
  return txs
}

/** Point the reused cursor `c` at tx i's column values (no per-transaction views). Returns the next `to` index. */
function columnsAt(t: SpanBatchTxs, i: number, f: SpanTxFields, c: TxColumns, toIdx: number, legacyIdx: number): number {
  c.nonce = t.nonces[i] as bigint
  c.gas = t.gases[i] as bigint
  c.yParity = t.yParityBits[i] as number
  c.sigAt = 64 * i
  c.isProtected = f.type === LEGACY_TX_TYPE ? t.protectedBits[legacyIdx] === 1 : true
  if (t.contractCreationBits[i] === 1) {
    c.tos = undefined
    return toIdx
  }
  c.tos = t.tos
  c.toAt = 20 * toIdx
  return toIdx + 1
}

/** The span-batch column values of one transaction, as offsets into the column buffers. */
interface TxColumns {
  nonce: bigint
  gas: bigint
  /** 20 bytes at toAt, or undefined for a contract creation. */
  tos: Uint8Array | undefined
  toAt: number
  yParity: number
  isProtected: boolean
  /** r ‖ s: 64 bytes at sigAt. */
  sigs: Uint8Array
  sigAt: number
}

/**
 * Writes full transactions straight into a caller's buffer. The full field order is, for every type,
 *   [chainId (typed)], nonce, FEES, gas, to, VALUE, DATA..., v | yParity, r, s
 * where FEES, VALUE and DATA... are the runs of the tx data (SpanTxFields), copied as they are.
 */
class FullTxWriter {
  private readonly chainIdItem: Uint8Array
  /** Legacy v items, indexed by isProtected * 2 + yParity (EIP-155: chainId * 2 + 35 + yParity, else 27 + yParity). */
  private readonly legacyV: Uint8Array[]

  constructor(chainId: bigint) {
    this.chainIdItem = encodeRlpUint(chainId)
    this.legacyV = [27n, 28n, chainId * 2n + 35n, chainId * 2n + 36n].map(encodeRlpUint)
  }

  payloadLength(f: SpanTxFields, c: TxColumns): number {
    if (!c.tos && f.type === SET_CODE_TX_TYPE) throw new MalformedBatcherDataError('span-batch', 'contract creation is not allowed for a SetCode transaction')
    const legacy = f.type === LEGACY_TX_TYPE
    return (
      (legacy ? (this.legacyV[this.vIndex(c)] as Uint8Array).length : this.chainIdItem.length + 1) +
      uintItemLength(c.nonce) +
      uintItemLength(c.gas) +
      (c.tos ? 21 : 1) +
      (f.end - f.valueStart) +
      sigItemLength(c.sigs, c.sigAt) +
      sigItemLength(c.sigs, c.sigAt + 32)
    )
  }

  txLength(f: SpanTxFields, payload: number): number {
    return (f.type === LEGACY_TX_TYPE ? 0 : 1) + rlpHeaderLength(payload) + payload
  }

  /** Write the transaction at out[o…] (payload from payloadLength) and return the offset after it. */
  write(out: Uint8Array, o: number, f: SpanTxFields, c: TxColumns, payload: number): number {
    const legacy = f.type === LEGACY_TX_TYPE
    if (!legacy) out[o++] = f.type
    o = writeRlpHeader(out, o, payload, 0xc0)
    if (!legacy) o = copyRun(out, o, this.chainIdItem, 0, this.chainIdItem.length)
    o = writeUintItem(out, o, c.nonce)
    o = copyRun(out, o, f.txData, f.feesStart, f.dataStart)
    o = writeUintItem(out, o, c.gas)
    if (c.tos) {
      out[o++] = 0x80 + 20
      o = copyRun(out, o, c.tos, c.toAt, c.toAt + 20)
    } else out[o++] = 0x80
    o = copyRun(out, o, f.txData, f.valueStart, f.feesStart)
    o = copyRun(out, o, f.txData, f.dataStart, f.end)
    if (legacy) {
      const v = this.legacyV[this.vIndex(c)] as Uint8Array
      o = copyRun(out, o, v, 0, v.length)
    } else out[o++] = c.yParity === 1 ? 0x01 : 0x80
    o = writeSigItem(out, o, c.sigs, c.sigAt)
    return writeSigItem(out, o, c.sigs, c.sigAt + 32)
  }

  private vIndex(c: TxColumns): number {
    return (c.isProtected ? 2 : 0) + (c.yParity === 1 ? 1 : 0)
  }
}

/** RLP length of an unsigned integer (nonce, gas: u64). */
function uintItemLength(v: bigint): number {
  if (v < 0x80n) return 1
  if (v <= 0xffffffffffffn) return 1 + byteLength(Number(v))
  let l = 0
  for (let x = v; x > 0n; x >>= 8n) l++
  return 1 + l
}

function writeUintItem(out: Uint8Array, o: number, v: bigint): number {
  if (v === 0n) {
    out[o] = 0x80
    return o + 1
  }
  if (v < 0x80n) {
    out[o] = Number(v)
    return o + 1
  }
  const l = uintItemLength(v) - 1
  out[o] = 0x80 + l
  if (v <= 0xffffffffffffn) {
    // Number arithmetic below 2^48 (every real nonce and gas limit): no bigint per byte.
    for (let i = l, x = Number(v); i >= 1; i--, x = Math.floor(x / 256)) out[o + i] = x % 256
  } else {
    for (let i = l, x = v; i >= 1; i--, x >>= 8n) out[o + i] = Number(x & 0xffn)
  }
  return o + 1 + l
}

/** A 32-byte signature value at sigs[at…] as an RLP integer: leading zero bytes dropped. */
function sigItemLength(sigs: Uint8Array, at: number): number {
  let i = at
  const end = at + 32
  while (i < end && sigs[i] === 0) i++
  const len = end - i
  return len === 1 && (sigs[i] as number) < 0x80 ? 1 : 1 + len
}

function writeSigItem(out: Uint8Array, o: number, sigs: Uint8Array, at: number): number {
  let i = at
  const end = at + 32
  while (i < end && sigs[i] === 0) i++
  const len = end - i
  if (!(len === 1 && (sigs[i] as number) < 0x80)) out[o++] = 0x80 + len
  return copyRun(out, o, sigs, i, end)
}

/** Copy src[start, end) to out[o…]. Up to 32 bytes (to, r, s, fees) a byte loop costs as much as set(subarray(…)) without the view garbage. */
function copyRun(out: Uint8Array, o: number, src: Uint8Array, start: number, end: number): number {
  const n = end - start
  if (n <= 32) for (let i = 0; i < n; i++) out[o + i] = src[start + i] as number
  else out.set(src.subarray(start, end), o)
  return o + n
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
