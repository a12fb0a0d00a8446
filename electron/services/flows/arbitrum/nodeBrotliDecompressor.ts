/**
 * The BrotliDecompressor port over node:zlib. `maxOutputLength` makes zlib stop allocating at the bound and throw
 * ERR_BUFFER_TOO_LARGE, which we report as `too-large` (decompression bombs never reach memory).
 */
import { brotliDecompressSync } from 'node:zlib'
import type { BrotliDecompressor, DecompressResult } from '../../../../shared/rollups/arbitrum-nitro/derive/BrotliDecompressor'

export const nodeBrotliDecompressor: BrotliDecompressor = {
  decompress(input: Uint8Array, maxOutputBytes: number): DecompressResult {
    try {
      const out = brotliDecompressSync(input, { maxOutputLength: Math.max(1, maxOutputBytes) })
      return { ok: true, data: new Uint8Array(out.buffer, out.byteOffset, out.byteLength) }
    } catch (error) {
      const code = (error as { code?: string }).code
      if (code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
        return { ok: false, reason: 'too-large', message: `output exceeds ${maxOutputBytes} bytes` }
      }
      return { ok: false, reason: 'corrupt', message: (error as Error).message }
    }
  },
}
