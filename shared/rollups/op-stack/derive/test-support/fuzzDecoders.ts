/**
 * Seeded fuzzing of every decoder that sees untrusted L1 bytes: frames, channels (zlib + brotli, bounded), batches
 * (singular + span, then derivation of span blocks), blobs and L1-info calldata. Inputs are mutations of real vectors.
 * A run passes when every failure is a MalformedBatcherDataError (classified) and no decompression output exceeds the
 * limit. Shared by the unit test (a few thousand cases) and the benchmark (≥ 10^5 cases).
 */
import { brotliCompressSync, constants as zc, inflateSync } from 'node:zlib'
import type { Decompressor } from '../../../../l1/Decompressor'
import { decodeBatch } from '../decodeBatch'
import { decodeBlob } from '../decodeBlob'
import { deriveSpanBatch } from '../deriveSpanBatch'
import { encodeBlob } from '../encodeBlob'
import { MalformedBatcherDataError } from '../errors'
import { decodeL1InfoCalldata } from '../l1Info'
import { parseFrames } from '../parseFrames'
import { readChannel } from '../readChannel'
import { readVectorBytes, readVectorHex, readVectorJson } from '../../../../../fixtures/vectors'
import { concatBytes } from '../../../../eth/bytes'

export interface FuzzReport {
  cases: number
  byTarget: Record<string, number>
  msByTarget: Record<string, number>
  classifiedErrors: number
  accepted: number
  unclassified: { target: string; error: string }[]
  maxDecompressedBytes: number
  limit: number
  ms: number
}

/** xorshift32: deterministic, seedable. */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1
  return () => {
    x ^= x << 13
    x >>>= 0
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    return x / 0x100000000
  }
}

function mutate(input: Uint8Array, r: () => number): Uint8Array {
  const int = (n: number): number => Math.floor(r() * n)
  let b: Uint8Array = input.slice()
  const ops = 1 + int(4)
  for (let k = 0; k < ops; k++) {
    const at = int(Math.max(1, b.length))
    switch (int(8)) {
      case 0: // flip a bit
        if (b.length) b[at] = (b[at] as number) ^ (1 << int(8))
        break
      case 1: // random byte
        if (b.length) b[at] = int(256)
        break
      case 2: // truncate
        b = b.slice(0, at)
        break
      case 3: { // insert random bytes
        const ins = new Uint8Array(1 + int(16)).map(() => int(256))
        b = joinBytes(b.subarray(0, at), ins, b.subarray(at))
        break
      }
      case 4: // 0xff run: huge varints / lengths
        for (let i = at; i < Math.min(b.length, at + 1 + int(10)); i++) b[i] = 0xff
        break
      case 5: // zero run
        for (let i = at; i < Math.min(b.length, at + 1 + int(32)); i++) b[i] = 0
        break
      case 6: { // duplicate a slice
        const len = int(64)
        b = joinBytes(b.subarray(0, at), b.subarray(at, at + len), b.subarray(at))
        break
      }
      default: // drop a slice
        b = joinBytes(b.subarray(0, at), b.subarray(at + int(64)))
    }
  }
  return b
}

const joinBytes = (...parts: Uint8Array[]): Uint8Array => concatBytes(parts)

export interface FuzzCorpus {
  batcherCalldata: Uint8Array
  zlibChannel: Uint8Array
  brotliChannel: Uint8Array
  spanBatch: Uint8Array
  syntheticSpanBody: Uint8Array
  blob: Uint8Array
  l1Info: Uint8Array[]
}

export function loadFuzzCorpus(): FuzzCorpus {
  const tx = readVectorBytes('op/derive/op-mainnet-batcher-tx.bin')
  const channel = readVectorHex('op/derive/op-mainnet-span-batch-channel.hex')
  const raw = new Uint8Array(inflateSync(channel, { finishFlush: zc.Z_SYNC_FLUSH }))
  const firstBatchLen = rlpStringSpan(raw)
  const spanBatch = raw.subarray(firstBatchLen.start, firstBatchLen.end)
  const small = spanBatch.subarray(0, 40_000) // keep cases cheap; truncation is itself a mutation
  const l1InfoVectors = readVectorJson<{ calldataVectors: { calldata: string }[] }>('op/derive/l1-info-vectors.json')
  return {
    batcherCalldata: findCalldata(tx),
    zlibChannel: channel.subarray(0, 20_000),
    brotliChannel: joinBytes(new Uint8Array([1]), brotliCompressSync(raw.subarray(0, 40_000), { params: { [zc.BROTLI_PARAM_QUALITY]: 5 } })),
    spanBatch: small,
    syntheticSpanBody: readVectorBytes('op/derive/synthetic-span-batch-v1-random.bin'),
    blob: encodeBlob(raw.subarray(0, 120_000)),
    l1Info: l1InfoVectors.calldataVectors.map((v) => new Uint8Array(Buffer.from(v.calldata.slice(2), 'hex'))),
  }
}

