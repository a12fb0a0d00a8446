/**
 * The upgrade deposits against the constants op-node and the specs publish. Source: op-node
 * rollup/derive/ecotone_upgrade_transactions_test.go `TestSourcesMatchSpec` / `TestEcotoneNetworkTransactions`,
 * fjord_upgrade_transactions_test.go `TestFjordSourcesMatchSpec`, and specs/protocol/{ecotone,fjord}/derivation.md.
 */
import { bytesToHex, keccak256 } from 'viem'
import { describe, expect, it } from 'vitest'
import { parseRollupConfig } from '../config/rollupConfig'
import { readVectorJson } from '../../../../fixtures/vectors'
import { UnsupportedChainFeatureError } from './errors'
import { createdAddress, EIP4788_DEPLOYER, ECOTONE_UPGRADE_DEPOSITS, FJORD_UPGRADE_DEPOSITS, NETWORK_UPGRADE_TXS } from './networkUpgradeTxs'
import { upgradeTransactions } from './upgradeTransactions'
import { parseTxDeposit } from '../../../eth/TxDeposit'

const ZERO = '0x0000000000000000000000000000000000000000'
const GPO = '0x420000000000000000000000000000000000000f'
const L1_BLOCK = '0x4200000000000000000000000000000000000015'
const DEPOSITOR = '0xdeaddeaddeaddeaddeaddeaddeaddeaddead0001'

/** [intent, sourceHash, from, to, gas, data (or undefined for a deployment)] as op-node's tests/specs pin them. */
const ECOTONE: [string, string, string, string | undefined, bigint, string | undefined][] = [
  ['Ecotone: L1 Block Deployment', '0x877a6077205782ea15a6dc8699fa5ebcec5e0f4389f09cb8eda09488231346f8', '0x4210000000000000000000000000000000000000', undefined, 375_000n, undefined],
  ['Ecotone: Gas Price Oracle Deployment', '0xa312b4510adf943510f05fcc8f15f86995a5066bd83ce11384688ae20e6ecf42', '0x4210000000000000000000000000000000000001', undefined, 1_000_000n, undefined],
  ['Ecotone: L1 Block Proxy Update', '0x18acb38c5ff1c238a7460ebc1b421fa49ec4874bdf1e0a530d234104e5e67dbc', ZERO, L1_BLOCK, 50_000n, '0x3659cfe600000000000000000000000007dbe8500fc591d1852b76fee44d5a05e13097ff'],
  ['Ecotone: Gas Price Oracle Proxy Update', '0xee4f9385eceef498af0be7ec5862229f426dec41c8d42397c7257a5117d9230a', ZERO, GPO, 50_000n, '0x3659cfe6000000000000000000000000b528d11cc114e026f138fe568744c6d45ce6da7a'],
  ['Ecotone: Gas Price Oracle Set Ecotone', '0x0c1cb38e99dbc9cbfab3bb80863380b0905290b37eb3d6ab18dc01c1f3e75f93', DEPOSITOR, GPO, 80_000n, '0x22b90ab3'],
  [
    'Ecotone: beacon block roots contract deployment',
    '0x69b763c48478b9dc2f65ada09b3d92133ec592ea715ec65ad6e7f3dc519dc00c',
    '0x0b799c86a49deeb90402691f1041aa3af2d3c875',
    undefined,
    250_000n,
    // EIP-4788 §"Deployment" init code (also op-node TestEip4788Params).
    '0x60618060095f395ff33373fffffffffffffffffffffffffffffffffffffffe14604d57602036146024575f5ffd5b5f35801560495762001fff810690815414603c575f5ffd5b62001fff01545f5260205ff35b5f5ffd5b62001fff42064281555f359062001fff015500',
  ],
]
const FJORD: typeof ECOTONE = [
  ['Fjord: Gas Price Oracle Deployment', '0x86122c533fdcb89b16d8713174625e44578a89751d96c098ec19ab40a51a8ea3', '0x4210000000000000000000000000000000000002', undefined, 1_450_000n, undefined],
  ['Fjord: Gas Price Oracle Proxy Update', '0x1e6bb0c28bfab3dc9b36ffb0f721f00d6937f33577606325692db0965a7d58c6', ZERO, GPO, 50_000n, '0x3659cfe6000000000000000000000000a919894851548179a0750865e7974da599c0fac7'],
  ['Fjord: Gas Price Oracle Set Fjord', '0xbac7bb0d5961cad209a345408b0280a0d4686b1b20665e1b0f9cdafd73b19b6b', DEPOSITOR, GPO, 90_000n, '0x8e98b106'],
]

/** The 32-byte solc preamble op-node's deployment hex starts with (length = runtime size), then the runtime code. */
const DEPLOYMENTS: [string, string, string][] = [
  // [fork/intent, op-node creation-code prefix, spec code hash of the runtime code]
  ['Ecotone: L1 Block Deployment', '0x608060405234801561001057600080fd5b5061053e806100206000396000f3fe', '0xc88a313aa75dc4fbf0b6850d9f9ae41e04243b7008cf3eadb29256d4a71c1dfd'],
  ['Ecotone: Gas Price Oracle Deployment', '0x608060405234801561001057600080fd5b50610fb5806100206000396000f3fe', '0x8b71360ea773b4cfaf1ae6d2bd15464a4e1e2e360f786e475f63aeaed8da0ae5'],
  ['Fjord: Gas Price Oracle Deployment', '0x608060405234801561001057600080fd5b506117f6806100206000396000f3fe', '0xa88fa50a2745b15e6794247614b5298483070661adacb8d32d716434ed24c6b2'],
]

