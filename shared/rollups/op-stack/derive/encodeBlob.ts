/**
 * Bytes → OP blob, the inverse of decodeBlob (op-service/eth/blob.go `FromData`). Used by the devnet batcher and by
 * tests; the result's field elements are always canonical (top 2 bits of each element are 0).
 */
import { BLOB_ENCODING_ROUNDS, BLOB_ENCODING_VERSION, BLOB_MAX_DATA_SIZE, BLOB_SIZE } from './decodeBlob'

export function encodeBlob(data: Uint8Array): Uint8Array {
  if (data.length > BLOB_MAX_DATA_SIZE) throw new RangeError(`blob data too large: ${data.length} > ${BLOB_MAX_DATA_SIZE}`)
  const blob = new Uint8Array(BLOB_SIZE)
  let r = 0
  let w = 0
  const buf31 = new Uint8Array(31)
  const read1 = (): number => (r < data.length ? (data[r++] as number) : 0)
  const read31 = (): void => {
    buf31.fill(0)
    const n = Math.min(31, Math.max(0, data.length - r))
    buf31.set(data.subarray(r, r + n))
    r += n
  }
  const write1 = (v: number): void => {
    blob[w++] = v
  }
  const write31 = (): void => {
    blob.set(buf31, w)
    w += 31
  }
  for (let round = 0; round < BLOB_ENCODING_ROUNDS && r < data.length; round++) {
    if (round === 0) {
      buf31.fill(0)
      buf31[0] = BLOB_ENCODING_VERSION
      buf31[1] = (data.length >> 16) & 0xff
      buf31[2] = (data.length >> 8) & 0xff
      buf31[3] = data.length & 0xff
      const n = Math.min(27, data.length)
      buf31.set(data.subarray(0, n), 4)
      r += n
    } else {
      read31()
    }
    const x = read1()
    write1(x & 0b0011_1111)
    write31()
    read31()
    const y = read1()
    write1((y & 0b0000_1111) | ((x & 0b1100_0000) >> 2))
    write31()
    read31()
    const z = read1()
    write1(z & 0b0011_1111)
    write31()
    read31()
    write1(((z & 0b1100_0000) >> 2) | ((y & 0b1111_0000) >> 4))
    write31()
  }
  return blob
}
