/**
 * A derivation that starts mid-chain (op-node initialReset: safe head from an anchor, L1 traversal from the L1 origin
 * of the walk-back block, the verified safe chain as history) produces the same later blocks as a derivation from
 * genesis over the same L1 range — including a span batch that overlaps the safe head, which is only accepted because
 * the start carries the safe chain's real transactions. Synthetic L1 (test-support/syntheticL1.ts); the execution
 * hook returns a hash chained from the parent (keccak(parent ‖ number)), so batches can name their parents up front.
 */
import { describe, expect, it } from 'vitest'
import { concatHex, hexToBytes, keccak256, numberToHex, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { createNodeDecompressor } from '../../../../../electron/services/l1/createNodeDecompressor'
import { deriveL2Blocks, genesisStart, type DerivationStart } from '../deriveL2Blocks'
import { encodeSpanBatch } from '../encodeSpanBatch'
import { hashTx } from '../hashTx'
import type { DerivedL2Block, ExecutionOracle } from '../l2Types'
import { L1_BLOCK_TIME, SyntheticL1, T0, batcherPayload, encodeChannel, encodeSingularBatch, headerHash, splitFrames, syntheticConfig } from '../test-support/syntheticL1'
import { DEPOSIT_TX_TYPE } from '../../../../eth/TxDeposit'

const decompressor = createNodeDecompressor()
const USER = privateKeyToAccount('0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a')
const oracle: ExecutionOracle = { execute: async (parent) => ({ status: 'valid', blockHash: keccak256(concatHex([parent.hash as Hex, numberToHex(parent.number + 1, { size: 8 })])) }) }

async function buildChain(holocene: boolean) {
  const config = syntheticConfig({ seq_window_size: 100, granite_channel_timeout: 1, ...(holocene ? {} : { holocene_time: undefined }) })
  const l1 = new SyntheticL1(12)
  const last = 35
  const hash: Hex[] = [config.genesis.l2.hash]
  for (let i = 1; i <= last; i++) hash.push(keccak256(concatHex([hash[i - 1] as Hex, numberToHex(i, { size: 8 })])))
  const txOf: Uint8Array[] = [new Uint8Array()]
  for (let i = 1; i <= last; i++) {
    txOf.push(hexToBytes(await USER.signTransaction({ type: 'eip1559', chainId: config.l2ChainId, nonce: i, to: '0x00000000000000000000000000000000000000aa', value: BigInt(i), gas: 21_000n, maxFeePerGas: 2_000_000n, maxPriorityFeePerGas: 1n })))
  }
  const epochOf = (i: number): number => Math.floor((2 * i) / L1_BLOCK_TIME)
  const singular = (i: number): Uint8Array => encodeSingularBatch({ parentHash: hash[i - 1] as Hex, epochNum: epochOf(i), epochHash: headerHash(epochOf(i)), timestamp: T0 + 2 * i, transactions: [txOf[i] as Uint8Array] })
  const post = (l1Block: number, channel: string, batches: Uint8Array[]): void => {
    for (const f of splitFrames(channel.repeat(16), encodeChannel(batches), 1)) l1.addBatcherTx(l1Block, batcherPayload([f]))
  }
  const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, k) => a + k)
  // Epoch e's blocks go into L1 block e+1, as a batcher posts them — except that epoch 4's singular batches stop at
  // block 27, and L1 block 6 first carries a span batch for blocks 26..31, overlapping 26 and 27.
  for (const e of [0, 1, 2, 3]) post(e + 1, `0${e}`, range(Math.max(1, 6 * e), 6 * e + 5).map(singular))
  post(5, '04', range(24, 27).map(singular))
  const span = encodeSpanBatch(
    {
      type: 'span',
      parentCheck: hexToBytes(hash[25] as Hex).subarray(0, 20),
      l1OriginCheck: hexToBytes(headerHash(epochOf(31))).subarray(0, 20),
      blocks: range(26, 31).map((i) => ({ timestamp: BigInt(T0 + 2 * i), epochNum: BigInt(epochOf(i)), transactions: [txOf[i] as Uint8Array] })),
    },
    { genesisL2Time: config.genesis.l2Time, l2ChainId: config.l2ChainId },
  )
  post(6, 'a5', [span])
  post(6, '05', range(32, 35).map(singular))
  return { config, l1, txOf }
}

