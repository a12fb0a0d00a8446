/**
 * Seeded fuzz over mutated frames, channels, batches, blobs and L1-info calldata (a few thousand cases here; the
 * benchmark runs ≥ 10^5): every failure is classified, decompression never exceeds the limit, and bombs are clipped.
 */
import { describe, expect, it } from 'vitest'
import { deflateSync, brotliCompressSync, constants as zc } from 'node:zlib'
import { createNodeDecompressor } from '../../../../electron/services/l1/createNodeDecompressor'
import { loadFuzzCorpus, runDecoderFuzz } from './test-support/fuzzDecoders'
import { readChannel } from './readChannel'

const decompressor = createNodeDecompressor()
const chain = { genesisL2Time: 1686068903, blockTime: 2, l2ChainId: 10 }

describe('decoder fuzz', () => {
  it('4000 seeded mutations: only classified errors, output within the limit', async () => {
    const corpus = loadFuzzCorpus()
    const report = await runDecoderFuzz({ cases: 4000, seed: 0xe5c4, decompressor, corpus, maxRlpBytes: 2_000_000 })
    expect(report.unclassified).toEqual([])
    expect(report.cases).toBe(4000)
    expect(report.classifiedErrors).toBeGreaterThan(500) // the mutations do hit error paths
    expect(report.accepted).toBeGreaterThan(100) // …and valid paths
    expect(report.maxDecompressedBytes).toBeLessThanOrEqual(report.limit)
  }, 120_000)

  it('clips zlib and brotli decompression bombs at the channel limit', async () => {
    const zeros = Buffer.alloc(40_000_000)
    const limit = 5_000_000
    for (const [name, channel] of [
      ['zlib', new Uint8Array(deflateSync(zeros, { level: 9 }))],
      ['brotli', new Uint8Array([1, ...brotliCompressSync(zeros, { params: { [zc.BROTLI_PARAM_QUALITY]: 4 } })])],
    ] as const) {
      expect(channel.length, name).toBeLessThan(100_000)
      const r = await readChannel(channel, { decompressor, maxRlpBytes: limit, isFjord: true, isDelta: true, chain })
      expect(r.decompressedLength, name).toBe(limit)
      expect(r.clipped, name).toBe(true)
      expect(r.batches).toEqual([]) // zeros are RLP single bytes 0x00, not strings: reading stops
    }
  }, 60_000)

  it('keeps the batches before a truncation point (partial streams)', async () => {
    const corpus = loadFuzzCorpus()
    const r = await readChannel(corpus.zlibChannel, { decompressor, maxRlpBytes: 10_000_000, isFjord: false, isDelta: true, chain })
    // The 20 kB prefix of the real channel cannot hold the whole 1.4 MB span batch: no batch, a classified stop.
    expect(r.batches.length).toBe(0)
    expect(r.stopReason).toMatch(/exceeds available input|compressed stream/)
  })
})