const opSepolia = parseRollupConfig(readVectorJson('op/genesis/op-sepolia-rollup-config.json'))

describe('network-upgrade transactions', () => {
  for (const [fork, expected] of [['ecotone', ECOTONE], ['fjord', FJORD]] as const) {
    it(`${fork}: intents, source hashes, senders, targets, gas and calldata match op-node/spec`, () => {
      const txs = (NETWORK_UPGRADE_TXS[fork] as () => Uint8Array[])()
      expect(txs).toHaveLength(expected.length)
      txs.forEach((raw, i) => {
        const [intent, sourceHash, from, to, gas, data] = expected[i]!
        const d = parseTxDeposit(raw)
        expect((fork === 'ecotone' ? ECOTONE_UPGRADE_DEPOSITS : FJORD_UPGRADE_DEPOSITS)[i]!.intent).toBe(intent)
        expect(d.sourceHash).toBe(sourceHash)
        expect(d.from.toLowerCase()).toBe(from)
        expect(d.to?.toLowerCase()).toBe(to)
        expect(d.gas).toBe(gas)
        expect(d.mint).toBe(0n)
        expect(d.value).toBe(0n)
        expect(d.isSystemTransaction).toBe(false)
        if (data) expect(bytesToHex(d.data)).toBe(data)
      })
    })
  }

  it('deploys at the addresses the specs publish', () => {
    expect(createdAddress('0x4210000000000000000000000000000000000000')).toBe('0x07dbe8500fc591d1852b76fee44d5a05e13097ff')
    expect(createdAddress('0x4210000000000000000000000000000000000001')).toBe('0xb528d11cc114e026f138fe568744c6d45ce6da7a')
    expect(createdAddress('0x4210000000000000000000000000000000000002')).toBe('0xa919894851548179a0750865e7974da599c0fac7')
    expect(createdAddress(EIP4788_DEPLOYER)).toBe('0x000f3df6d732807ef1319fb7b8bb8522d0beac02')
  })

  it('creation code is op-node\'s preamble + runtime code whose hash is the spec code hash', () => {
    for (const [intent, preamble, codeHash] of DEPLOYMENTS) {
      const d = [...ECOTONE_UPGRADE_DEPOSITS, ...FJORD_UPGRADE_DEPOSITS].find((x) => x.intent === intent)!
      expect(d.data.startsWith(preamble)).toBe(true)
      const runtime = `0x${d.data.slice(preamble.length)}` as const
      expect(runtime.length - 2).toBe(2 * parseInt(preamble.slice(40, 44), 16))
      expect(keccak256(runtime)).toBe(codeHash)
    }
  })

  it('appends forks activating in the same block in order, and nothing outside activation blocks', () => {
    const t = opSepolia.genesis.l2Time + 1000 * opSepolia.blockTime
    const config = { ...opSepolia, forks: { ...opSepolia.forks, ecotone: t, fjord: t, granite: undefined, holocene: undefined, isthmus: undefined, jovian: undefined, karst: undefined } }
    const both = upgradeTransactions(config, t).map((x) => parseTxDeposit(x).sourceHash)
    expect(both).toEqual([...ECOTONE, ...FJORD].map((e) => e[1]))
    expect(upgradeTransactions(config, t - config.blockTime)).toEqual([])
    expect(upgradeTransactions(config, t + config.blockTime)).toEqual([])
  })

  it.each([
    ['isthmus', /Isthmus L1Block, GasPriceOracle and OperatorFeeVault/],
    ['jovian', /Jovian L1Block \(1\.7\.0\) and GasPriceOracle/],
    ['karst', /karst_nut_bundle\.json/],
  ] as const)('%s activation fails with a precise UnsupportedChainFeatureError', (fork, missing) => {
    const t = opSepolia.genesis.l2Time + 500 * opSepolia.blockTime
    const forks = { ...opSepolia.forks, ecotone: 0, fjord: 0, granite: 0, holocene: 0, isthmus: fork === 'isthmus' ? t : 0, jovian: fork === 'jovian' ? t : fork === 'karst' ? 0 : undefined, karst: fork === 'karst' ? t : undefined }
    const config = { ...opSepolia, forks }
    let err: unknown
    try {
      upgradeTransactions(config, t)
    } catch (e) {
      err = e
    }
    expect(err).toBeInstanceOf(UnsupportedChainFeatureError)
    const e = err as UnsupportedChainFeatureError
    expect(e.shortMessage).toContain(`the ${fork} network upgrade`)
    expect(e.details).toMatch(missing)
    if (fork === 'karst') expect(e.details).toContain(`start derivation after L2 time ${t}`)
    else {
      // Without an L2 node: say that an untrusted one is enough, or start after the activation block.
      expect(e.details).toContain('give --l2-rpc URL (an untrusted L2 node is enough: every byte')
      expect(e.details).toContain(`or start derivation after the activation block (--start anchor or game:0x… with an anchor past L2 time ${t})`)
    }
    // The block before is not an activation block: nothing is built and nothing fails.
    expect(upgradeTransactions(config, t - opSepolia.blockTime)).toEqual([])
  })
})
