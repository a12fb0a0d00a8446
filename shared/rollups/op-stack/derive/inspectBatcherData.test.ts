import { deflateSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { createNodeDecompressor } from '../../../../electron/services/l1/createNodeDecompressor'
import type { CompressionAlgorithm, Decompressor } from '../../../l1/Decompressor'
import { inspectBatcherData, MAX_DECOMPRESSED_BYTES_PER_INPUT } from './inspectBatcherData'

const chain = { genesisL2Time: 0, blockTime: 2, l2ChainId: 10n }

/** Batcher calldata with `count` one-frame channels, each the same zlib stream. */
function calldataWithChannels(count: number, channel: Uint8Array): Uint8Array {
  const frameLen = 16 + 2 + 4 + channel.length + 1
  const out = new Uint8Array(1 + count * frameLen)
  const view = new DataView(out.buffer)
  let o = 1
  for (let i = 0; i < count; i++) {
    view.setUint32(o + 12, i + 1) // channel id: 12 zero bytes ++ i+1
    view.setUint16(o + 16, 0) // frame 0
    view.setUint32(o + 18, channel.length)
    out.set(channel, o + 22)
    out[o + 22 + channel.length] = 1 // last
    o += frameLen
  }
  return out
}

/** The real node decompressor, counting every byte it hands out. */
function countingDecompressor(): Decompressor & { total: number } {
  const inner = createNodeDecompressor()
  const counter = {
    total: 0,
    async decompress(algorithm: CompressionAlgorithm, input: Uint8Array, max: number) {
      const r = await inner.decompress(algorithm, input, max)
      counter.total += r.output.length
      return r
    },
  }
  return counter
}

describe('inspectBatcherData', () => {
  it('many small decompression bombs in one input share one output budget', async () => {
    // 60 channels of 4 MB of zeros each (≈ 4 KB compressed): 240 MB if each channel had its own budget.
    const bomb = new Uint8Array(deflateSync(new Uint8Array(4 * 1024 * 1024)))
    const input = calldataWithChannels(60, bomb)
    expect(input.length).toBeLessThan(500_000)
    const decompressor = countingDecompressor()
    const result = await inspectBatcherData(input, { decompressor, chain, maxRlpBytes: 100_000_000 })
    expect(result.channels).toHaveLength(60)
    expect(decompressor.total).toBeLessThanOrEqual(MAX_DECOMPRESSED_BYTES_PER_INPUT)
    const sum = result.channels.reduce((a, c) => a + (c.decompressedBytes ?? 0), 0)
    expect(sum).toBeLessThanOrEqual(MAX_DECOMPRESSED_BYTES_PER_INPUT)
    const skipped = result.channels.filter((c) => c.stopReason?.includes('decompression budget'))
    expect(skipped.length).toBeGreaterThan(0)
    // The first channels are read in full: the budget only ends the tail.
    expect(result.channels[0]?.decompressedBytes).toBe(4 * 1024 * 1024)
  })
})
