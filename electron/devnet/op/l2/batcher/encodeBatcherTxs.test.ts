/**
 * The batcher encoding alone, for what the devnet round trip does not reach: a channel too big for one frame is split
 * into ordered frames (calldata: one per tx, each ≤ 120,000 bytes; blobs: one per blob, at most 6 blobs per tx) whose
 * data reassembles to the channel, and the channel decodes (brotli, RLP string, span batch) back to the blocks' sequenced
 * transactions with deposits left out.
 */
import { randomBytes } from 'node:crypto'
import { brotliDecompressSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { bytesToHex, keccak256, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { decodeBatch } from '../../../../../shared/rollups/op-stack/derive/decodeBatch'
import { decodeBlob } from '../../../../../shared/rollups/op-stack/derive/decodeBlob'
import { deriveSpanBatch } from '../../../../../shared/rollups/op-stack/derive/deriveSpanBatch'
import { parseFrames } from '../../../../../shared/rollups/op-stack/derive/parseFrames'
import { RlpReader } from '../../../../../shared/rollups/op-stack/derive/rlpReader'
import type { OpL2Block, OpL2Transaction } from '../types'
import { CALLDATA_MAX_TX_BYTES, encodeBatcherTxs, encodeChannel, MAX_BLOBS_PER_TX } from './encodeBatcherTxs'

const CHAIN = { genesisL2Time: 1_700_000_000, l2ChainId: 901, blockTime: 2 }
const account = privateKeyToAccount(`0x${'42'.repeat(32)}`)
const tx = (raw: Hex, deposit: boolean): OpL2Transaction =>
  ({ raw, hash: keccak256(raw), deposit, index: 0, type: deposit ? 0x7e : 2, from: account.address, to: null, receipt: {} as never, gasUsed: 0n, effectiveGasPrice: 0n, contractAddress: null, firstLogIndex: 0 }) as OpL2Transaction

/** Blocks whose sequenced txs carry `bytesPerBlock` of incompressible calldata each. */
async function blocks(count: number, bytesPerBlock: number): Promise<OpL2Block[]> {
  const out: OpL2Block[] = []
  for (let i = 1; i <= count; i++) {
    const signed = await account.signTransaction({ type: 'eip1559', chainId: 901, nonce: i, to: account.address, gas: 30_000_000n, maxFeePerGas: 2n, maxPriorityFeePerGas: 1n, data: bytesToHex(randomBytes(bytesPerBlock)) })
    out.push({
      number: BigInt(i),
      hash: keccak256(`0x0${i}`),
      header: { parentHash: keccak256(`0x1${i}`), timestamp: BigInt(CHAIN.genesisL2Time + 2 * i) } as OpL2Block['header'],
      transactions: [tx('0x7e00', true), tx(signed, false)],
      l1Origin: { number: 100n + BigInt(i >> 2), hash: keccak256(`0x2${i}`), timestamp: 0n },
      sequenceNumber: 0n,
      depositCount: 1,
      stateRoot: keccak256('0x'),
      messagePasserStorageRoot: keccak256('0x'),
      outputRoot: keccak256('0x'),
    })
  }
  return out
}

function expectChannelDecodesTo(channel: Uint8Array, want: OpL2Block[]): void {
  expect(channel[0]).toBe(0x01) // Fjord channel version: brotli
  const rlp = new RlpReader(new Uint8Array(brotliDecompressSync(channel.subarray(1))), 'channel')
  const raw = decodeBatch(rlp.readBytes())
  if (raw.type !== 'span') throw new Error('expected a span batch')
  const span = deriveSpanBatch(raw, CHAIN)
  expect(span.blocks.map((b) => b.transactions.map((t) => bytesToHex(t)))).toEqual(want.map((b) => b.transactions.filter((t) => !t.deposit).map((t) => t.raw)))
  expect(span.blocks.map((b) => [b.timestamp, b.epochNum])).toEqual(want.map((b) => [b.header.timestamp, b.l1Origin.number]))
}

describe('batcher encoding', () => {
  it('splits a large channel into ordered calldata frames that reassemble and decode to the blocks', async () => {
    const bs = await blocks(5, 60_000)
    const id = randomBytes(16)
    const txs = encodeBatcherTxs(bs, CHAIN, 'calldata', id)
    expect(txs.length).toBeGreaterThanOrEqual(3)
    const frames = txs.map((t) => {
      if (t.mode !== 'calldata') throw new Error('calldata expected')
      expect(t.data.length).toBeLessThanOrEqual(CALLDATA_MAX_TX_BYTES)
      const f = parseFrames(t.data)
      expect(f).toHaveLength(1)
      return f[0]!
    })
    expect(frames.map((f) => [f.channelId, f.frameNumber, f.isLast])).toEqual(frames.map((_, i) => [Buffer.from(id).toString('hex'), i, i === frames.length - 1]))
    const channel = Buffer.concat(frames.map((f) => f.data))
    expect(channel.equals(Buffer.from(encodeChannel(bs, CHAIN)))).toBe(true)
    expectChannelDecodesTo(channel, bs)
  })

  it('puts one frame per blob and at most 6 blobs per transaction', async () => {
    const bs = await blocks(8, 120_000)
    const txs = encodeBatcherTxs(bs, CHAIN, 'blob')
    const blobs = txs.flatMap((t) => (t.mode === 'blob' ? t.blobs : []))
    expect(blobs.length).toBeGreaterThan(MAX_BLOBS_PER_TX)
    expect(txs.map((t) => (t.mode === 'blob' ? t.blobs.length : 0))).toEqual([MAX_BLOBS_PER_TX, blobs.length - MAX_BLOBS_PER_TX])
    const frames = blobs.map((b) => parseFrames(decodeBlob(b)))
    expect(frames.every((f) => f.length === 1)).toBe(true)
    expectChannelDecodesTo(Buffer.concat(frames.map((f) => f[0]!.data)), bs)
  })
})
