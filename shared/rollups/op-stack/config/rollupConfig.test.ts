import { describe, expect, it } from 'vitest'
import {
  activeFork,
  channelTimeout,
  InvalidRollupConfigError,
  isForkActivationBlock,
  isForkActive,
  maxSequencerDrift,
  parseRollupConfig,
} from './rollupConfig'
import { readVectorJson } from '../../../../fixtures/vectors'

describe('parseRollupConfig', () => {
  it('reads the OP Sepolia registry config (op-chain-config wrapper)', () => {
    const c = parseRollupConfig(readVectorJson('op/genesis/op-sepolia-rollup-config.json'))
    expect(c.l1ChainId).toBe(11155111)
    expect(c.l2ChainId).toBe(11155420)
    expect(c.genesis.l1).toEqual({ hash: '0x48f520cf4ddaf34c8336e6e490632ea3cf1e5e93b0b2bc6e917557e31845371b', number: 4071408 })
    expect(c.genesis.l2.number).toBe(0)
    expect(c.genesis.l2Time).toBe(1691802540)
    expect(c.genesis.systemConfig.batcherAddress).toBe('0x8f23bb38f531600e5d8fddaaec41f13fab46e98c')
    expect(c.genesis.systemConfig.gasLimit).toBe(30_000_000n)
    expect(c.blockTime).toBe(2)
    expect(c.seqWindowSize).toBe(3600)
    expect(c.channelTimeout).toBe(300)
    expect(c.graniteChannelTimeout).toBe(50)
    expect(c.forks.isthmus).toBe(1744905600)
    expect(c.forks.jovian).toBe(1763568001)
    expect(c.forks.karst).toBe(1781712001)
    expect(c.keepKarstUpgradeGas).toBe(true)
    expect(c.pectraBlobScheduleTime).toBe(1742486400)
    expect(c.batchInboxAddress).toBe('0xff00000000000000000000000000000011155420')
    expect(c.depositContractAddress).toBe('0x16fc5058f25648194471939df75cf27a2fdc48bc')
    expect(c.l1SystemConfigAddress).toBe('0x034edd2a225f7f429a63e0f1d2084b9e0a93b538')
    expect(c.eip1559).toEqual({ elasticity: 6, denominator: 50, denominatorCanyon: 250 })
    expect(c.altDaEnabled).toBe(false)
  })

  it('reads the kona executor fixture rollup_config (no regolith_time, nulls, alt_da null) and agrees with the registry', () => {
    const fixture = readVectorJson<{ rollupConfig: unknown }>('op/executor/op-sepolia-block-26207960.json')
    const c = parseRollupConfig(fixture.rollupConfig)
    const registry = parseRollupConfig(readVectorJson('op/genesis/op-sepolia-rollup-config.json'))
    expect(c.forks.regolith).toBeUndefined()
    // Regolith is implied by Canyon (kona semantics).
    expect(isForkActive(c, 'regolith', 1699981200)).toBe(true)
    expect(c.genesis).toEqual(registry.genesis)
    expect(c.batchInboxAddress).toBe(registry.batchInboxAddress)
    expect(c.forks.holocene).toBe(registry.forks.holocene)
    expect(c.genesis.systemConfig.baseFeeScalar).toBeNull()
  })

  it('reads the Base config', () => {
    const c = parseRollupConfig(readVectorJson('op/genesis/base-mainnet-rollup-config.json'))
    expect(c.l2ChainId).toBe(8453)
    expect(c.batchInboxAddress).toBe('0xff00000000000000000000000000000000008453')
    expect(c.forks.karst).toBeUndefined()
  })

  it('rejects bad input with a named, user-action error', () => {
    const good = readVectorJson<{ rollupConfig: Record<string, unknown> }>('op/genesis/op-sepolia-rollup-config.json').rollupConfig
    const bad = { ...good, batch_inbox_address: '0x1234' }
    expect(() => parseRollupConfig(bad)).toThrow(InvalidRollupConfigError)
    try {
      parseRollupConfig(bad)
    } catch (e) {
      expect((e as InvalidRollupConfigError).kind).toBe('user-action')
      expect((e as InvalidRollupConfigError).details).toContain('batch_inbox_address')
    }
    expect(() => parseRollupConfig({ ...good, ecotone_time: 1703203199 })).toThrow(/ecotone is set to 1703203199, before the earlier fork delta/)
    expect(() => parseRollupConfig(null)).toThrow(InvalidRollupConfigError)
    expect(() => parseRollupConfig({ ...good, block_time: 0 })).toThrow(InvalidRollupConfigError)
  })
})

describe('fork schedule', () => {
  const c = parseRollupConfig(readVectorJson('op/genesis/op-sepolia-rollup-config.json'))
  it('picks the active fork and activation blocks', () => {
    expect(activeFork(c, 0)).toBe('regolith')
    expect(activeFork(c, 1744218460)).toBe('holocene')
    expect(activeFork(c, 1744905600)).toBe('isthmus')
    expect(isForkActivationBlock(c, 'isthmus', 1744905600)).toBe(true)
    expect(isForkActivationBlock(c, 'isthmus', 1744905601)).toBe(true) // first block with ts >= fork time
    expect(isForkActivationBlock(c, 'isthmus', 1744905602)).toBe(false)
    expect(isForkActivationBlock(c, 'regolith', 0)).toBe(false)
    expect(maxSequencerDrift(c, 1716998400 - 1)).toBe(600)
    expect(maxSequencerDrift(c, 1716998400)).toBe(1800)
    expect(channelTimeout(c, 1723478399)).toBe(300)
    expect(channelTimeout(c, 1723478400)).toBe(50)
  })
})
