import { brotliCompressSync } from 'node:zlib'
import { encode as encodeRlp } from '@ethereumjs/rlp'
import { bytesToHex, hexToBytes, type Hex } from 'viem'
import { describe, expect, it } from 'vitest'
import { nodeBrotliDecompressor } from '../../../../electron/services/flows/arbitrum/nodeBrotliDecompressor'
import { decodeBatch } from './decodeBatch'
import { encodeBatchHeader, parseSequencerMessage } from './sequencerMessage'
import { readVectorJson } from '../../../../fixtures/vectors'

const readJson = (name: string): unknown => readVectorJson(`arbitrum/${name}`)

describe('decodeBatch on the real Arbitrum One batch (vectors/arbitrum/arb1-batch-data.json)', () => {
  const batch = readJson('arb1-batch-data.json') as { data: Hex }
  const expected = (readJson('arb1-batch-data.expected.json') as { expected: Record<string, unknown> }).expected as {
    payloadLength: number
    decompressedLength: number
    segmentCount: number
    l2MessageCount: number
    signedTxCount: number
    firstTxHash: string
    lastTxHash: string
    finalRunningTimestamp: number
    finalRunningL1BlockNumber: number
    messages: { index: number; l2Kind: number; unclampedTimestamp: number; unclampedL1BlockNumber: number; txHashes: string[] }[]
  }
  const decoded = decodeBatch({ data: hexToBytes(batch.data), chainId: 42161n, decompressor: nodeBrotliDecompressor })

  it('gives the facts of its README: 356 segments, 278 L2 messages, 622 signed txs', () => {
    expect(hexToBytes(batch.data).length).toBe(expected.payloadLength)
    expect(decoded.payloadKind).toBe('brotli')
    expect(decoded.decompressedLength).toBe(expected.decompressedLength)
    expect(decoded.segmentCount).toBe(expected.segmentCount)
    expect(decoded.segmentKindCounts).toEqual({ 0: 278, 3: 72, 4: 6 })
    expect(decoded.messages).toHaveLength(expected.l2MessageCount)
    expect(decoded.l2MessageKindCounts).toEqual({ 3: 152, 4: 126 })
    expect(decoded.transactionCount).toBe(expected.signedTxCount)
    expect(decoded.warnings).toEqual([])
  })

  it('reproduces every message kind, running timestamp, L1 block and tx hash in order', () => {
    const txs = decoded.messages.flatMap((m) => m.transactions)
    expect(txs[0]?.hash).toBe(expected.firstTxHash)
    expect(txs.at(-1)?.hash).toBe(expected.lastTxHash)
    expect(
      decoded.messages.map((m) => ({
        index: m.index,
        l2Kind: m.l2Kind,
        unclampedTimestamp: Number(m.unclampedTimestamp),
        unclampedL1BlockNumber: Number(m.unclampedL1BlockNumber),
        txHashes: m.transactions.map((t) => t.hash),
      })),
    ).toEqual(expected.messages.map(({ index, l2Kind, unclampedTimestamp, unclampedL1BlockNumber, txHashes }) => ({ index, l2Kind, unclampedTimestamp, unclampedL1BlockNumber, txHashes })))
    const last = decoded.messages.at(-1)
    expect(last?.unclampedTimestamp).toBe(BigInt(expected.finalRunningTimestamp))
    expect(last?.unclampedL1BlockNumber).toBe(BigInt(expected.finalRunningL1BlockNumber))
  })

  it('counts chain ids and types as the README does (612 on 42161, 10 pre-EIP-155; 387 type-2, 235 legacy)', () => {
    const txs = decoded.messages.flatMap((m) => m.transactions)
    expect(txs.filter((t) => t.chainId === 42161n)).toHaveLength(612)
    expect(txs.filter((t) => t.chainId === undefined)).toHaveLength(10)
    expect(txs.filter((t) => t.type === 'eip1559')).toHaveLength(387)
    expect(txs.filter((t) => t.type === 'legacy')).toHaveLength(235)
  })

  it('clamps timestamps and L1 blocks into the header bounds', () => {
    const header = { minTimestamp: 1696253800n, maxTimestamp: 1696253810n, minL1Block: 18263185n, maxL1Block: 18263189n, afterDelayedMessagesRead: 0n }
    const clamped = decodeBatch({ data: hexToBytes(batch.data), header, chainId: 42161n, decompressor: nodeBrotliDecompressor })
    expect(clamped.messages[0]?.timestamp).toBe(1696253800n)
    expect(clamped.messages[0]?.l1BlockNumber).toBe(18263185n)
    expect(clamped.messages.at(-1)?.timestamp).toBe(1696253810n)
    expect(clamped.messages.at(-1)?.l1BlockNumber).toBe(18263189n)
    expect(clamped.transactionCount).toBe(622)
  })
})

