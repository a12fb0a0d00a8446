/**
 * A strict, bounded RLP reader with go-ethereum `rlp.Stream` semantics (the decoder op-node uses for batches).
 *
 * Hand-written rather than viem/@ethereumjs because derivation must reject exactly what op-node rejects:
 * non-canonical sizes (ErrCanonSize), non-canonical integers (ErrCanonInt), wrong list arity for typed structs, and
 * wrong fixed-size fields (addresses, hashes); and it must slice raw items without copying (span-batch tx data).
 * Every failure throws MalformedBatcherDataError; every read is bounds-checked before any allocation.
 */
import { MalformedBatcherDataError, type MalformedDataStage } from './errors'
import { bigintToMinimalBytes, concatBytes } from '../../../eth/bytes'

export interface RlpHeader {
  isList: boolean
  /** Offset of the payload (after the header). */
  payloadStart: number
  payloadLength: number
  /** Offset just after the item. */
  end: number
}

export class RlpReader {
  /** Not readonly only so that one reader can serve many items (reset); callers never assign it. */
  bytes: Uint8Array
  pos: number
  /** End of the readable range; only enterOnlyList narrows it. */
  limit: number
  readonly stage: MalformedDataStage
  // Header of the item last scanned. Fields rather than a returned object: span-batch decoding scans ~10 items per
  // transaction, and per-item objects were most of its garbage (and GC time).
  private hIsList = false
  private hPayloadStart = 0
  private hEnd = 0

  constructor(bytes: Uint8Array, stage: MalformedDataStage, start = 0, end = bytes.length) {
    this.bytes = bytes
    this.pos = start
    this.limit = end
    this.stage = stage
  }

  fail(reason: string): never {
    throw new MalformedBatcherDataError(this.stage, `rlp: ${reason} (at byte ${this.pos})`)
  }

  /** Point this reader at another byte range, as `new RlpReader(bytes, stage, start, end)` would (no allocation). */
  reset(bytes: Uint8Array, start = 0, end = bytes.length): void {
    this.bytes = bytes
    this.pos = start
    this.limit = end
  }

  get remaining(): number {
    return this.limit - this.pos
  }

  /** Parse the header of the next item without consuming it. */
  peekHeader(): RlpHeader {
    this.scanHeader()
    return { isList: this.hIsList, payloadStart: this.hPayloadStart, payloadLength: this.hEnd - this.hPayloadStart, end: this.hEnd }
  }

  /** As peekHeader, without the object: the offset just after the next item; `peekedIsList` then tells its kind. */
  peekEnd(): number {
    this.scanHeader()
    return this.hEnd
  }

  /** Whether the item last scanned (peekEnd) is a list. */
  get peekedIsList(): boolean {
    return this.hIsList
  }

  /** Validate the header of the next item into hIsList/hPayloadStart/hEnd, without consuming it. */
  private scanHeader(): void {
    const b = this.bytes
    const p = this.pos
    if (p >= this.limit) this.fail('unexpected end of input')
    const first = b[p] as number
    let payloadStart: number
    let payloadLength: number
    if (first < 0x80) {
      this.hIsList = false
      payloadStart = p
      payloadLength = 1
    } else if (first <= 0xb7) {
      this.hIsList = false
      payloadStart = p + 1
      payloadLength = first - 0x80
      // A single byte below 0x80 must be encoded as itself (go-ethereum ErrCanonSize).
      if (payloadLength === 1) {
        if (payloadStart >= this.limit) this.fail('unexpected end of input')
        if ((b[payloadStart] as number) < 0x80) this.fail('non-canonical size information')
      }
    } else if (first <= 0xbf) {
      this.hIsList = false
      payloadLength = this.readLongSize(p, first - 0xb7)
      payloadStart = p + 1 + first - 0xb7
    } else if (first <= 0xf7) {
      this.hIsList = true
      payloadStart = p + 1
      payloadLength = first - 0xc0
    } else {
      this.hIsList = true
      payloadLength = this.readLongSize(p, first - 0xf7)
      payloadStart = p + 1 + first - 0xf7
    }
    const end = payloadStart + payloadLength
    if (end > this.limit) this.fail('value size exceeds available input length')
    this.hPayloadStart = payloadStart
    this.hEnd = end
  }

