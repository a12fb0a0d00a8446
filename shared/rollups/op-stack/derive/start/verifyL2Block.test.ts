/** verifyL2Block and parseRpcL2Block on two real OP Sepolia blocks (shared vectors §1), and on tampered copies. */
import { describe, expect, it } from 'vitest'
import type { Hex } from 'viem'
import { parseRpcL2Block } from './parseRpcL2Block'
import { verifyL2Block } from './verifyL2Block'
import { UntrustedL2DataError } from './errors'
import { realL2Blocks } from './test-support/realL2Blocks'
import { toRpcBlock } from './test-support/rpcL2Block'

const { config, blocks } = realL2Blocks()
const [b60, b61] = blocks

function problemOf(f: () => unknown): string | undefined {
  try {
    f()
  } catch (e) {
    if (e instanceof UntrustedL2DataError) return e.problem
    throw e
  }
  return undefined
}

describe('verifyL2Block on real OP Sepolia blocks', () => {
  it('re-hashes the header and rebuilds transactionsRoot from the node JSON (deposit, legacy and EIP-1559 txs)', () => {
    for (const b of blocks) {
      const json = JSON.parse(JSON.stringify(toRpcBlock(b.header, b.transactions)))
      const parsed = parseRpcL2Block(json, 'node-a')
      expect(parsed.transactions.map((t) => Buffer.from(t).toString('hex'))).toEqual(b.transactions.map((t) => Buffer.from(t).toString('hex')))
      const v = verifyL2Block({ config, block: parsed, expectedHash: b.header.hash, node: 'node-a' })
      expect(v.hash).toBe(b.header.hash)
    }
    expect(b61.header.parentHash).toBe(b60.header.hash)
    expect(b60.transactions.length).toBe(10)
  })

  it('refuses one changed byte of a transaction', () => {
    const txs = b60.transactions.map((t) => t.slice())
    const tx = txs[3] as Uint8Array
    tx[tx.length - 40] = (tx[tx.length - 40] as number) ^ 1
    expect(problemOf(() => verifyL2Block({ config, block: { header: b60.header, transactions: txs } }))).toBe('transactions-root')
    // A dropped or reordered transaction too.
    expect(problemOf(() => verifyL2Block({ config, block: { header: b60.header, transactions: b60.transactions.slice(0, -1) } }))).toBe('transactions-root')
    const swapped = [...b60.transactions]
    ;[swapped[1], swapped[2]] = [swapped[2] as Uint8Array, swapped[1] as Uint8Array]
    expect(problemOf(() => verifyL2Block({ config, block: { header: b60.header, transactions: swapped } }))).toBe('transactions-root')
  })

  it('refuses JSON whose fields do not serialise to the transaction hash the node gave', () => {
    const json = JSON.parse(JSON.stringify(toRpcBlock(b60.header, b60.transactions))) as { transactions: Record<string, string>[] }
    const t = json.transactions[2] as Record<string, string>
    t.value = `0x${(BigInt(t.value as string) + 1n).toString(16)}`
    const e = (() => {
      try {
        parseRpcL2Block(json, 'node-b')
      } catch (x) {
        return x as UntrustedL2DataError
      }
    })()
    expect(e?.problem).toBe('malformed')
    expect(e?.shortMessage).toMatch(/node-b/)
  })

  it('refuses a changed header field, a wrong expected hash, and fields of the wrong fork', () => {
    expect(problemOf(() => verifyL2Block({ config, block: { header: { ...b60.header, gasUsed: b60.header.gasUsed + 1n }, transactions: b60.transactions } }))).toBe('block-hash')
    expect(problemOf(() => verifyL2Block({ config, block: b60, expectedHash: b61.header.hash }))).toBe('block-hash')
    expect(problemOf(() => verifyL2Block({ config, block: { header: { ...b60.header, requestsHash: `0x${'00'.repeat(32)}` as Hex }, transactions: b60.transactions } }))).toBe('header-fields')
    expect(problemOf(() => verifyL2Block({ config, block: { header: { ...b60.header, parentBeaconBlockRoot: undefined }, transactions: b60.transactions } }))).toBe('header-fields')
    // A header re-hashed by a lying node after changing transactionsRoot still fails on the expected hash.
    const e = (() => {
      try {
        verifyL2Block({ config, block: b60, expectedHash: b61.header.hash, node: 'http://l2.example' })
      } catch (x) {
        return x as UntrustedL2DataError
      }
    })()
    expect(e?.shortMessage).toBe('The L2 node served the wrong block 26207960. (L2 node http://l2.example)')
    expect(e?.steps[0]).toMatch(/Try another L2 node/)
  })
})