const view = (b: DerivedL2Block) => ({ ref: b.ref, parentHash: b.parentHash, attributes: b.attributes, depositCount: b.depositCount, emptyBatch: b.emptyBatch, execution: b.execution })

describe('a mid-chain start derives the same blocks as a start from genesis', () => {
  for (const holocene of [true, false]) {
    it(`with a span batch overlapping the safe head (${holocene ? 'Holocene' : 'pre-Holocene'})`, async () => {
      const { config, l1, txOf } = await buildChain(holocene)
      const events: string[] = []
      const full = await deriveL2Blocks({ config, l1, decompressor, oracle, toL1Block: 9, onEvent: (e) => events.push(`${e.kind}: ${e.detail}`) })
      expect(full.blocks.map((b) => b.ref.number)).toEqual(Array.from({ length: 35 }, (_, k) => k + 1))
      // Blocks 28..31 come from the span batch (the only place their transactions were posted).
      const byNumber = new Map(full.blocks.map((b) => [b.ref.number, b]))
      expect(hashTx(byNumber.get(30)!.attributes.transactions[1]!)).toBe(hashTx(txOf[30]!))

      // The start op-node computes for safe head 27 (L1 origin 4, channel timeout 1): walk back while
      // origin + 1 > 4, i.e. through the blocks of origin 4 (24..27), stopping at block 23 (origin 3).
      const safe = byNumber.get(27)!
      const walk = [23, 24, 25, 26, 27].map((n) => byNumber.get(n)!)
      expect(walk[0]!.ref.l1Origin.number).toBe(3)
      expect(walk[1]!.ref.l1Origin.number).toBe(4)
      const g = genesisStart(config)
      const start: DerivationStart = {
        safeHead: safe.ref,
        safeHeadSystemConfig: g.safeHeadSystemConfig, // no SystemConfig updates in this chain
        l1Start: 3,
        l1StartSystemConfig: g.l1StartSystemConfig,
        safeChain: walk.map((b) => ({ ref: b.ref, nonDepositTxHashes: b.attributes.transactions.filter((t) => t[0] !== DEPOSIT_TX_TYPE).map(hashTx) })),
      }
      const mid = await deriveL2Blocks({ config, l1, decompressor, oracle, start, toL1Block: 9 })
      expect(mid.blocks.map(view)).toEqual(full.blocks.filter((b) => b.ref.number > 27).map(view))
      expect(mid.safeHead).toEqual(full.safeHead)
      expect(mid.progress.l1BlocksScanned).toBeLessThan(full.progress.l1BlocksScanned)

      // Without the safe chain (the safe head alone, no transactions) the overlapping span batch cannot be checked
      // (its parent, block 25, is unknown): it stays undecided and nothing after the safe head is derived.
      const bare = await deriveL2Blocks({ config, l1, decompressor, oracle, start: { ...start, safeChain: undefined }, toL1Block: 9 })
      expect(bare.blocks).toEqual([])
    })
  }

  it('refuses a safe chain that does not end at the safe head, and says so when a batch reaches before it', async () => {
    const { config, l1 } = await buildChain(true)
    const full = await deriveL2Blocks({ config, l1, decompressor, oracle, toL1Block: 9 })
    const b = (n: number) => full.blocks[n - 1]!
    const entry = (n: number) => ({ ref: b(n).ref, nonDepositTxHashes: b(n).attributes.transactions.filter((t) => t[0] !== DEPOSIT_TX_TYPE).map(hashTx) })
    const g = genesisStart(config)
    const base: DerivationStart = { safeHead: b(27).ref, safeHeadSystemConfig: g.safeHeadSystemConfig, l1Start: 4, l1StartSystemConfig: g.l1StartSystemConfig, safeChain: [24, 25, 26, 27].map(entry) }
    await expect(deriveL2Blocks({ config, l1, decompressor, oracle, start: { ...base, safeChain: [24, 25, 26].map(entry) }, toL1Block: 9 })).rejects.toThrow(/derivation start is inconsistent/)
    // Safe chain from 27 only: the span batch's parent (25) is before it → a clear error, not a stall.
    await expect(deriveL2Blocks({ config, l1, decompressor, oracle, start: { ...base, safeChain: [entry(27)] }, toL1Block: 9 })).rejects.toThrow(/overlaps L2 blocks from before the derivation start/)
  })
})
