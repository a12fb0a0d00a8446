/**
 * The decompression port (shared/ cannot import node:zlib). Implemented with node:zlib in
 * electron/services/l1/createNodeDecompressor.ts. Output is always bounded by `maxOutputLength`: a decompression
 * bomb yields at most that many bytes and `clipped: true`, never an allocation beyond it.
 */
export type CompressionAlgorithm = 'zlib' | 'brotli'

export interface DecompressResult {
  /** The decompressed bytes, at most `maxOutputLength` of them. */
  output: Uint8Array
  /** True when the stream had more output than `maxOutputLength` (output is the first `maxOutputLength` bytes). */
  clipped: boolean
  /**
   * Set when the stream was truncated or corrupt; `output` then holds what could be decoded before that point
   * (derivation keeps batches that decode completely from it, like op-node's streaming reader).
   */
  error?: string
}

export interface Decompressor {
  /** RFC 1950 zlib (no dictionary) or RFC 7932 brotli. Never throws for bad input; reports it in `error`. */
  decompress(algorithm: CompressionAlgorithm, input: Uint8Array, maxOutputLength: number): Promise<DecompressResult>
}
