import fc from 'fast-check'
import type { Hex } from 'viem'
import { parseTransaction } from 'viem/op-stack'
import { describe, expect, it } from 'vitest'
import { readVectorJson } from '../../fixtures/vectors'
import { hexBytes, toHex } from './bytes'
import { DEPOSIT_TX_TYPE, parseTxDeposit, serializeTxDeposit, type TxDeposit } from './TxDeposit'

// The first transaction of a real OP Sepolia block (kona fixture, fixtures/vectors/README.md §1): its L1-info deposit.
const block = readVectorJson<{ payloadAttributes: { transactions: Hex[] } }>('op/executor/op-sepolia-block-26207960.json')
const realDeposit = hexBytes(block.payloadAttributes.transactions[0]!)

describe('TxDeposit (0x7E)', () => {
  it('parses a real deposit and serialises it back to the same bytes', () => {
    const tx = parseTxDeposit(realDeposit)
    expect(tx.from).toBe('0xdeaddeaddeaddeaddeaddeaddeaddeaddead0001')
    expect(tx.to).toBe('0x4200000000000000000000000000000000000015')
    expect(tx.mint).toBe(0n)
    expect(tx.isSystemTransaction).toBe(false)
    expect(serializeTxDeposit(tx)).toEqual(realDeposit)
  })

  it('agrees with viem\'s op-stack parser, an independent implementation', () => {
    const viemTx = parseTransaction(toHex(realDeposit) as `0x7e${string}`)
    const tx = parseTxDeposit(realDeposit)
    expect(viemTx.type).toBe('deposit')
    expect({ sourceHash: viemTx.sourceHash, from: viemTx.from.toLowerCase(), gas: viemTx.gas, data: viemTx.data }).toEqual({ sourceHash: tx.sourceHash, from: tx.from, gas: tx.gas, data: toHex(tx.data) })
  })

  it('round-trips arbitrary deposits (creation, mint, system flag)', () => {
    const bytesN = (n: number) => fc.uint8Array({ minLength: n, maxLength: n }).map(toHex)
    const deposit: fc.Arbitrary<TxDeposit> = fc.record({
      sourceHash: bytesN(32),
      from: bytesN(20),
      to: fc.option(bytesN(20), { nil: undefined }),
      mint: fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }),
      value: fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }),
      gas: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
      isSystemTransaction: fc.boolean(),
      data: fc.uint8Array({ maxLength: 200 }),
    })
    fc.assert(fc.property(deposit, (tx) => {
      const raw = serializeTxDeposit(tx)
      expect(raw[0]).toBe(DEPOSIT_TX_TYPE)
      expect(parseTxDeposit(raw)).toEqual(tx)
    }))
  })

  it('refuses what is not a well-formed deposit', () => {
    expect(() => parseTxDeposit(Uint8Array.of(0x02, 0xc0))).toThrow(/not a deposit/)
    expect(() => parseTxDeposit(Uint8Array.of(0x7e, 0xc0))).toThrow(/8 byte strings/)
    const tooLong = realDeposit.slice()
    tooLong[1] = tooLong[1]! + 1 // list header claims one byte more than there is
    expect(() => parseTxDeposit(tooLong)).toThrow()
    expect(() => serializeTxDeposit({ ...parseTxDeposit(realDeposit), from: '0x1234' })).toThrow(RangeError)
  })
})
