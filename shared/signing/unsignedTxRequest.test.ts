import { describe, expect, it } from 'vitest'
import { keccak256, parseTransaction, serializeTransaction } from 'viem'
import { describeDeviceDisplay } from './describeDeviceDisplay'
import { planFeeBump } from './planFeeBump'
import { maxFeeOf, serializeUnsignedTx, signingHashOf, unsignedTxRequestJsonSchema, unsignedTxRequestSchema, unsignedTxRequestToJson, type UnsignedTxRequest } from './unsignedTxRequest'

const to = '0x70997970c51812dc3a010c7d01b50e0d17dc79c8'
const eip1559: UnsignedTxRequest = { type: 'eip1559', chainId: 1, nonce: 9, gas: 21_000n, maxFeePerGas: 40n * 10n ** 9n, maxPriorityFeePerGas: 2n * 10n ** 9n, to, value: 10n ** 18n, data: '0x' }

describe('UnsignedTxRequest', () => {
  it('validates and normalises in-memory requests', () => {
    const parsed = unsignedTxRequestSchema.parse({ ...eip1559, data: '0xABCD' })
    expect(parsed.to).toBe('0x70997970C51812dc3A010C7d01b50e0d17dc79C8')
    expect(parsed.data).toBe('0xabcd')
    for (const bad of [
      { ...eip1559, maxPriorityFeePerGas: eip1559.maxFeePerGas + 1n },
      { ...eip1559, gas: 0n },
      { ...eip1559, chainId: 0 },
      { ...eip1559, value: -1n },
      { ...eip1559, value: 1n << 256n },
      { ...eip1559, to: '0x1234' },
      { ...eip1559, data: '0xabc' },
      { ...eip1559, extra: 1 },
      { ...eip1559, type: 'eip4844' },
    ]) expect(unsignedTxRequestSchema.safeParse(bad).success).toBe(false)
  })

  it('round-trips through the JSON form (decimal strings)', () => {
    const legacy: UnsignedTxRequest = { type: 'legacy', chainId: 421614, nonce: 0, gas: 100_000n, gasPrice: 123n, to: null, value: 0n, data: '0x6000' }
    for (const tx of [eip1559, legacy]) {
      const json = JSON.parse(JSON.stringify(unsignedTxRequestToJson(tx))) as unknown
      expect(unsignedTxRequestJsonSchema.parse(json)).toEqual(unsignedTxRequestSchema.parse(tx))
    }
    expect(unsignedTxRequestJsonSchema.safeParse({ ...unsignedTxRequestToJson(eip1559), value: '1e18' }).success).toBe(false)
    expect(unsignedTxRequestJsonSchema.safeParse({ ...unsignedTxRequestToJson(eip1559), value: '01' }).success).toBe(false)
  })

  it('serializes to what viem signs; the signing hash is keccak of it', () => {
    expect(serializeUnsignedTx(eip1559)).toBe(serializeTransaction({ ...eip1559, accessList: [] }))
    expect(parseTransaction(serializeUnsignedTx(eip1559))).toMatchObject({ chainId: 1, nonce: 9, value: 10n ** 18n })
    expect(signingHashOf(eip1559)).toBe(keccak256(serializeUnsignedTx(eip1559)))
    expect(maxFeeOf(eip1559)).toBe(21_000n * 40n * 10n ** 9n)
  })

  it('describes what the Ledger will show: clear for transfers, the hash for blind signing', () => {
    const clear = describeDeviceDisplay(eip1559)
    expect(clear.mode).toBe('clear')
    expect(clear.fields).toEqual([
      { label: 'Amount', value: '1 ETH' },
      { label: 'Address', value: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8' },
      { label: 'Network', value: 'chain ID 1' },
      { label: 'Max fees', value: '0.00084 ETH' },
    ])
    const blind = describeDeviceDisplay({ ...eip1559, data: '0x12345678' })
    expect(blind.mode).toBe('blind')
    expect(blind.fields.at(-1)).toEqual({ label: 'Transaction hash', value: blind.signingHash })
    expect(blind.instruction).toContain(blind.signingHash)
  })

  it('plans a fee bump of at least 10% on both fee fields, or the network suggestion when higher', () => {
    const bumped = planFeeBump(eip1559)
    if (bumped.type !== 'eip1559') throw new Error('type changed')
    expect(bumped.maxFeePerGas).toBe(45n * 10n ** 9n)
    expect(bumped.maxPriorityFeePerGas).toBe(2_250_000_000n)
    expect({ ...bumped, maxFeePerGas: 0n, maxPriorityFeePerGas: 0n }).toEqual({ ...eip1559, maxFeePerGas: 0n, maxPriorityFeePerGas: 0n })
    const suggested = planFeeBump(eip1559, { suggestedMaxFeePerGas: 100n * 10n ** 9n })
    expect(suggested.type === 'eip1559' && suggested.maxFeePerGas).toBe(100n * 10n ** 9n)
    const tiny = planFeeBump({ ...eip1559, maxFeePerGas: 1n, maxPriorityFeePerGas: 1n })
    expect(tiny.type === 'eip1559' && [tiny.maxFeePerGas, tiny.maxPriorityFeePerGas]).toEqual([2n, 2n])
    expect(() => planFeeBump(eip1559, { percent: 5 })).toThrow(RangeError)
    const legacy = planFeeBump({ type: 'legacy', chainId: 1, nonce: 0, gas: 21_000n, gasPrice: 100n, to, value: 0n, data: '0x' })
    expect(legacy.type === 'legacy' && legacy.gasPrice).toBe(113n)
  })
})
