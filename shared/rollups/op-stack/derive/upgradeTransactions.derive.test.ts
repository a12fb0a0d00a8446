/**
 * Derivation across fork activations on a synthetic L1 (test-support/syntheticL1.ts): Ecotone activates at L2 block 6
 * (the first block of epoch 1, which also carries a user deposit) and Fjord at block 12. Each activation block gets
 * [L1-info, user deposits…, that fork's upgrade transactions in order, batch transactions]; no other block gets any.
 */
import { describe, expect, it } from 'vitest'
import { createNodeDecompressor } from '../../../../electron/services/l1/createNodeDecompressor'
import { decodeDepositLog, upgradeDepositSourceHash } from './deposits'
import { deriveL2Blocks } from './deriveL2Blocks'
import { UnsupportedChainFeatureError } from './errors'
import { ECOTONE_UPGRADE_DEPOSITS, FJORD_UPGRADE_DEPOSITS } from './networkUpgradeTxs'
import {
  L1_BLOCK_TIME,
  SyntheticL1,
  T0,
  batcherPayload,
  depositLog,
  encodeChannel,
  encodeSingularBatch,
  hashOf,
  headerHash,
  splitFrames,
  syntheticConfig,
} from './test-support/syntheticL1'
import { parseTxDeposit, serializeTxDeposit, DEPOSIT_TX_TYPE } from '../../../eth/TxDeposit'

const decompressor = createNodeDecompressor()
const userTx = (i: number): Uint8Array => new Uint8Array([0x02, ...new TextEncoder().encode(`user-tx-${i}`)])

/** Singular batches for L2 blocks 1..count, each with one user transaction, posted in L1 block `inL1`. */
function postBatches(l1: SyntheticL1, inL1: number, count: number, genesisL2: `0x${string}`): void {
  const batches: Uint8Array[] = []
  for (let i = 1; i <= count; i++) {
    const ts = T0 + 2 * i
    const epoch = Math.floor((ts - T0) / L1_BLOCK_TIME)
    batches.push(encodeSingularBatch({ parentHash: i === 1 ? genesisL2 : hashOf(`l2-${i - 1}`), epochNum: epoch, epochHash: headerHash(epoch), timestamp: ts, transactions: [userTx(i)] }))
  }
  for (const f of splitFrames('22'.repeat(16), encodeChannel(batches), 1)) l1.addBatcherTx(inL1, batcherPayload([f]))
}

const UPGRADE_SOURCE_HASHES = new Set<string>([...ECOTONE_UPGRADE_DEPOSITS, ...FJORD_UPGRADE_DEPOSITS].map((d) => upgradeDepositSourceHash(d.intent)))
const sourceHashOf = (tx: Uint8Array): string | undefined => (tx[0] === DEPOSIT_TX_TYPE ? parseTxDeposit(tx).sourceHash : undefined)

describe('deriveL2Blocks across fork activation blocks', () => {
  it('puts the Ecotone and Fjord upgrade transactions in their activation blocks only, after the user deposits', async () => {
    const config = syntheticConfig({ seq_window_size: 100, ecotone_time: T0 + 12, fjord_time: T0 + 24, granite_time: undefined, holocene_time: undefined })
    const l1 = new SyntheticL1(6)
    const dep = l1.addLog(1, depositLog('0x00000000000000000000000000000000000000aa', '0x00000000000000000000000000000000000000bb', 5n, 21000n))
    postBatches(l1, 3, 17, config.genesis.l2.hash)
    const { blocks } = await deriveL2Blocks({ config, l1, decompressor, toL1Block: 5 })
    expect(blocks.map((b) => b.ref.number)).toEqual(Array.from({ length: 17 }, (_, i) => i + 1))

    const ecotone = blocks[5]!
    expect(ecotone.ref.timestamp).toBe(T0 + 12)
    expect(ecotone.ref.l1Origin.number).toBe(1)
    const t6 = ecotone.attributes.transactions
    expect(t6).toHaveLength(1 + 1 + 6 + 1)
    expect(t6[1]).toEqual(serializeTxDeposit(decodeDepositLog(dep)))
    expect(t6.slice(2, 8).map(sourceHashOf)).toEqual(ECOTONE_UPGRADE_DEPOSITS.map((d) => upgradeDepositSourceHash(d.intent)))
    expect(t6[8]).toEqual(userTx(6))

    const fjord = blocks[11]!
    expect(fjord.ref.timestamp).toBe(T0 + 24)
    const t12 = fjord.attributes.transactions
    expect(t12).toHaveLength(1 + 3 + 1)
    expect(t12.slice(1, 4).map(sourceHashOf)).toEqual(FJORD_UPGRADE_DEPOSITS.map((d) => upgradeDepositSourceHash(d.intent)))
    expect(t12[4]).toEqual(userTx(12))

    for (const b of blocks) {
      if (b === ecotone || b === fjord) continue
      expect(b.attributes.transactions.some((t) => UPGRADE_SOURCE_HASHES.has(sourceHashOf(t) ?? ''))).toBe(false)
    }
  })

  it('stops with a precise UnsupportedChainFeatureError at a Karst activation block', async () => {
    // No batches: the chain advances by sequencing-window empty blocks until it reaches the Karst activation block.
    const config = syntheticConfig({ seq_window_size: 4, isthmus_time: 0, jovian_time: 0, karst_time: T0 + 12 })
    const l1 = new SyntheticL1(12)
    const err = await deriveL2Blocks({ config, l1, decompressor, toL1Block: 11 }).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(err).toBeInstanceOf(UnsupportedChainFeatureError)
    expect((err as UnsupportedChainFeatureError).details).toMatch(/karst_nut_bundle\.json/)
    expect((err as UnsupportedChainFeatureError).details).toContain(`start derivation after L2 time ${T0 + 12}`)
  })
})
