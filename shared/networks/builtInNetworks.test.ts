import { describe, expect, it } from 'vitest'
import { BUILT_IN_NETWORK_IDS, builtInNetwork, builtInNetworks } from './builtInNetworks'

describe('built-in networks', () => {
  it('lists the six public networks by id, each with its stack, chain ids and L1 addresses', () => {
    expect(builtInNetworks().map((n) => [n.id, n.stack, n.l1ChainId, n.l2ChainId])).toEqual([
      ['op-mainnet', 'op-stack', 1, 10],
      ['op-sepolia', 'op-stack', 11155111, 11155420],
      ['base', 'op-stack', 1, 8453],
      ['arbitrum-one', 'arbitrum-nitro', 1, 42161],
      ['arbitrum-nova', 'arbitrum-nitro', 1, 42170],
      ['arbitrum-sepolia', 'arbitrum-nitro', 11155111, 421614],
    ])
    expect(BUILT_IN_NETWORK_IDS).toHaveLength(6)
    expect(builtInNetwork('base')?.l1Addresses.optimismPortal).toBe('0x49048044D57e1C92A77f79988d21Fa8fAF74E97e')
    expect(builtInNetwork('arbitrum-nova')?.l1Addresses.bridge).toBe('0xC1Ebd02f738644983b6C4B2d440b8e77DdE276Bd')
    expect(builtInNetwork('arbitrum-devnet')).toBeUndefined()
    for (const n of builtInNetworks()) expect(n.liveParameters.length).toBeGreaterThan(0)
  })

  it('never presents Base as fully supported: withdrawals unsupported since Azul, rebuild limited', () => {
    const base = builtInNetwork('base')!
    expect(base.support.some((f) => f.level === 'supported')).toBe(false)
    expect(base.support.find((f) => f.topic === 'withdrawals')).toMatchObject({ level: 'unsupported', says: expect.stringMatching(/Azul \(2026-05-28\)[\s\S]*TEE or ZK/) })
    expect(base.support.find((f) => f.topic === 'rebuild-from-l1')?.level).toBe('limited')
    expect(base.support.find((f) => f.topic === 'forced-inclusion')?.says).toMatch(/depositTransaction still works/)
  })

  it('says Nova’s batch data needs a DAS endpoint, and that forced inclusion and exits do not', () => {
    const nova = builtInNetwork('arbitrum-nova')!
    expect(nova.support.find((f) => f.topic === 'batch-data')).toMatchObject({ level: 'limited', says: expect.stringMatching(/DAS endpoints[\s\S]*BLS signature is not checked[\s\S]*Forced inclusion and Outbox exits need no batch data/) })
    expect(nova.support.find((f) => f.topic === 'forced-inclusion')?.level).toBe('supported')
  })
})