  /** The payload size of a long-form header at p (the size bytes follow the first byte). */
  private readLongSize(p: number, sizeLength: number): number {
    if (p + 1 + sizeLength > this.limit) this.fail('unexpected end of input')
    if (this.bytes[p + 1] === 0) this.fail('non-canonical size information (leading zero)')
    if (sizeLength > 6) this.fail('value size too large') // > 2^48 bytes can never fit the input
    let size = 0
    for (let i = 0; i < sizeLength; i++) size = size * 256 + (this.bytes[p + 1 + i] as number)
    if (size < 56) this.fail('non-canonical size information (short size in long form)')
    return size
  }

  /** Read a string item's payload (a view, not a copy). */
  readBytes(): Uint8Array {
    const start = this.skipString()
    return this.bytes.subarray(start, this.pos)
  }

  /** Step over a string item without creating a view; returns its payload offset (the payload ends at `pos`). */
  skipString(): number {
    this.scanHeader()
    if (this.hIsList) this.fail('expected string, got list')
    this.pos = this.hEnd
    return this.hPayloadStart
  }

  /** Read a byte string of exactly `length` bytes (go-ethereum fixed arrays such as common.Address). */
  readFixed(length: number): Uint8Array {
    const v = this.readBytes()
    if (v.length !== length) this.fail(`expected ${length} bytes, got ${v.length}`)
    return v
  }

  /** Step over a byte string of exactly `length` bytes (as readFixed, without creating a view). */
  skipFixed(length: number): void {
    const start = this.skipString()
    const got = this.pos - start
    if (got !== length) this.fail(`expected ${length} bytes, got ${got}`)
  }

  /** Read a canonical unsigned integer of at most `maxBytes` bytes as bigint. */
  readBigUint(maxBytes: number): bigint {
    const start = this.skipString()
    const end = this.pos
    if (end - start > maxBytes) this.fail(`integer larger than ${maxBytes} bytes`)
    if (end > start && this.bytes[start] === 0) this.fail('non-canonical integer (leading zero bytes)')
    let x = 0n
    for (let i = start; i < end; i++) x = (x << 8n) | BigInt(this.bytes[i] as number)
    return x
  }

  /** Read a canonical uint64 that must fit a JS safe integer (timestamps, block numbers). */
  readSafeUint(): number {
    const v = this.readBigUint(8)
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) this.fail('integer too large')
    return Number(v)
  }

  /** Enter a list: returns a reader over its payload and advances past it. */
  readList(): RlpReader {
    this.scanHeader()
    if (!this.hIsList) this.fail('expected list, got string')
    this.pos = this.hEnd
    return new RlpReader(this.bytes, this.stage, this.hPayloadStart, this.hEnd)
  }

  /**
   * As readList(), continuing in this reader: narrows it to the list's payload and returns the outer limit, which
   * leaveList() restores after checking the list was read to its end. No reader object per list.
   */
  enterList(): number {
    this.scanHeader()
    if (!this.hIsList) this.fail('expected list, got string')
    const outer = this.limit
    this.pos = this.hPayloadStart
    this.limit = this.hEnd
    return outer
  }

  /** Leave a list entered with enterList() (its payload must be fully read: go-ethereum's "too many elements"). */
  leaveList(outerLimit: number): void {
    this.expectEnd()
    this.limit = outerLimit
  }

  /**
   * `readList()` then `expectEnd()` (rlp.DecodeBytes of one struct: no trailing bytes), continuing in this reader over
   * the list's payload instead of allocating a new one. Same checks, order and error positions.
   */
  enterOnlyList(): void {
    this.scanHeader()
    if (!this.hIsList) this.fail('expected list, got string')
    this.pos = this.hEnd
    this.expectEnd()
    this.pos = this.hPayloadStart
    this.limit = this.hEnd
  }

  /** The raw encoded bytes of the next item (header included), advancing past it. */
  readRaw(): Uint8Array {
    const start = this.pos
    this.scanHeader()
    this.pos = this.hEnd
    return this.bytes.subarray(start, this.hEnd)
  }

  /** Require that a struct-like list was fully consumed (go-ethereum "input list has too many elements"). */
  expectEnd(): void {
    if (this.pos !== this.limit) this.fail('input list has too many elements')
  }
}