describe('decodeBatch on the Nitro devnet sequencer message (vectors/arbitrum/nitro-block-inputs.json)', () => {
  const inputs = readJson('nitro-block-inputs.json') as { BatchInfo: { Number: number; DataB64: string }[] }
  const expected = (readJson('nitro-block-inputs.expected.json') as { expected: { batch: Record<string, unknown> } }).expected.batch as {
    header: { minTimestamp: number; maxTimestamp: number; minL1Block: number; maxL1Block: number; afterDelayedMessagesRead: number }
    txs: { hash: string; chainId: number; nonce: string }[]
  }
  const message = Uint8Array.from(Buffer.from(inputs.BatchInfo[0]!.DataB64, 'base64'))
  const { header } = parseSequencerMessage(message)

  it('reads the 40-byte header', () => {
    expect(header).toEqual({
      minTimestamp: BigInt(expected.header.minTimestamp),
      maxTimestamp: BigInt(expected.header.maxTimestamp),
      minL1Block: BigInt(expected.header.minL1Block),
      maxL1Block: BigInt(expected.header.maxL1Block),
      afterDelayedMessagesRead: BigInt(expected.header.afterDelayedMessagesRead),
    })
    expect(encodeBatchHeader(header)).toEqual(message.subarray(0, 40))
  })

  it('gives the two signed txs of chain 412346 (delayed inbox already read up to 1)', () => {
    const decoded = decodeBatch({ data: message.subarray(40), header, delayedMessagesReadBefore: 1n, chainId: 412346n, decompressor: nodeBrotliDecompressor })
    const txs = decoded.messages.flatMap((m) => m.transactions)
    expect(txs.map((t) => ({ hash: t.hash, chainId: Number(t.chainId), nonce: String(t.nonce) }))).toEqual(
      expected.txs.map((t) => ({ hash: t.hash, chainId: t.chainId, nonce: t.nonce })),
    )
    expect(decoded.messages).toHaveLength(2)
  })
})

describe('decodeBatch: Nitro multiplexer rules on built batches', () => {
  const seg = (kind: number, body: Uint8Array = new Uint8Array()): Uint8Array => encodeRlp(Uint8Array.of(kind, ...body))
  const brotliBatch = (...segments: Uint8Array[]): Uint8Array => {
    const stream = Uint8Array.from(Buffer.concat(segments))
    return Uint8Array.of(0, ...brotliCompressSync(stream))
  }
  const header = (afterDelayedMessagesRead: bigint) => ({ minTimestamp: 0n, maxTimestamp: 2n ** 64n - 1n, minL1Block: 0n, maxL1Block: 2n ** 64n - 1n, afterDelayedMessagesRead })

  it('a NoData force-inclusion batch (empty data) yields the forced delayed messages as virtual segments', () => {
    const decoded = decodeBatch({ data: new Uint8Array(), header: header(5n), delayedMessagesReadBefore: 2n, chainId: 1n, decompressor: nodeBrotliDecompressor })
    expect(decoded.messages.map((m) => [m.source, m.delayedIndex])).toEqual([
      ['delayed', 2n],
      ['delayed', 3n],
      ['delayed', 4n],
    ])
  })

  it('an empty batch with no new delayed messages yields exactly one invalid message', () => {
    const decoded = decodeBatch({ data: new Uint8Array(), header: header(2n), delayedMessagesReadBefore: 2n, chainId: 1n, decompressor: nodeBrotliDecompressor })
    expect(decoded.messages.map((m) => m.source)).toEqual(['invalid'])
  })

  it('a delayed segment beyond afterDelayedMessagesRead and an unknown segment kind are invalid messages', () => {
    const data = brotliBatch(seg(9), seg(2), seg(2))
    const decoded = decodeBatch({ data, header: header(1n), chainId: 1n, decompressor: nodeBrotliDecompressor })
    expect(decoded.messages.map((m) => m.source)).toEqual(['invalid', 'delayed', 'invalid'])
  })

  it('a corrupt brotli stream is an empty batch (with a warning), as in Nitro', () => {
    const decoded = decodeBatch({ data: Uint8Array.of(0, 1, 2, 3, 4), header: header(0n), chainId: 1n, decompressor: nodeBrotliDecompressor })
    expect(decoded.segmentCount).toBe(0)
    expect(decoded.messages.map((m) => m.source)).toEqual(['invalid'])
    expect(decoded.warnings[0]).toMatch(/not valid brotli/)
  })

  it('a decompression bomb stops at the bound', () => {
    const bomb = Uint8Array.of(0, ...brotliCompressSync(new Uint8Array(64 * 1024 * 1024)))
    expect(bomb.length).toBeLessThan(10_000)
    const decoded = decodeBatch({ data: bomb, header: header(0n), chainId: 1n, decompressor: nodeBrotliDecompressor })
    expect(decoded.segmentCount).toBe(0)
    expect(decoded.warnings[0]).toMatch(/more than 16777216 bytes/)
  })

  it('a nested batch whose inner message fails drops the whole L2 message', () => {
    const inner = Uint8Array.of(7) // SignedCompressedTx: unimplemented
    const lenPrefix = new Uint8Array(8)
    lenPrefix[7] = inner.length
    const l2 = Uint8Array.of(3, ...lenPrefix, ...inner)
    const decoded = decodeBatch({ data: brotliBatch(seg(0, l2)), header: header(0n), chainId: 1n, decompressor: nodeBrotliDecompressor })
    expect(decoded.messages[0]?.transactions).toEqual([])
    expect(decoded.messages[0]?.error).toMatch(/SignedCompressedTx/)
  })

  it('an AnyTrust certificate is reported as data not on L1', () => {
    const cert = new Uint8Array(1 + 32 + 32 + 8 + 8 + 96)
    cert[0] = 0x80
    cert.fill(0xff, 65, 73) // timeout: far enough past the batch for ArbOS to accept the certificate
    const decoded = decodeBatch({ data: cert, header: header(0n), chainId: 1n, decompressor: nodeBrotliDecompressor })
    expect(decoded.payloadKind).toBe('das')
    expect(decoded.dataOnL1).toBe(false)
    expect(decoded.warnings[0]).toMatch(/not on Ethereum/)
    expect(bytesToHex(cert).length).toBeGreaterThan(2)
  })
})
