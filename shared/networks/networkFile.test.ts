import { describe, expect, it } from 'vitest'
import { ARBITRUM_ONE } from '../rollups/arbitrum-nitro/networks'
import { BASE_MAINNET_ROLLUP_JSON, OP_SEPOLIA_ROLLUP_JSON } from '../rollups/op-stack/config/builtinRollupConfigs'
import { builtInNetwork } from './builtInNetworks'
import { NetworkConfigError } from './errors'
import { NETWORK_FILE_FORMAT, parseNetworkFile, toNetworkFile } from './networkFile'

const parse = (value: unknown) => parseNetworkFile(JSON.stringify(value), 'net.json')

describe('network files', () => {
  it('reads an op-node rollup.json as a custom OP Stack chain, with facts from the stack, not the file', () => {
    const { entry, devnet } = parse(OP_SEPOLIA_ROLLUP_JSON)
    expect(devnet).toBeUndefined()
    expect(entry).toMatchObject({ id: 'op-chain-11155420', stack: 'op-stack', source: 'file', l1ChainId: 11155111, l2ChainId: 11155420 })
    expect(entry.l1Addresses.optimismPortal).toBe('0x16Fc5058F25648194471939df75CF27A2fdC48BC')
    expect(entry.support.find((f) => f.topic === 'rebuild-from-l1')?.level).toBe('supported')
    const altDa = parse({ ...OP_SEPOLIA_ROLLUP_JSON, alt_da: {} }).entry
    expect(altDa.support.find((f) => f.topic === 'rebuild-from-l1')?.level).toBe('unsupported')
  })

  it('reads an @arbitrum/sdk / Orbit JSON and the app’s ArbitrumNetwork shape', () => {
    const sdk = { name: 'My Orbit', chainId: 123456, parentChainId: 42161, ethBridge: { ...ARBITRUM_ONE.contracts } }
    const { entry } = parse(sdk)
    expect(entry).toMatchObject({ id: 'arbitrum-chain-123456', name: 'My Orbit', stack: 'arbitrum-nitro', l1ChainId: 42161, l2ChainId: 123456 })
    expect(parse(ARBITRUM_ONE).entry).toMatchObject({ stack: 'arbitrum-nitro', l2ChainId: 42161, source: 'file' })
  })

  it('round-trips the app’s own file, keeping extra addresses and the devnet marker', () => {
    const base = builtInNetwork('base')!
    const file = { ...toNetworkFile(base, { pid: 4242, startedAt: '2026-12-07T15:00:00.000Z' }), id: 'my-base' }
    const { entry, devnet } = parse(file)
    expect(devnet).toEqual({ pid: 4242, startedAt: '2026-12-07T15:00:00.000Z' })
    expect(entry.source).toBe('devnet')
    expect(entry.stack === 'op-stack' && entry.rollupConfig).toEqual(base.stack === 'op-stack' && base.rollupConfig)
    expect(entry.l1Addresses).toEqual(base.l1Addresses)
    const arb = parse({ ...toNetworkFile(builtInNetwork('arbitrum-one')!), id: 'my-arb' }).entry
    expect(arb.stack === 'arbitrum-nitro' && arb.arbitrum).toEqual(ARBITRUM_ONE)
  })

  it('refuses bad files with the problem and what to do next', () => {
    expect(() => parseNetworkFile('{nope', 'net.json')).toThrow(/net\.json is not valid JSON/)
    expect(() => parseNetworkFile(' '.repeat(300_000), 'net.json')).toThrow(/too large/)
    expect(() => parse([1, 2])).toThrow(/expected a JSON object/)
    expect(() => parse({ hello: 'world' })).toThrow(/not a network description this app knows[\s\S]*rollup\.json/)
    expect(() => parse({ ...BASE_MAINNET_ROLLUP_JSON, block_time: 0 })).toThrow(/not a valid OP Stack rollup\.json[\s\S]*block_time/)
    expect(() => parse({ chainId: 1, parentChainId: 1, ethBridge: { ...ARBITRUM_ONE.contracts, outbox: '0x12' } })).toThrow(/not a valid Arbitrum network[\s\S]*contracts\.outbox/)
    expect(() => parse({ ...toNetworkFile(builtInNetwork('op-mainnet')!) })).toThrow(/id of a built-in network/)
    expect(() => parse({ format: NETWORK_FILE_FORMAT, id: 'Bad Id', name: 'x', stack: 'op-stack', rollupConfig: {} })).toThrow(NetworkConfigError)
    expect(() => parse({ format: NETWORK_FILE_FORMAT, id: 'x', name: 'x', stack: 'op-stack', rollupConfig: OP_SEPOLIA_ROLLUP_JSON, support: [] })).toThrow(/Unrecognized key/)
  })
})
