/**
 * OP blob → bytes (specs/protocol/ecotone/derivation.md §"Blob Encoding"): 4 field elements carry 127 bytes; the low
 * 31 bytes of each element are copied and the top 6 bits of the first byte of each element are reassembled into 3
 * more bytes. Mirrors op-service/eth/blob.go `ToData` and kona `sources/blob_data.rs` exactly, including their
 * quirk that the high bits of element 0's first byte are not checked.
 *
 * Only call this on a blob already verified against its versioned hash (shared/l1/kzg.ts).
 */
import { MalformedBatcherDataError } from './errors'

export const BLOB_SIZE = 131_072
export const BLOB_ENCODING_VERSION = 0
/** (4×31+3)×1024−4 = 130044 (kona BLOB_MAX_DATA_SIZE). */
export const BLOB_MAX_DATA_SIZE = (4 * 31 + 3) * 1024 - 4
export const BLOB_ENCODING_ROUNDS = 1024

export function decodeBlob(blob: Uint8Array): Uint8Array {
  if (blob.length !== BLOB_SIZE) throw new MalformedBatcherDataError('blob', `blob must be ${BLOB_SIZE} bytes, got ${blob.length}`)
  if (blob[1] !== BLOB_ENCODING_VERSION) throw new MalformedBatcherDataError('blob', `unknown blob encoding version ${blob[1]}`)
  const length = ((blob[2] as number) << 16) | ((blob[3] as number) << 8) | (blob[4] as number)
  if (length > BLOB_MAX_DATA_SIZE) throw new MalformedBatcherDataError('blob', `declared length ${length} exceeds ${BLOB_MAX_DATA_SIZE}`)

  const output = new Uint8Array(BLOB_MAX_DATA_SIZE) // 1024 rounds × 127 bytes − 4 header bytes fill it exactly
  output.set(blob.subarray(5, 32), 0)
  let opos = 28
  let ipos = 32
  const enc = [blob[0] as number, 0, 0, 0]
  const readElement = (): number => {
    const b = blob[ipos] as number
    if ((b & 0b1100_0000) !== 0) throw new MalformedBatcherDataError('blob', `field element ${ipos / 32} has its top bits set`)
    output.set(blob.subarray(ipos + 1, ipos + 32), opos)
    opos += 32
    ipos += 32
    return b
  }
  const reassemble = (): void => {
    opos -= 1 // 4 elements yield 127 bytes, not 128
    const [e0, e1, e2, e3] = enc as [number, number, number, number]
    output[opos - 32] = (e2 & 0b0011_1111) | ((e3 & 0b0011_0000) << 2)
    output[opos - 64] = (e1 & 0b0000_1111) | ((e3 & 0b0000_1111) << 4)
    output[opos - 96] = (e0 & 0b0011_1111) | ((e1 & 0b0011_0000) << 2)
  }
  for (let j = 1; j < 4; j++) enc[j] = readElement()
  reassemble()
  for (let round = 1; round < BLOB_ENCODING_ROUNDS && opos < length; round++) {
    for (let j = 0; j < 4; j++) enc[j] = readElement()
    reassemble()
  }
  for (let i = length; i < BLOB_MAX_DATA_SIZE; i++) {
    if (output[i] !== 0) throw new MalformedBatcherDataError('blob', `non-zero byte at output position ${i}, beyond the declared length ${length}`)
  }
  for (let i = ipos; i < BLOB_SIZE; i++) {
    if (blob[i] !== 0) throw new MalformedBatcherDataError('blob', `non-zero byte at blob position ${i}, after the encoded data`)
  }
  return output.slice(0, length)
}
