/**
 * The Decompressor port over node:zlib. Fast path: one synchronous call bounded by `maxOutputLength`. Slow path, only
 * for bad or oversized streams: a streaming decoder that stops at the limit (so a bomb cannot exhaust memory) and keeps
 * the output produced before a truncation or corruption point.
 */
import zlib from 'node:zlib'
import type { CompressionAlgorithm, DecompressResult, Decompressor } from '../../../shared/l1/Decompressor'

const STREAM_CHUNK = 16 * 1024

export function createNodeDecompressor(): Decompressor {
  return {
    async decompress(algorithm, input, maxOutputLength) {
      const fast = tryFast(algorithm, input, maxOutputLength)
      if (fast) return fast
      return streamDecompress(algorithm, input, maxOutputLength)
    },
  }
}

function tryFast(algorithm: CompressionAlgorithm, input: Uint8Array, max: number): DecompressResult | undefined {
  try {
    const out =
      algorithm === 'zlib'
        ? // Z_SYNC_FLUSH: op-batcher channels may end without the final block/adler32 (the real vector does).
          zlib.inflateSync(input, { finishFlush: zlib.constants.Z_SYNC_FLUSH, maxOutputLength: Math.max(1, max) })
        : zlib.brotliDecompressSync(input, { maxOutputLength: Math.max(1, max) })
    if (out.length > max) return undefined
    return { output: new Uint8Array(out.buffer, out.byteOffset, out.length), clipped: false }
  } catch {
    return undefined // oversized, truncated (brotli) or corrupt: take the careful path
  }
}

function streamDecompress(algorithm: CompressionAlgorithm, input: Uint8Array, max: number): Promise<DecompressResult> {
  return new Promise((resolve) => {
    const engine =
      algorithm === 'zlib'
        ? zlib.createInflate({ finishFlush: zlib.constants.Z_SYNC_FLUSH, chunkSize: STREAM_CHUNK })
        : zlib.createBrotliDecompress({ chunkSize: STREAM_CHUNK })
    const chunks: Buffer[] = []
    let total = 0
    let clipped = false
    let done = false
    const finish = (error?: string): void => {
      if (done) return
      done = true
      const output = new Uint8Array(total)
      let o = 0
      for (const c of chunks) {
        output.set(c, o)
        o += c.length
      }
      resolve(error === undefined ? { output, clipped } : { output, clipped, error })
    }
    engine.on('data', (chunk: Buffer) => {
      if (clipped) return
      const take = Math.min(chunk.length, max - total)
      if (take > 0) {
        chunks.push(chunk.subarray(0, take))
        total += take
      }
      if (take < chunk.length || total >= max) {
        // At the limit: is there more? Any byte beyond it means the channel is clipped. Stop inflating now.
        if (take < chunk.length) clipped = true
        engine.destroy()
        finish()
      }
    })
    engine.on('error', (e: Error) => finish(e.message))
    engine.on('end', () => finish())
    engine.on('close', () => finish())
    engine.end(input)
  })
}
