/** systemConfigFromL2Block and readL2BlockInfo on real OP Sepolia blocks (Holocene, Ecotone L1-info layout). */
import { describe, expect, it } from 'vitest'
import { parseRollupConfig } from '../../config/rollupConfig'
import { decodeL1InfoCalldata, encodeL1InfoCalldata } from '../l1Info'
import { ecotoneScalars, operatorFee } from '../systemConfig'
import { UntrustedL2DataError } from './errors'
import { readL2BlockInfo } from './readL2BlockInfo'
import { systemConfigFromL2Block } from './systemConfigFromL2Block'
import { realL2Blocks } from './test-support/realL2Blocks'
import { verifyL2Block } from './verifyL2Block'
import { readVectorJson } from '../../../../../fixtures/vectors'
import { parseTxDeposit } from '../../../../eth/TxDeposit'

const { config, blocks, payloadAttributes61 } = realL2Blocks()
const v60 = verifyL2Block({ config, block: blocks[0] })
const v61 = verifyL2Block({ config, block: blocks[1] })

describe('systemConfigFromL2Block (real OP Sepolia block 26207960)', () => {
  it('reads batcher, fee scalars, gas limit and Holocene EIP-1559 params', () => {
    const sys = systemConfigFromL2Block(config, v60)
    expect(sys.batcherAddress).toBe('0x8f23bb38f531600e5d8fddaaec41f13fab46e98c')
    expect(ecotoneScalars(sys)).toEqual({ baseFeeScalar: 7600, blobBaseFeeScalar: 862000 })
    expect(sys.gasLimit).toBe(60_000_000n)
    expect(sys.eip1559Params).toBe('0x000000fa00000006') // denominator 250, elasticity 6
    expect(operatorFee(sys)).toEqual({ operatorFeeScalar: 0, operatorFeeConstant: 0n }) // Isthmus not active
    expect(sys.minBaseFee).toBe(0n)
  })

  it('gives the SystemConfig the next real block was derived with', () => {
    // Block 26207961 has the same L1 origin: its payload attributes carry the same gas limit and EIP-1559 params, and
    // its L1-info deposit re-encodes from this SystemConfig to the real calldata.
    const sys = systemConfigFromL2Block(config, v60)
    expect(sys.gasLimit).toBe(payloadAttributes61.gasLimit)
    expect(sys.eip1559Params).toBe(payloadAttributes61.eip1559Params)
    const data = parseTxDeposit(v61.transactions[0] as Uint8Array).data
    const info = decodeL1InfoCalldata(data)
    const rebuilt = encodeL1InfoCalldata({ ...info, ...ecotoneScalars(sys), batcherHash: `0x${sys.batcherAddress.slice(2).padStart(64, '0')}` })
    expect(Buffer.from(rebuilt).toString('hex')).toBe(Buffer.from(data).toString('hex'))
  })

  it('reads the block ref from the header and the L1-info deposit', () => {
    expect(readL2BlockInfo(config, v60).ref).toEqual({
      number: 26207960, hash: blocks[0].header.hash, timestamp: 1744218460, l1Origin: { number: 8085313, hash: '0x9244875342f5e0c1624d00f249b1a7996137b1eb44bdf16396f98f76a1bec6fa' }, sequenceNumber: 0,
    })
    expect(readL2BlockInfo(config, v61).ref.sequenceNumber).toBe(1)
    expect(readL2BlockInfo(config, v60).nonDepositTxHashes.length).toBe(9)
  })

  it('refuses a block whose first transaction is not the L1-info deposit of its fork', () => {
    const noInfo = { ...v60, transactions: v60.transactions.slice(1) }
    expect(() => systemConfigFromL2Block(config, noInfo)).toThrow(UntrustedL2DataError)
    // The same block read under a config where Isthmus is active expects the Isthmus layout.
    const raw = readVectorJson<{ rollupConfig: Record<string, unknown> }>('op/executor/op-sepolia-block-26207960.json').rollupConfig
    const isthmusEarlier = parseRollupConfig({ ...raw, isthmus_time: 1744000000 })
    expect(() => readL2BlockInfo(isthmusEarlier, v60)).toThrow(/does not start with a valid L1-attributes deposit/)
  })

  it('refuses extraData that is not the Holocene format', () => {
    const bad = { ...v60, header: { ...v60.header, extraData: '0x' as const } }
    expect(() => systemConfigFromL2Block(config, bad)).toThrow(/extraData/)
  })

  it('uses the rollup config at genesis and checks the genesis hash', () => {
    const atGenesis = parseRollupConfig({ ...readVectorJson<{ rollupConfig: Record<string, unknown> }>('op/executor/op-sepolia-block-26207960.json').rollupConfig, genesis: { ...(readVectorJson<{ rollupConfig: { genesis: Record<string, unknown> } }>('op/executor/op-sepolia-block-26207960.json').rollupConfig.genesis), l2: { number: 26207960, hash: blocks[0].header.hash } } })
    expect(systemConfigFromL2Block(atGenesis, v60).gasLimit).toBe(atGenesis.genesis.systemConfig.gasLimit)
    expect(() => readL2BlockInfo(atGenesis, v61.header.number === 26207961n ? { ...v61, header: { ...v61.header, number: 26207960n } } : v61)).toThrow(/genesis block hash differs/)
  })
})
