/**
 * OP derivation benchmarks: span-batch channel decode vs bare decompression of the same bytes (goal ≤ 2×), and a
 * seeded fuzz run of ≥ 10^5 mutated frames/channels/batches/blobs reporting throughput and unclassified errors.
 */
import { brotliCompressSync, brotliDecompressSync, constants as zc, inflateSync } from 'node:zlib'
import type { BenchRow } from './types'
import { createNodeDecompressor } from '../electron/services/l1/createNodeDecompressor'
import { readChannel } from '../shared/rollups/op-stack/derive/readChannel'
import { loadFuzzCorpus, runDecoderFuzz } from '../shared/rollups/op-stack/derive/test-support/fuzzDecoders'
import { readVectorHex } from '../shared/rollups/op-stack/derive/test-support/vectors'

const OP_MAINNET = { genesisL2Time: 1686068903, blockTime: 2, l2ChainId: 10 }

async function median(runs: number, f: () => unknown): Promise<number> {
  const times: number[] = []
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    await f()
    times.push(performance.now() - t)
  }
  times.sort((a, b) => a - b)
  return times[Math.floor(times.length / 2)] as number
}

export default async function (): Promise<BenchRow[]> {
  const decompressor = createNodeDecompressor()
  const zlibChannel = readVectorHex('op/derive/op-mainnet-span-batch-channel.hex')
  const raw = inflateSync(zlibChannel, { finishFlush: zc.Z_SYNC_FLUSH })
  const brotliBody = brotliCompressSync(raw, { params: { [zc.BROTLI_PARAM_QUALITY]: 9, [zc.BROTLI_PARAM_LGWIN]: 22 } })
  const brotliChannel = new Uint8Array(brotliBody.length + 1)
  brotliChannel[0] = 1
  brotliChannel.set(brotliBody, 1)
  const params = { decompressor, maxRlpBytes: 100_000_000, isFjord: true, isDelta: true, chain: OP_MAINNET }
  // sanity: the channel decodes to the 143-block span batch
  const check = await readChannel(zlibChannel, params)
  if (check.batches.length !== 1) throw new Error('bench channel did not decode')

  const runs = 25
  const zlibDecode = await median(runs, () => readChannel(zlibChannel, params))
  // Baseline: the same inflate call the decompressor port makes (bounded output), so the ratio is conservative.
  const zlibBare = await median(runs, () => inflateSync(zlibChannel, { finishFlush: zc.Z_SYNC_FLUSH, maxOutputLength: 100_000_000 }))
  const brotliDecode = await median(runs, () => readChannel(brotliChannel, params))
  const brotliBare = await median(runs, () => brotliDecompressSync(brotliBody, { maxOutputLength: 100_000_000 }))

  const fuzz = await runDecoderFuzz({ cases: 100_000, seed: 0x5eed, decompressor, corpus: loadFuzzCorpus(), maxRlpBytes: 2_000_000 })
  const zr = zlibDecode / zlibBare
  const br = brotliDecode / brotliBare
  return [
    { name: 'span-batch channel decode, zlib (143 blocks, 1766 txs, real OP Mainnet)', value: round(zlibDecode), unit: 'ms', note: `bare inflate ${round(zlibBare)} ms` },
    { name: 'span-batch channel decode ÷ bare inflate', value: round(zr), unit: 'x', goal: '≤ 2× bare inflate', met: zr <= 2 },
    { name: 'span-batch channel decode, brotli (same batch re-compressed)', value: round(brotliDecode), unit: 'ms', note: `bare brotli ${round(brotliBare)} ms` },
    { name: 'span-batch channel decode ÷ bare brotli', value: round(br), unit: 'x', goal: '≤ 2× bare brotli', met: br <= 2 },
    { name: 'decoder fuzz cases (mutated frames/channels/batches/blobs/L1-info)', value: fuzz.cases, unit: 'cases', goal: '≥ 100000', met: fuzz.cases >= 100_000 },
    { name: 'decoder fuzz throughput', value: Math.round(fuzz.cases / (fuzz.ms / 1000)), unit: 'cases/s', note: `${fuzz.classifiedErrors} classified errors, ${fuzz.accepted} accepted` },
    { name: 'decoder fuzz unclassified errors', value: fuzz.unclassified.length, unit: 'errors', goal: '0', met: fuzz.unclassified.length === 0, note: fuzz.unclassified[0]?.error.split('\n')[0] ?? '' },
    { name: 'decoder fuzz max decompressed bytes', value: fuzz.maxDecompressedBytes, unit: 'bytes', goal: `≤ ${fuzz.limit}`, met: fuzz.maxDecompressedBytes <= fuzz.limit },
  ]
}

function round(x: number): number {
  return Math.round(x * 100) / 100
}
