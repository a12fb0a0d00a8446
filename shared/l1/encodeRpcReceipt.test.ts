/**
 * The receipts root rebuilt from RPC-shaped receipts equals the real header's receiptsRoot: two real OP Sepolia blocks
 * (kona fixtures with their real next-block header, vectors README §1) re-executed by the project's executor give the
 * receipts (deposit receipts 0x7e with depositNonce/version, legacy and EIP-1559 receipts); they are turned into the
 * JSON an RPC node serves and go through the same parse → encode → trie path the L1 source uses.
 */
import { bytesToHex, keccak256, type Hex } from 'viem'
import { describe, expect, it } from 'vitest'
import { createWitnessStore } from '../rollups/op-stack/state/createWitnessStore'
import { executeBlock } from '../rollups/op-stack/execute/executeBlock'
import { parseExecutorVector } from '../rollups/op-stack/execute/parseExecutorVector'
import { readVectorJson } from '../../fixtures/vectors'
import { encodeRpcReceipt, rpcReceiptSchema } from './encodeRpcReceipt'
import { orderedTrieRoot } from './orderedTrieRoot'
import { selectVerifiedLogs } from './selectVerifiedLogs'
import { type Receipt } from '../eth/encodeReceipt'
import { bloomMayContain } from '../eth/logsBloom'
import { hexBytes } from '../eth/bytes'

const q = (v: bigint | number): Hex => `0x${v.toString(16)}`

function toRpc(r: Receipt, i: number, blockHash: Hex, txHash: Hex): Record<string, unknown> {
  return {
    type: q(r.type),
    status: q(r.status),
    cumulativeGasUsed: q(r.cumulativeGasUsed),
    logsBloom: bytesToHex(r.bloom),
    logs: r.logs.map((l) => ({ address: bytesToHex(l.address), topics: l.topics.map((t) => bytesToHex(t)), data: bytesToHex(l.data), removed: false })),
    transactionHash: txHash,
    transactionIndex: q(i),
    blockHash,
    ...(r.depositNonce !== undefined ? { depositNonce: q(r.depositNonce) } : {}),
    ...(r.depositReceiptVersion !== undefined ? { depositReceiptVersion: q(r.depositReceiptVersion) } : {}),
  }
}

