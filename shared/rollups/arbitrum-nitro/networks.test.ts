import { describe, expect, it } from 'vitest'
import { ArbNetworkConfigError } from './errors'
import { ARBITRUM_ONE, ARBITRUM_SEPOLIA, parseArbitrumNetworkConfig } from './networks'
import { applyL1ToL2Alias } from './status/applyL1ToL2Alias'

describe('Arbitrum networks', () => {
  it('has Arbitrum One with the L1 contracts seen in the real fixtures', () => {
    // Bridge and Inbox of the real deposit fixture, Outbox of the real withdrawal fixture.
    expect(ARBITRUM_ONE.contracts.bridge).toBe('0x8315177aB297bA92A06054cE80a67Ed4DBd7ed3a')
    expect(ARBITRUM_ONE.contracts.inbox.toLowerCase()).toBe('0x4dbd4fc535ac27206064b68ffcf827b0a60bab3f')
    expect(ARBITRUM_ONE.contracts.outbox).toBe('0x0B9857ae2D4A3DBe74ffE1d7DF045bb7F96E4840')
    expect(ARBITRUM_SEPOLIA.l2ChainId).toBe(421614)
  })

  it('reads a custom Orbit chain in the app’s shape or the @arbitrum/sdk shape, checksumming addresses', () => {
    const sdk = JSON.stringify({
      name: 'My Orbit', chainId: 123456, parentChainId: 42161,
      ethBridge: {
        bridge: '0x8315177ab297ba92a06054ce80a67ed4dbd7ed3a', inbox: '0x4dbd4fc535ac27206064b68ffcf827b0a60bab3f', sequencerInbox: '0x1c479675ad559dc151f6ec7ed3fbf8cee79582b6',
        outbox: '0x0b9857ae2d4a3dbe74ffe1d7df045bb7f96e4840', rollup: '0x4dceb440657f21083db8add07665f8ddbe1dcfc0',
      },
    })
    const n = parseArbitrumNetworkConfig(sdk)
    expect(n).toMatchObject({ kind: 'arbitrum-nitro', name: 'My Orbit', l1ChainId: 42161, l2ChainId: 123456 })
    expect(n.contracts.rollup).toBe('0x4DCeB440657f21083db8aDd07665f8ddBe1DCfc0')
    expect(parseArbitrumNetworkConfig(JSON.stringify(ARBITRUM_ONE))).toEqual(ARBITRUM_ONE)
  })

  it('refuses malformed, oversized or non-Arbitrum config files with a clear error', () => {
    expect(() => parseArbitrumNetworkConfig('{nope')).toThrow(/not valid JSON/)
    expect(() => parseArbitrumNetworkConfig(JSON.stringify({ ...ARBITRUM_ONE, contracts: { ...ARBITRUM_ONE.contracts, outbox: '0x1234' } }))).toThrow(/contracts\.outbox/)
    expect(() => parseArbitrumNetworkConfig(' '.repeat(70_000))).toThrow(/too large/)
    expect(() => parseArbitrumNetworkConfig(JSON.stringify({ kind: 'op-stack' }))).toThrow(ArbNetworkConfigError)
  })

  it('aliases L1 senders as the Inbox does (the real deposit: from = alias(to))', () => {
    expect(applyL1ToL2Alias('0x9da6413b16281c9270268f3f5b826c8c59d8b031')).toBe('0xAEB7413B16281c9270268f3f5B826c8C59D8C142')
    expect(applyL1ToL2Alias('0xffffffffffffffffffffffffffffffffffffffff')).toBe('0x1111000000000000000000000000000000001110')
  })
})