function findCalldata(tx: Uint8Array): Uint8Array {
  // The derivation version byte 0x00 followed by the 16-byte channel id ac3299…: the frame starts there.
  const marker = Buffer.from('00ac329933f5efdcc35ccd284232a376d3', 'hex')
  const i = Buffer.from(tx).indexOf(marker)
  return tx.subarray(i, i + 119_823)
}

function rlpStringSpan(b: Uint8Array): { start: number; end: number } {
  const first = b[0] as number
  if (first < 0xb8) return { start: 1, end: 1 + first - 0x80 }
  const ll = first - 0xb7
  let len = 0
  for (let i = 0; i < ll; i++) len = len * 256 + (b[1 + i] as number)
  return { start: 1 + ll, end: 1 + ll + len }
}

const OP_MAINNET = { genesisL2Time: 1686068903, blockTime: 2, l2ChainId: 10 }

export async function runDecoderFuzz(p: { cases: number; seed: number; decompressor: Decompressor; corpus?: FuzzCorpus; maxRlpBytes?: number }): Promise<FuzzReport> {
  const corpus = p.corpus ?? loadFuzzCorpus()
  const r = rng(p.seed)
  const limit = p.maxRlpBytes ?? 2_000_000
  let maxOut = 0
  const decompressor: Decompressor = {
    async decompress(algo, input, max) {
      const res = await p.decompressor.decompress(algo, input, max)
      maxOut = Math.max(maxOut, res.output.length)
      return res
    },
  }
  const report: FuzzReport = { cases: 0, byTarget: {}, msByTarget: {}, classifiedErrors: 0, accepted: 0, unclassified: [], maxDecompressedBytes: 0, limit, ms: 0 }
  const t0 = performance.now()
  const targets: [string, () => Promise<void> | void][] = [
    ['frames', () => void parseFrames(mutate(corpus.batcherCalldata, r))],
    ['zlib-channel', async () => void (await readChannel(mutate(corpus.zlibChannel, r), { decompressor, maxRlpBytes: limit, isFjord: true, isDelta: true, chain: OP_MAINNET }))],
    ['brotli-channel', async () => void (await readChannel(mutate(corpus.brotliChannel, r), { decompressor, maxRlpBytes: limit, isFjord: true, isDelta: true, chain: OP_MAINNET }))],
    ['span-batch', () => {
      const b = decodeBatch(mutate(corpus.spanBatch, r))
      if (b.type === 'span') deriveSpanBatch(b, OP_MAINNET)
    }],
    ['synthetic-span-batch', () => {
      const b = decodeBatch(joinBytes(new Uint8Array([1]), mutate(corpus.syntheticSpanBody, r)))
      if (b.type === 'span') deriveSpanBatch(b, OP_MAINNET)
    }],
    ['singular-batch', () => void decodeBatch(mutate(joinBytes(new Uint8Array([0]), corpus.spanBatch.subarray(1, 2000)), r))],
    ['blob', () => void decodeBlob(mutate(corpus.blob, r).subarray(0, 131_072))],
    ['l1-info', () => void decodeL1InfoCalldata(mutate(corpus.l1Info[Math.floor(r() * corpus.l1Info.length)] as Uint8Array, r))],
  ]
  for (let i = 0; i < p.cases; i++) {
    const [name, run] = targets[i % targets.length] as [string, () => Promise<void> | void]
    report.byTarget[name] = (report.byTarget[name] ?? 0) + 1
    report.cases++
    const t = performance.now()
    try {
      await run()
      report.accepted++
    } catch (e) {
      if (e instanceof MalformedBatcherDataError) report.classifiedErrors++
      else if (report.unclassified.length < 20) report.unclassified.push({ target: name, error: String((e as Error)?.stack ?? e) })
      else report.unclassified.push({ target: name, error: 'more…' })
    }
    report.msByTarget[name] = (report.msByTarget[name] ?? 0) + performance.now() - t
  }
  report.maxDecompressedBytes = maxOut
  report.ms = performance.now() - t0
  return report
}
