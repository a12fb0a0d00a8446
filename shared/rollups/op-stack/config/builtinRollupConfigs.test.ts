import { describe, expect, it } from 'vitest'
import { builtinRollupConfig, devnetRollupConfig } from './builtinRollupConfigs'
import { parseRollupConfig } from './rollupConfig'
import { readVectorJson } from '../../../../fixtures/vectors'

describe('built-in rollup configs', () => {
  it('match the vector configs for Base and OP Sepolia', () => {
    expect(builtinRollupConfig('base')).toEqual(parseRollupConfig(readVectorJson('op/genesis/base-mainnet-rollup-config.json')))
    expect(builtinRollupConfig('op-sepolia')).toEqual(parseRollupConfig(readVectorJson('op/genesis/op-sepolia-rollup-config.json')))
  })

  it('OP Mainnet: the registry genesis and the batcher of the real batcher-tx vector', () => {
    const c = builtinRollupConfig('op-mainnet')
    expect(c.l2ChainId).toBe(10)
    expect(c.genesis.l2.number).toBe(105235063)
    expect(c.genesis.l2Time).toBe(1686068903) // the span-batch vectors decode with this genesis time
    const expected = readVectorJson<{ vectors: { l1Transaction?: { recoveredSender: string; to: string } }[] }>('op/derive/derive-expected.json')
    const tx = expected.vectors[0]!.l1Transaction!
    expect(c.genesis.systemConfig.batcherAddress).toBe(tx.recoveredSender)
    expect(c.batchInboxAddress).toBe(tx.to)
    // the portal that emitted the real OP Mainnet deposit logs
    expect(c.depositContractAddress).toBe('0xbeb5fc579115071764c7423a4f12edde41f106ed')
  })

  it('builds the devnet config from a manifest entry', () => {
    const c = devnetRollupConfig(
      {
        l1ChainId: 31337,
        l2ChainId: 901,
        batchInbox: '0xff00000000000000000000000000000000000901',
        contracts: { optimismPortal: '0x0000000000000000000000000000000000000001', systemConfig: '0x0000000000000000000000000000000000000002' },
        roles: { batcher: '0x0000000000000000000000000000000000000003' },
        parameters: { basefeeScalar: 1368, blobbasefeeScalar: 810949, gasLimit: '30000000' },
      },
      { l1: { hash: `0x${'11'.repeat(32)}`, number: 5 }, l2: { hash: `0x${'22'.repeat(32)}`, number: 0 }, l2Time: 1_700_000_000 },
    )
    expect(c.forks.jovian).toBe(0)
    expect(c.genesis.systemConfig.scalar).toBe(`0x01${'00'.repeat(23)}000c5fc500000558`) // blob 810949 ‖ base 1368
    expect(c.seqWindowSize).toBe(20)
  })
})