/** RLP-encode a byte string. */
export function encodeRlpBytes(v: Uint8Array): Uint8Array {
  if (v.length === 1 && (v[0] as number) < 0x80) return v.slice()
  if (v.length < 56) {
    // Hot path (span-batch tx rebuilding): one allocation.
    const out = new Uint8Array(1 + v.length)
    out[0] = 0x80 + v.length
    out.set(v, 1)
    return out
  }
  return concatBytes([encodeLength(v.length, 0x80), v])
}

/** RLP-encode a list whose items are already encoded. */
export function encodeRlpList(items: readonly Uint8Array[]): Uint8Array {
  return encodeRlpListWithPrefix(items, -1)
}

/**
 * `prefix ++ rlp(list)` in one allocation (EIP-2718 typed transactions use prefix = type; -1 = no prefix). Span-batch
 * decoding rebuilds every transaction with this, so it avoids intermediate buffers.
 */
export function encodeRlpListWithPrefix(items: readonly Uint8Array[], prefix: number): Uint8Array {
  let len = 0
  for (let i = 0; i < items.length; i++) len += (items[i] as Uint8Array).length
  const lenBytes = len < 56 ? 0 : Math.ceil(Math.log2(len + 1) / 8)
  const head = (prefix >= 0 ? 1 : 0) + 1 + lenBytes
  const out = new Uint8Array(head + len)
  let o = 0
  if (prefix >= 0) out[o++] = prefix
  if (len < 56) out[o++] = 0xc0 + len
  else {
    out[o++] = 0xf7 + lenBytes
    for (let i = lenBytes - 1; i >= 0; i--) out[o + i] = Math.floor(len / 2 ** (8 * (lenBytes - 1 - i))) & 0xff
    o += lenBytes
  }
  for (let i = 0; i < items.length; i++) {
    const it = items[i] as Uint8Array
    if (it.length < 16) for (let j = 0; j < it.length; j++) out[o + j] = it[j] as number
    else out.set(it, o)
    o += it.length
  }
  return out
}

/** Number of bytes of a non-negative safe integer in minimal big-endian form (0 → 0). */
export function byteLength(n: number): number {
  let l = 0
  for (let x = n; x > 0; x = Math.floor(x / 256)) l++
  return l
}

/** Bytes of the RLP header for a payload of `len` bytes. */
export function rlpHeaderLength(len: number): number {
  return len < 56 ? 1 : 1 + byteLength(len)
}

/**
 * Write an RLP header (offset 0x80 for a string, 0xc0 for a list) for a payload of `len` bytes at out[o…]; returns the
 * offset after it. For encoders that write into one preallocated buffer (span-batch tx rebuilding).
 */
export function writeRlpHeader(out: Uint8Array, o: number, len: number, offset: 0x80 | 0xc0): number {
  if (len < 56) {
    out[o] = offset + len
    return o + 1
  }
  const l = byteLength(len)
  out[o] = offset + 55 + l
  for (let i = l, x = len; i >= 1; i--, x = Math.floor(x / 256)) out[o + i] = x % 256
  return o + 1 + l
}

/** RLP-encode an unsigned integer (minimal big-endian). */
export function encodeRlpUint(v: bigint | number): Uint8Array {
  return encodeRlpBytes(bigintToMinimalBytes(BigInt(v)))
}

function encodeLength(len: number, offset: number): Uint8Array {
  if (len < 56) return new Uint8Array([offset + len])
  const lenBytes = bigintToMinimalBytes(BigInt(len))
  const out = new Uint8Array(1 + lenBytes.length)
  out[0] = offset + 55 + lenBytes.length
  out.set(lenBytes, 1)
  return out
}