for (const n of [26207960, 26207961]) {
  describe(`receipts root on real OP Sepolia block ${n}`, async () => {
    const raw = readVectorJson<{ expectedHeader: { receiptsRoot: Hex; logsBloom: Hex; hash: Hex; gasUsed: Hex } }>(`op/executor/op-sepolia-block-${n}.json`)
    const v = parseExecutorVector(raw)
    const header = raw.expectedHeader
    const result = await executeBlock({ config: v.config, parent: v.parent, attributes: v.attributes, store: createWitnessStore({ blockNumber: v.blockNumber, witness: v.witness }) })
    const txHashes = v.attributes.transactions.map((t) => keccak256(t))
    const rpc = result.receipts.map((r, i) => toRpc(r, i, header.hash, txHashes[i] as Hex))

    it('rebuilds the header’s receiptsRoot from RPC-shaped receipts', () => {
      expect(rpc.length).toBeGreaterThan(5)
      expect(new Set(result.receipts.map((r) => r.type))).toEqual(new Set([0x7e, 0, 2]))
      const encoded = rpc.map((r) => encodeRpcReceipt(rpcReceiptSchema.parse(r)))
      expect(orderedTrieRoot(encoded)).toBe(header.receiptsRoot)
    })

    it('the header bloom may contain every log’s address', () => {
      const bloom = hexBytes(header.logsBloom)
      const logs = result.receipts.flatMap((r) => r.logs)
      expect(logs.length).toBeGreaterThan(0)
      for (const l of logs) expect(bloomMayContain(bloom, l.address)).toBe(true)
    })

    it('selectVerifiedLogs returns the logs with block-wide indices, and refuses any change to the receipts', () => {
      const block = { number: n, hash: header.hash, receiptsRoot: header.receiptsRoot, gasUsed: BigInt(header.gasUsed) }
      const all = result.receipts.flatMap((r) => r.logs)
      const target = bytesToHex(all[all.length - 1]!.address)
      const ok = selectVerifiedLogs({ block, transactionHashes: txHashes, receipts: rpc, addresses: [target] })
      if (!ok.ok) throw new Error(ok.problem)
      expect(ok.logCount).toBe(all.length)
      expect(ok.logs.length).toBe(all.filter((l) => bytesToHex(l.address) === target).length)
      const last = ok.logs[ok.logs.length - 1]!
      expect(last.logIndex).toBe(all.length - 1)
      expect(last.transactionHash).toBe(txHashes[last.transactionIndex])

      const clone = (): Record<string, unknown>[] => JSON.parse(JSON.stringify(rpc)) as Record<string, unknown>[]
      const withLogs = rpc.findIndex((r) => (r.logs as unknown[]).length > 0)
      const tamper: [string, (x: Record<string, unknown>[]) => void][] = [
        ['drop a log', (x) => (x[withLogs]!.logs as unknown[]).pop()],
        ['alter log data', (x) => { const l = (x[withLogs]!.logs as { data: string }[])[0]!; l.data = `${l.data}00` }],
        ['add a log', (x) => (x[withLogs]!.logs as unknown[]).push({ address: target, topics: [], data: '0x' })],
        ['flip a status', (x) => { x[1]!.status = x[1]!.status === '0x1' ? '0x0' : '0x1' }],
        ['swap two receipts', (x) => { const a = x[1]!; x[1] = x[2]!; x[2] = a; x[1].transactionIndex = '0x1'; x[2].transactionIndex = '0x2'; x[1].transactionHash = txHashes[1]; x[2].transactionHash = txHashes[2] }],
        ['drop a receipt', (x) => x.pop()],
        ['wrong transaction hash', (x) => { x[0]!.transactionHash = `0x${'11'.repeat(32)}` }],
        ['wrong block hash', (x) => { x[0]!.blockHash = `0x${'22'.repeat(32)}` }],
        ['malformed bloom', (x) => { x[0]!.logsBloom = '0x00' }],
      ]
      for (const [what, f] of tamper) {
        const bad = clone()
        f(bad)
        const r = selectVerifiedLogs({ block, transactionHashes: txHashes, receipts: bad, addresses: [target] })
        expect(r.ok, what).toBe(false)
      }
      // A header whose gas could not pay for the log data refuses the answer before any hashing.
      const r = selectVerifiedLogs({ block: { ...block, gasUsed: 375n }, transactionHashes: txHashes, receipts: rpc, addresses: [target] })
      expect(r.ok === false && r.problem).toMatch(/more log data than/)
    })
  })
}

describe('encodeRpcReceipt refuses what has no encoding', () => {
  const base = { cumulativeGasUsed: '0x5208', logsBloom: `0x${'00'.repeat(256)}`, logs: [], transactionHash: `0x${'00'.repeat(32)}`, transactionIndex: '0x0', blockHash: `0x${'00'.repeat(32)}` }
  it('pre-Byzantium (root instead of status), a status of 2, a type ≥ 0x80', () => {
    expect(() => encodeRpcReceipt(rpcReceiptSchema.parse({ ...base, root: `0x${'00'.repeat(32)}` }))).toThrow(/pre-Byzantium/)
    expect(() => encodeRpcReceipt(rpcReceiptSchema.parse({ ...base, status: '0x2' }))).toThrow(/status/)
    expect(() => encodeRpcReceipt(rpcReceiptSchema.parse({ ...base, status: '0x1', type: '0x80' }))).toThrow(/EIP-2718/)
  })
  it('an empty receipt list has the empty-trie root', () => {
    expect(orderedTrieRoot([])).toBe('0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421')
  })
})
