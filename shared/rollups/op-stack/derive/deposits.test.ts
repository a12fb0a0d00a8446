import { describe, expect, it } from 'vitest'
import { readVectorJson } from '../../../../fixtures/vectors'
import { applyL1ToL2Alias, decodeDepositLog, depositsFromLogs, l1InfoDepositSourceHash, userDepositSourceHash } from './deposits'
import { hashTx } from './hashTx'
import type { L1Log } from '../../../l1/L1Source'
import { serializeTxDeposit } from '../../../eth/TxDeposit'
import { hexBytes, toHex } from '../../../eth/bytes'

interface DepositVectors {
  single: { log: { blockHash: `0x${string}`; logIndex: number; from: string; to: string; opaqueData: string }; expected: { sourceHash: string; rawTransaction: string; l2TransactionHash: string } }
  receipt: { l1BlockHash: `0x${string}`; logs: { address: string; logIndex: number; topics: `0x${string}`[]; data: `0x${string}`; expected: { sourceHash: string; rawTransaction: string; l2TransactionHash: string } }[] }
}
const v = readVectorJson<DepositVectors>('op/withdrawals/deposits.json')

describe('deposits', () => {
  it('the real OP Mainnet deposit log gives the real L2 tx hash', () => {
    const { log, expected } = v.single
    // Rebuild the event as the portal emits it: topics [sig, from, to, version], data = abi.encode(bytes opaqueData).
    const opaque = hexBytes(log.opaqueData)
    const padded = new Uint8Array(Math.ceil(opaque.length / 32) * 32)
    padded.set(opaque)
    const data = toHex(new Uint8Array([...hexBytes(`0x${(32).toString(16).padStart(64, '0')}`), ...hexBytes(`0x${opaque.length.toString(16).padStart(64, '0')}`), ...padded]))
    const pad = (a: string): `0x${string}` => `0x${a.slice(2).toLowerCase().padStart(64, '0')}`
    const dep = decodeDepositLog({
      topics: ['0xb3813568d9991fc951961fcb4c784893574240a28925604d09fc577c55bb7c32', pad(log.from), pad(log.to), pad('0x0')],
      data,
      blockHash: log.blockHash,
      logIndex: log.logIndex,
    })
    expect(dep.sourceHash).toBe(expected.sourceHash)
    const raw = serializeTxDeposit(dep)
    expect(toHex(raw)).toBe(expected.rawTransaction)
    expect(hashTx(raw)).toBe(expected.l2TransactionHash)
  })

  it('decodes real receipt logs and keeps only the chain portal', () => {
    const logs: L1Log[] = v.receipt.logs.map((l) => ({
      address: l.address as `0x${string}`,
      topics: l.topics,
      data: l.data,
      logIndex: l.logIndex,
      transactionIndex: 0,
      transactionHash: '0x00',
      blockHash: v.receipt.l1BlockHash,
      blockNumber: 18480930,
    }))
    const op = depositsFromLogs(logs, '0xbEb5Fc579115071764c7423A4f12eDde41f106Ed')
    expect(op.length).toBe(2)
    const opLogs = v.receipt.logs.filter((l) => l.address === '0xbeb5fc579115071764c7423a4f12edde41f106ed')
    op.forEach((d, i) => {
      expect(d.sourceHash).toBe(opLogs[i]?.expected.sourceHash)
      expect(hashTx(serializeTxDeposit(d))).toBe(opLogs[i]?.expected.l2TransactionHash)
    })
    const base = depositsFromLogs(logs, '0x49048044D57e1C92A77f79988d21Fa8fAF74E97e')
    expect(base.map((d) => hashTx(serializeTxDeposit(d)))).toEqual([v.receipt.logs[2]?.expected.l2TransactionHash])
  })

  it('rejects malformed deposit events loudly', () => {
    const l = v.receipt.logs[0]!
    const base = { topics: l.topics, data: l.data, blockHash: v.receipt.l1BlockHash, logIndex: 1 }
    expect(() => decodeDepositLog({ ...base, topics: l.topics.slice(0, 3) })).toThrow(/4 topics/)
    expect(() => decodeDepositLog({ ...base, data: `0x${'00'.repeat(31)}20${l.data.slice(66)}` as `0x${string}` })).not.toThrow()
    expect(() => decodeDepositLog({ ...base, data: `0x${'00'.repeat(31)}40${l.data.slice(66)}` as `0x${string}` })).toThrow(/offset/)
    expect(() => decodeDepositLog({ ...base, data: `${l.data}${'00'.repeat(32)}` as `0x${string}` })).toThrow(/length/)
  })

  it('aliases L1 contract addresses and computes source hashes per domain', () => {
    expect(applyL1ToL2Alias('0x0000000000000000000000000000000000000000')).toBe('0x1111000000000000000000000000000000001111')
    expect(applyL1ToL2Alias('0xffffffffffffffffffffffffffffffffffffffff')).toBe('0x1111000000000000000000000000000000001110')
    expect(userDepositSourceHash(v.single.log.blockHash, v.single.log.logIndex)).toBe(v.single.expected.sourceHash)
    // L1-info source hash of the OP Sepolia executor block 26207960 (l1-info-vectors.json)
    expect(l1InfoDepositSourceHash('0x9244875342f5e0c1624d00f249b1a7996137b1eb44bdf16396f98f76a1bec6fa', 0)).toBe('0x77efb5d9d697e7e37fffcb8b904e28df49667b73d9fc17515eb0e4a0c377d3db')
  })
})
