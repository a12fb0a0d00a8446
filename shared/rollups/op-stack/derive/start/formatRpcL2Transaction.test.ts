import { hexToBytes } from 'viem'
import { describe, expect, it } from 'vitest'
import { readVectorJson } from '../../../../../fixtures/vectors'
import { toHex } from '../../../../eth/bytes'
import { parseExecutorVector } from '../../execute/parseExecutorVector'
import { formatRpcL2Transaction } from './formatRpcL2Transaction'
import { serializeRpcL2Transaction } from './parseRpcL2Block'

describe('formatRpcL2Transaction', () => {
  it('round-trips every transaction of a real OP Sepolia block (deposits, legacy, 1559) through the RPC parser', () => {
    const v = parseExecutorVector(readVectorJson('op/executor/op-sepolia-block-26207961.json'))
    const types = new Set<number>()
    v.attributes.transactions.forEach((tx, index) => {
      const raw = hexToBytes(tx)
      types.add(raw[0]! >= 0xc0 ? 0 : raw[0]!)
      const json = formatRpcL2Transaction(raw, { blockHash: `0x${'00'.repeat(32)}`, blockNumber: v.blockNumber, index })
      expect(toHex(serializeRpcL2Transaction(json as never))).toBe(tx.toLowerCase())
    })
    expect(types.has(0x7e)).toBe(true)
    expect(types.size).toBeGreaterThan(1)
  })
})
