/**
 * Batch validity at fork activation blocks: from Jovian on, op-node drops a singular batch carrying transactions for
 * the activation block (batches.go `checkSingularBatch`; kona single.rs `NonEmptyTransitionBlock`); for Ecotone,
 * Fjord and Isthmus the empty upgrade block is sequencer policy only, so such a batch is accepted.
 */
import { describe, expect, it } from 'vitest'
import type { L1BlockRef } from '../../../l1/L1Source'
import type { SingularBatch } from './batchTypes'
import { checkSingularBatch, type CheckContext } from './checkBatch'
import type { L2BlockRef } from './l2Types'
import { T0, hashOf, headerHash, syntheticConfig } from './test-support/syntheticL1'

const origin: L1BlockRef = { number: 0, hash: headerHash(0), parentHash: hashOf('p'), timestamp: T0 }
const safeHead: L2BlockRef = { number: 10, hash: hashOf('l2-10'), timestamp: T0 + 20, l1Origin: { number: 0, hash: headerHash(0) }, sequenceNumber: 10 }
const next = T0 + 22

function check(overrides: Record<string, unknown>, transactions: Uint8Array[]) {
  const config = syntheticConfig(overrides)
  const ctx: CheckContext = { config, l1Blocks: [origin], safeHead, l1InclusionBlock: { ...origin, number: 1, timestamp: T0 + 12 } }
  const batch: SingularBatch = { type: 'singular', parentHash: safeHead.hash!, epochNum: 0n, epochHash: origin.hash, timestamp: BigInt(next), transactions }
  return checkSingularBatch(ctx, batch)
}

const userTx = [new Uint8Array([0x02, 0xc0])]
const upToIsthmus = { isthmus_time: 0 }

describe('batches for fork activation blocks', () => {
  it('drops a non-empty batch for the Jovian activation block and accepts an empty one', () => {
    expect(check({ ...upToIsthmus, jovian_time: next }, userTx)).toEqual({ validity: 'drop', reason: 'batch has transactions in the jovian activation block' })
    expect(check({ ...upToIsthmus, jovian_time: next }, []).validity).toBe('accept')
    // One block later Jovian is no longer "activating": transactions are fine.
    expect(check({ ...upToIsthmus, jovian_time: next - 2 }, userTx).validity).toBe('accept')
  })

  it('drops a non-empty batch for the Karst activation block', () => {
    expect(check({ ...upToIsthmus, jovian_time: 0, karst_time: next }, userTx)).toEqual({ validity: 'drop', reason: 'batch has transactions in the karst activation block' })
  })

  it.each([['ecotone_time'], ['fjord_time'], ['isthmus_time']])('accepts a non-empty batch for the %s activation block (op-node does)', (fork) => {
    const later = ['ecotone_time', 'fjord_time', 'granite_time', 'holocene_time', 'isthmus_time']
    const overrides: Record<string, unknown> = {}
    for (const f of later.slice(later.indexOf(fork))) overrides[f] = next
    expect(check(overrides, userTx).validity).toBe('accept')
  })
})
