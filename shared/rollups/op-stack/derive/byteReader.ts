/**
 * A bounds-checked cursor over untrusted bytes, for the binary (non-RLP) parts of frames and span batches. Every
 * read checks the remaining length first, so a hostile length can never trigger a large allocation.
 */
import { MalformedBatcherDataError, type MalformedDataStage } from './errors'

const MAX_U64 = (1n << 64n) - 1n

export class ByteReader {
  readonly bytes: Uint8Array
  pos: number
  readonly stage: MalformedDataStage

  constructor(bytes: Uint8Array, stage: MalformedDataStage, pos = 0) {
    this.bytes = bytes
    this.pos = pos
    this.stage = stage
  }

  fail(reason: string): never {
    throw new MalformedBatcherDataError(this.stage, `${reason} (at byte ${this.pos})`)
  }

  get remaining(): number {
    return this.bytes.length - this.pos
  }

  need(n: number, what: string): void {
    if (n > this.remaining) this.fail(`not enough data for ${what}: need ${n}, have ${this.remaining}`)
  }

  u8(what = 'byte'): number {
    this.need(1, what)
    return this.bytes[this.pos++] as number
  }

  u16be(what = 'uint16'): number {
    this.need(2, what)
    const b = this.bytes
    const v = ((b[this.pos] as number) << 8) | (b[this.pos + 1] as number)
    this.pos += 2
    return v
  }

  u32be(what = 'uint32'): number {
    this.need(4, what)
    const b = this.bytes
    const v = ((b[this.pos] as number) * 0x1000000) + (((b[this.pos + 1] as number) << 16) | ((b[this.pos + 2] as number) << 8) | (b[this.pos + 3] as number))
    this.pos += 4
    return v
  }

  /** A view of the next `n` bytes. */
  take(n: number, what: string): Uint8Array {
    this.need(n, what)
    const v = this.bytes.subarray(this.pos, this.pos + n)
    this.pos += n
    return v
  }

  /**
   * Unsigned LEB128 varint as Go `binary.ReadUvarint` reads it (op-node span batches): at most 10 bytes, overflow of
   * 64 bits is an error; non-minimal encodings are accepted, as Go accepts them.
   */
  uvarint(what = 'uvarint'): bigint {
    // Fast path: up to 7 bytes (49 bits, exact in a double) with number arithmetic and one BigInt at the end; span
    // batches carry two uvarints per transaction. Longer or truncated values take the bigint loop from the start.
    const b = this.bytes
    for (let i = 0, p = this.pos, x = 0, scale = 1; i < 7 && p < b.length; i++, scale *= 128) {
      const byte = b[p++] as number
      if (byte < 0x80) {
        this.pos = p
        return BigInt(x + byte * scale)
      }
      x += (byte & 0x7f) * scale
    }
    return this.uvarintBig(what)
  }

  private uvarintBig(what: string): bigint {
    let x = 0n
    let shift = 0n
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.bytes.length) this.fail(`unexpected end of data in ${what}`)
      const b = this.bytes[this.pos++] as number
      if (b < 0x80) {
        if (i === 9 && b > 1) this.fail(`${what} overflows 64 bits`)
        return x | (BigInt(b) << shift)
      }
      x |= BigInt(b & 0x7f) << shift
      shift += 7n
    }
    this.fail(`${what} overflows 64 bits`)
  }

  /** A uvarint that must be ≤ `max` (a safe integer), returned as number. */
  uvarintMax(max: number, what: string): number {
    // Fast path for the common 1–3 byte case.
    const v = this.uvarint(what)
    if (v > BigInt(max)) this.fail(`${what} ${v} exceeds the limit ${max}`)
    return Number(v)
  }

  /**
   * A big-endian bitlist of `bitLength` bits, left-padded to whole bytes (op-node `decodeSpanBatchBits`): bit i is the
   * i-th least significant bit. Bits beyond `bitLength` must be zero. Returns one byte (0/1) per bit.
   */
  bits(bitLength: number, what: string): Uint8Array {
    const byteLength = Math.ceil(bitLength / 8)
    const buf = this.take(byteLength, what)
    const out = new Uint8Array(bitLength)
    for (let i = 0; i < byteLength * 8; i++) {
      const byte = buf[byteLength - 1 - (i >> 3)] as number
      const bit = (byte >> (i & 7)) & 1
      if (i < bitLength) out[i] = bit
      else if (bit) this.fail(`${what}: bitfield has longer length than requested`)
    }
    return out
  }
}

export function writeUvarint(out: number[], value: bigint | number): void {
  let v = BigInt(value)
  if (v < 0n || v > MAX_U64) throw new RangeError('uvarint out of range')
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80)
    v >>= 7n
  }
  out.push(Number(v))
}

/** Encode a bitlist as op-node does (big-endian integer, left-padded to ceil(n/8) bytes). */
export function encodeBits(bits: ArrayLike<number>): Uint8Array {
  const byteLength = Math.ceil(bits.length / 8)
  const out = new Uint8Array(byteLength)
  for (let i = 0; i < bits.length; i++) {
    if (bits[i]) out[byteLength - 1 - (i >> 3)] = (out[byteLength - 1 - (i >> 3)] as number) | (1 << (i & 7))
  }
  return out
}
