/**
 * The zero-heavy decoder for batch data with flag 0x20 (nitro zeroheavy/zeroheavy.go; notes §2.2). Each input byte
 * expands to a short bit string (0x00 → "00", 0x01 → "01000000", < 0x80 → "01"+7 bits, else "1"+7 bits); the bit
 * stream is read 8 bits per output byte, and the trailing padding (the last 0 bit and the 1 bits after it) is dropped.
 * No library implements this Nitro-specific code, hence the port. Output is bounded like Nitro's LimitReader.
 */

/** arbstate: 101*MaxDecompressedLen/100 + 64 */
export const MAX_ZEROHEAVY_DECODED_BYTES = Math.floor((101 * 16 * 1024 * 1024) / 100) + 64

export function decodeZeroheavy(input: Uint8Array, maxOutputBytes = MAX_ZEROHEAVY_DECODED_BYTES): Uint8Array {
  // paddingEatingBitReader: the most recent 0 bit and the 1 bits after it are held back until another 0 arrives.
  const bits: number[] = []
  let deferredZero = false
  let deferredOnes = 0
  const pushBit = (bit: boolean): void => {
    if (deferredZero) {
      if (bit) deferredOnes++
      else {
        bits.push(0)
        for (; deferredOnes > 0; deferredOnes--) bits.push(1)
      }
    } else if (bit) bits.push(1)
    else deferredZero = true
  }
  const push7 = (b: number): void => {
    for (let i = 0; i < 7; i++) pushBit((b & (1 << (6 - i))) !== 0)
  }

  const out: number[] = []
  let bitPos = 0
  let inPos = 0
  const nextBit = (): number | undefined => {
    while (bitPos >= bits.length) {
      if (inPos >= input.length) return undefined
      const b = input[inPos++] as number
      if (b === 0) {
        pushBit(false)
        pushBit(false)
      } else if (b === 1) {
        pushBit(false)
        pushBit(true)
        for (let i = 0; i < 6; i++) pushBit(false)
      } else if (b < 0x80) {
        pushBit(false)
        pushBit(true)
        push7(b)
      } else {
        pushBit(true)
        push7(b & 0x7f)
      }
    }
    return bits[bitPos++]
  }
  while (out.length < maxOutputBytes) {
    let byte = 0
    for (let i = 0; i < 8; i++) {
      const bit = nextBit()
      if (bit === undefined) return Uint8Array.from(out)
      byte = (byte << 1) | bit
    }
    out.push(byte)
    // Keep memory flat on long inputs: drop the bits already consumed.
    if (bitPos > 1 << 16) {
      bits.splice(0, bitPos)
      bitPos = 0
    }
  }
  return Uint8Array.from(out)
}
