import { describe, expect, it } from 'vitest'
import { parseRollupConfig } from '../config/rollupConfig'
import { bytesToHex } from 'viem'
import { readVectorJson } from '../../../../fixtures/vectors'
import { buildGenesis } from './buildGenesis'
import { InvalidGenesisError, parseGenesis } from './parseGenesis'
import { encodeHeader } from '../../../eth/header'

const chains = [
  { name: 'OP Sepolia', genesis: 'op/genesis/op-sepolia-genesis.json', config: 'op/genesis/op-sepolia-rollup-config.json' },
  { name: 'Base mainnet', genesis: 'op/genesis/base-mainnet-genesis.json', config: 'op/genesis/base-mainnet-rollup-config.json' },
]

describe('buildGenesis reproduces registry genesis blocks', () => {
  for (const c of chains) {
    it(c.name, () => {
      const configFile = readVectorJson<{ expectedGenesis: { stateRoot: string; blockHash: string; headerRlp: string } }>(c.config)
      const config = parseRollupConfig(configFile)
      const genesis = parseGenesis(readVectorJson(c.genesis))
      const nodes = new Map<string, Uint8Array>()
      const result = buildGenesis({ genesis, config, onNode: (h, n) => nodes.set(bytesToHex(h), n) })
      expect(result.stateRoot).toBe(configFile.expectedGenesis.stateRoot)
      expect(bytesToHex(encodeHeader(result.header))).toBe(configFile.expectedGenesis.headerRlp)
      expect(result.blockHash).toBe(configFile.expectedGenesis.blockHash)
      expect(result.blockHash).toBe(config.genesis.l2.hash)
      expect(nodes.has(result.stateRoot)).toBe(true)
    })
  }

  it('rejects a malformed alloc with a classified error', () => {
    expect(() => parseGenesis({ timestamp: '0x0', gasLimit: '0x1', alloc: { nothex: {} } })).toThrow(InvalidGenesisError)
    expect(() => parseGenesis({ timestamp: '0x0', gasLimit: '0x1', alloc: { ['00'.repeat(20)]: { balance: '-1' } } })).toThrow(InvalidGenesisError)
    expect(() => parseGenesis([])).toThrow(InvalidGenesisError)
  })
})
