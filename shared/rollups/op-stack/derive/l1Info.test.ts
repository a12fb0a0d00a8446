import { describe, expect, it } from 'vitest'
import { readVectorJson } from '../../../../fixtures/vectors'
import { buildL1InfoDeposit, decodeL1InfoCalldata, encodeL1InfoCalldata, l1InfoFormat } from './l1Info'
import { hashTx } from './hashTx'
import { parseRollupConfig } from '../config/rollupConfig'
import { genesisSystemConfig } from './systemConfig'
import { blobBaseFee, PRAGUE_UPDATE_FRACTION } from '../../../l1/blobBaseFee'
import { hexBytes, toHex } from '../../../eth/bytes'

interface Vectors {
  calldataVectors: { name: string; calldata: string; expected: Record<string, string | number> }[]
  depositTransactions: { l2BlockTimestamp: number; rawTransaction: string; transactionHash: string; expected: { sourceHash: string; calldata: Record<string, string | number> } }[]
}
const v = readVectorJson<Vectors>('op/derive/l1-info-vectors.json')

const FIELDS = ['l1BlockNumber', 'l1Timestamp', 'l1BaseFee', 'l1BlockHash', 'sequenceNumber', 'batcherHash', 'l1FeeOverhead', 'l1FeeScalar', 'baseFeeScalar', 'blobBaseFeeScalar', 'l1BlobBaseFee', 'operatorFeeScalar', 'operatorFeeConstant'] as const

describe('L1-info calldata', () => {
  for (const c of v.calldataVectors) {
    it(`decodes the ${c.name} vector to its fields and re-encodes it exactly`, () => {
      const info = decodeL1InfoCalldata(hexBytes(c.calldata))
      expect(info.format).toBe(c.expected.format)
      for (const f of FIELDS) {
        if (c.expected[f] === undefined) continue
        expect(String(info[f]), f).toBe(String(c.expected[f]))
      }
      expect(toHex(encodeL1InfoCalldata(info))).toBe(c.calldata)
    })
  }

  it('rebuilds the real OP Sepolia L1-info deposits from their fields (hash, source hash, bytes)', () => {
    const config = parseRollupConfig(readVectorJson('op/genesis/op-sepolia-rollup-config.json'))
    for (const d of v.depositTransactions) {
      const c = d.expected.calldata
      const sys = { ...genesisSystemConfig(config), batcherAddress: c.batcherAddress as `0x${string}`, scalar: toHex(new Uint8Array([1, ...new Array(19).fill(0), 0, 0, 0, 0, ...be4(Number(c.blobBaseFeeScalar)), ...be4(Number(c.baseFeeScalar))])) }
      expect(l1InfoFormat(config, d.l2BlockTimestamp)).toBe('ecotone')
      const built = buildL1InfoDeposit({
        config,
        sys,
        sequenceNumber: Number(c.sequenceNumber),
        l2Timestamp: d.l2BlockTimestamp,
        // excessBlobGas 0 → blob base fee 1, as in the vectors
        l1: { number: Number(c.l1BlockNumber), hash: c.l1BlockHash as `0x${string}`, parentHash: '0x00', timestamp: Number(c.l1Timestamp), baseFeePerGas: BigInt(c.l1BaseFee as string), excessBlobGas: 0n, blobGasUsed: 0n, mixHash: '0x00', parentBeaconBlockRoot: null, gasLimit: 0n },
      })
      expect(built.tx.sourceHash).toBe(d.expected.sourceHash)
      expect(toHex(built.raw)).toBe(d.rawTransaction)
      expect(hashTx(built.raw)).toBe(d.transactionHash)
    }
  })

  it('uses the previous format in a fork activation block', () => {
    const config = parseRollupConfig(readVectorJson('op/genesis/op-sepolia-rollup-config.json'))
    expect(l1InfoFormat(config, 1744905600)).toBe('ecotone') // Isthmus activation block
    expect(l1InfoFormat(config, 1744905602)).toBe('isthmus')
    expect(l1InfoFormat(config, 1763568001)).toBe('isthmus') // Jovian activation block
    expect(l1InfoFormat(config, 1763568003)).toBe('jovian')
    expect(l1InfoFormat(config, 1708534800)).toBe('bedrock') // Ecotone activation block
  })

  it('computes the blob base fee with the L1 fork update fraction', () => {
    expect(blobBaseFee(0n, PRAGUE_UPDATE_FRACTION)).toBe(1n)
    // EIP-4844 reference values: fake_exponential(1, 10*3338477, 3338477) ≈ e^10 = 22026
    expect(blobBaseFee(10n * 3338477n, 3338477n)).toBe(22026n)
  })
})

function be4(n: number): number[] {
  return [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]
}
