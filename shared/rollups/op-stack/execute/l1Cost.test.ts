import { describe, expect, it } from 'vitest'
import { computeDaFootprint, computeL1Cost, computeOperatorFee, readL1BlockInfo, type L1BlockInfo } from './l1Cost'

// Values of OP Sepolia block 26207960's L1-info deposit (baseFeeScalar 7600, blobBaseFeeScalar 862000,
// l1BaseFee 30570189, blobBaseFee 1) and the registry's Bedrock overhead/scalar (188, 684000).
const info: L1BlockInfo = {
  l1BaseFee: 30_570_189n,
  l1BlobBaseFee: 1n,
  baseFeeScalar: 7600n,
  blobBaseFeeScalar: 862_000n,
  l1FeeOverhead: 188n,
  l1FeeScalar: 684_000n,
  operatorFeeScalar: 2_000_000n,
  operatorFeeConstant: 5n,
  daFootprintGasScalar: 0n,
}

describe('L1 data fee (hand-computed expectations)', () => {
  it('Fjord: minimum estimated size 100 bytes', () => {
    // scaled = 7600*30570189*16 + 862000 = 3,717,335,844,400; fee = 1e8 * scaled / 1e12
    expect(computeL1Cost(Uint8Array.of(0xfa, 0xca, 0xde), info, 'fjord')).toBe(371_733_584n)
  })
  it('Ecotone: calldata gas 4 per zero byte, 16 per non-zero', () => {
    // 36 * 3,717,335,844,400 / 16e6 = 133,824,090,398,400 / 16e6
    expect(computeL1Cost(Uint8Array.of(0, 1, 2), info, 'ecotone')).toBe(8_364_005n)
  })
  it('Bedrock (and the Ecotone activation block while scalars are zero)', () => {
    // (36 + 188) * 30570189 * 684000 / 1e6
    expect(computeL1Cost(Uint8Array.of(0, 1, 2), info, 'bedrock')).toBe(4_683_842_077n)
    expect(computeL1Cost(Uint8Array.of(0, 1, 2), { ...info, baseFeeScalar: 0n, blobBaseFeeScalar: 0n }, 'ecotone')).toBe(4_683_842_077n)
  })
  it('deposits pay none', () => {
    expect(computeL1Cost(Uint8Array.of(0x7e, 1, 2), info, 'fjord')).toBe(0n)
  })
})

describe('operator fee and DA footprint', () => {
  it('Isthmus: gas*scalar/1e6 + constant; Jovian: gas*scalar*100 + constant', () => {
    expect(computeOperatorFee(100_000n, info, false)).toBe(200_005n)
    expect(computeOperatorFee(100_000n, info, true)).toBe(20_000_000_000_005n)
    expect(computeOperatorFee(100_000n, { ...info, operatorFeeScalar: 0n, operatorFeeConstant: 0n }, false)).toBe(0n)
  })
  it('Jovian DA footprint uses the default scalar 400 when the SystemConfig value is 0', () => {
    expect(computeDaFootprint(Uint8Array.of(1, 2, 3), info)).toBe(100n * 400n)
  })
  it('reads the packed L1Block slots, and slot 8 only from Isthmus', async () => {
    const slots = new Map<bigint, bigint>([
      [1n, 30_570_189n],
      [3n, (7600n << 96n) | (862_000n << 64n) | 7n],
      [7n, 1n],
      [8n, (400n << 96n) | (2_000_000n << 64n) | 5n],
    ])
    const read: bigint[] = []
    const reader = async (s: bigint): Promise<bigint> => {
      read.push(s)
      return slots.get(s) ?? 0n
    }
    const ecotone = await readL1BlockInfo(reader, { ecotone: true, isthmus: false })
    expect(ecotone).toMatchObject({ baseFeeScalar: 7600n, blobBaseFeeScalar: 862_000n, l1BlobBaseFee: 1n, operatorFeeScalar: 0n })
    expect(read).not.toContain(8n)
    const isthmus = await readL1BlockInfo(reader, { ecotone: true, isthmus: true })
    expect(isthmus).toMatchObject({ operatorFeeScalar: 2_000_000n, operatorFeeConstant: 5n, daFootprintGasScalar: 400n })
  })
})
