/**
 * Port for bounded brotli decompression. shared/ cannot use node:zlib, so the Node side implements this
 * (electron/services/flows/arbitrum/nodeBrotliDecompressor.ts). The bound is part of the contract: an implementation
 * must stop at `maxOutputBytes` and report `too-large` instead of allocating more (decompression bombs).
 */
export type DecompressResult =
  | { ok: true; data: Uint8Array }
  | { ok: false; reason: 'too-large' | 'corrupt'; message: string }

export interface BrotliDecompressor {
  decompress(input: Uint8Array, maxOutputBytes: number): DecompressResult
}
