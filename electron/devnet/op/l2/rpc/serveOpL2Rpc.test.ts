/**
 * The devnet OP L2's JSON-RPC read by the app's own untrusted-L2 client (createRpcL2BlockSource) and verifiers:
 * honest answers pass verifyL2Block (header hash, transactions root), eth_getProof verifies against the header's state
 * root, the execution witness holds the parent state root's node. Each lying mode changes one byte and is caught by
 * that same check; every other call stays honest. Then the transport: batches, bounds, errors, and a node that is gone.
 */
import { keccak_256 } from '@noble/hashes/sha3.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hexToBytes, keccak256, numberToHex, type Hex, type PublicClient } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { devnetRollupConfig } from '../../../../../shared/rollups/op-stack/config/builtinRollupConfigs'
import type { RollupConfig } from '../../../../../shared/rollups/op-stack/config/rollupConfig'
import { UntrustedL2DataError } from '../../../../../shared/rollups/op-stack/derive/start/errors'
import { verifyL2Block } from '../../../../../shared/rollups/op-stack/derive/start/verifyL2Block'
import { parseExecutionWitness } from '../../../../../shared/rollups/op-stack/replay/parseExecutionWitness'
import { verifyProof } from '../../../../../shared/trie/verifyProof'
import { TrieProofError } from '../../../../../shared/trie/errors'
import { createRpcL2BlockSource, type RpcL2BlockSource } from '../../../../services/op/createRpcL2BlockSource'
import { createFakeOpL2Chain, FAKE_SENDER_KEY, type FakeOpL2Chain } from '../batcher/test-support/fakeOpL2Chain'
import { createOpL2Switches, type OpL2RpcServer } from '../types'
import { serveOpL2Rpc } from './serveOpL2Rpc'

const L1_GENESIS = { hash: `0x${'11'.repeat(32)}` as Hex, number: 5 }
/** The fake chain takes L1 origins from this L1: one block, so every L2 block keeps the genesis origin. */
const l1Stub = { getBlockNumber: async () => BigInt(L1_GENESIS.number) } as unknown as PublicClient

let config: RollupConfig
let chain: FakeOpL2Chain
let server: OpL2RpcServer
let node: RpcL2BlockSource
const switches = createOpL2Switches()
const sender = privateKeyToAccount(FAKE_SENDER_KEY).address

async function rpc(body: unknown): Promise<{ status: number; json: unknown }> {
  const r = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) })
  return { status: r.status, json: await r.json() }
}
const call = async (method: string, params: unknown[] = []) => (await rpc({ jsonrpc: '2.0', id: 1, method, params })).json as { result?: any; error?: { code: number; message: string } } // eslint-disable-line @typescript-eslint/no-explicit-any

beforeAll(async () => {
  config = devnetRollupConfig(
    {
      l1ChainId: 31337,
      l2ChainId: 901,
      batchInbox: '0xff00000000000000000000000000000000000901',
      contracts: { optimismPortal: '0x0000000000000000000000000000000000000001', systemConfig: '0x0000000000000000000000000000000000000002' },
      roles: { batcher: '0x0000000000000000000000000000000000000003' },
      parameters: {},
    },
    { l1: L1_GENESIS, l2: { hash: `0x${'22'.repeat(32)}`, number: 0 }, l2Time: 1_700_000_000 },
  )
  chain = createFakeOpL2Chain(l1Stub, config)
  await chain.extend(8)
  server = await serveOpL2Rpc({ chain, switches, maxLogRange: 5n })
  node = createRpcL2BlockSource({ url: server.url, retryCount: 0 })
})

afterAll(async () => {
  await server?.stop()
})

describe('devnet OP L2 RPC: honest answers pass the app checks', () => {
  it('serves blocks that verify (header hash, fork fields, transactions root) and match the chain', async () => {
    expect(await node.chainId()).toBe(901)
    expect((await call('eth_blockNumber')).result).toBe('0x8')
    for (const n of [1, 5, 8]) {
      const block = await node.blockByNumber(n)
      const verified = verifyL2Block({ config, block, expectedHash: chain.block(BigInt(n))!.hash, node: node.label })
      expect(verified.transactions.map((t) => keccak256(t))).toEqual(chain.block(BigInt(n))!.transactions.map((t) => t.hash))
    }
    const byHash = await node.blockByHash(chain.block(5n)!.hash)
    expect(byHash.header.number).toBe(5n)
    const hashesOnly = await call('eth_getBlockByNumber', ['0x5', false])
    expect(hashesOnly.result.transactions).toEqual(chain.block(5n)!.transactions.map((t) => t.hash))
    expect((await call('eth_getBlockByNumber', ['0x99', false])).result).toBeNull()
  })

  it('serves eth_getProof that verifies against the block state root, and balances from the same state', async () => {
    const block = chain.block(7n)!
    const p = (await call('eth_getProof', [sender, [], { blockHash: block.hash }])).result
    const leaf = verifyProof({ root: hexToBytes(block.stateRoot), key: keccak_256(hexToBytes(sender)), proof: p.accountProof.map((x: Hex) => hexToBytes(x)) })
    expect(leaf).not.toBeNull()
    expect(BigInt((await call('eth_getBalance', [sender, '0x7'])).result)).toBe(BigInt(p.balance))
    expect((await call('eth_getTransactionCount', [sender, '0x7'])).result).toBe(p.nonce)
  })

  it('serves debug_executionWitness holding the parent state root node and header', async () => {
    const table = parseExecutionWitness({ json: (await call('debug_executionWitness', ['0x6'])).result, blockNumber: 6n, node: 'devnet' })
    expect(table[chain.block(5n)!.stateRoot]).toBeDefined()
    expect(table[chain.block(5n)!.hash]).toBeDefined()
    expect((await call('debug_executionWitness', ['0x0'])).error?.code).toBe(-32000)
  })

  it('serves receipts, logs (bounded range), outputs, and sends raw transactions to the pool', async () => {
    const tx = chain.block(4n)!.transactions[1]!
    const receipt = (await call('eth_getTransactionReceipt', [tx.hash])).result
    expect(receipt).toMatchObject({ transactionHash: tx.hash, blockHash: chain.block(4n)!.hash, status: '0x1', from: tx.from, type: numberToHex(tx.type) })
    const deposit = (await call('eth_getTransactionReceipt', [chain.block(4n)!.transactions[0]!.hash])).result
    expect(deposit).toMatchObject({ type: '0x7e', depositNonce: '0x4', depositReceiptVersion: '0x1' })
    const logs = (await call('eth_getLogs', [{ fromBlock: '0x3', toBlock: '0x5', address: receipt.logs[0].address }])).result
    expect(logs).toEqual(receipt.logs)
    expect((await call('eth_getLogs', [{ fromBlock: '0x1', toBlock: '0x6' }])).error).toEqual({ code: -32005, message: 'block range too large: at most 5 blocks per eth_getLogs' })
    expect((await call('eth_getLogs', [{ fromBlock: '0x1', toBlock: '0x5' }])).error).toBeUndefined()
    expect((await call('eth_getLogs', [{ fromBlock: '0x1', toBlock: '0x99' }])).error?.message).toBe('header not found')
    expect((await call('optimism_outputAtBlock', ['0x3'])).result).toMatchObject({ outputRoot: chain.block(3n)!.outputRoot, stateRoot: chain.block(3n)!.stateRoot, blockRef: { number: 3, hash: chain.block(3n)!.hash } })

    const raw = await privateKeyToAccount(FAKE_SENDER_KEY).signTransaction({ type: 'eip1559', chainId: 901, nonce: 100, to: sender, value: 1n, gas: 21_000n, maxFeePerGas: 2_000_000n, maxPriorityFeePerGas: 1n })
    const hash = (await call('eth_sendRawTransaction', [raw])).result
    expect(hash).toBe(keccak256(raw))
    await chain.extend(1)
    expect((await call('eth_getTransactionByHash', [hash])).result).toMatchObject({ hash, blockNumber: '0x9', from: sender })
  })
})

describe('devnet OP L2 RPC: each lie changes one thing and is caught', () => {
  it('wrong-header: the block no longer hashes to the hash the node claims', async () => {
    switches.rpcLies = 'wrong-header'
    try {
      const block = await node.blockByNumber(3)
      expect(block.header.hash).toBe(chain.block(3n)!.hash)
      expect(() => verifyL2Block({ config, block, node: node.label })).toThrow(UntrustedL2DataError)
      expect(() => verifyL2Block({ config, block, node: node.label })).toThrow(/does not hash to the hash it claims/)
      expect((await call('eth_getTransactionReceipt', [chain.block(3n)!.transactions[0]!.hash])).result.blockHash).toBe(chain.block(3n)!.hash)
    } finally {
      switches.rpcLies = undefined
    }
  })

  it('wrong-proof: the proof no longer leads from the state root', async () => {
    switches.rpcLies = 'wrong-proof'
    try {
      const block = chain.block(7n)!
      const p = (await call('eth_getProof', [sender, [], '0x7'])).result
      expect(() => verifyProof({ root: hexToBytes(block.stateRoot), key: keccak_256(hexToBytes(sender)), proof: p.accountProof.map((x: Hex) => hexToBytes(x)) })).toThrow(TrieProofError)
      verifyL2Block({ config, block: await node.blockByNumber(7), node: node.label }) // headers stay honest
    } finally {
      switches.rpcLies = undefined
    }
  })

  it('wrong-witness: the parent state root node is missing from the re-keyed witness', async () => {
    switches.rpcLies = 'wrong-witness'
    try {
      const table = parseExecutionWitness({ json: (await call('debug_executionWitness', ['0x6'])).result, blockNumber: 6n, node: 'devnet' })
      expect(table[chain.block(5n)!.stateRoot]).toBeUndefined()
      expect(table[chain.block(5n)!.hash]).toBeDefined()
    } finally {
      switches.rpcLies = undefined
    }
  })
})

describe('devnet OP L2 RPC: transport', () => {
  it('answers batches in order, with JSON-RPC errors for bad input and unknown methods', async () => {
    const { json } = await rpc([
      { jsonrpc: '2.0', id: 1, method: 'eth_chainId', params: [] },
      { jsonrpc: '2.0', id: 2, method: 'eth_nope', params: [] },
      { jsonrpc: '2.0', id: 3, method: 'eth_getBalance', params: ['not an address'] },
      { nonsense: true },
    ])
    expect(json).toEqual([
      { jsonrpc: '2.0', id: 1, result: '0x385' },
      { jsonrpc: '2.0', id: 2, error: { code: -32601, message: expect.stringMatching(/eth_nope/) } },
      { jsonrpc: '2.0', id: 3, error: { code: -32602, message: expect.stringMatching(/invalid address/) } },
      { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'invalid request' } },
    ])
    expect((await rpc('{not json')).json).toMatchObject({ error: { code: -32700 } })
    expect((await rpc([])).json).toMatchObject({ error: { code: -32600 } })
    expect((await rpc(Array.from({ length: 101 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'eth_chainId' })))).json).toMatchObject({ error: { code: -32600 } })
    const big = await rpc({ jsonrpc: '2.0', id: 1, method: 'eth_sendRawTransaction', params: [`0x${'00'.repeat(5 * 1024 * 1024)}`] })
    expect(big.status).toBe(413)
  })

  it('is gone while rpcStopped (connections dropped, the app reports the node unavailable), and back after', async () => {
    switches.rpcStopped = true
    try {
      await expect(fetch(server.url, { method: 'POST', body: '{}' })).rejects.toThrow()
      await expect(node.blockByNumber(1)).rejects.toThrow(/did not answer/)
    } finally {
      switches.rpcStopped = false
    }
    expect(await node.chainId()).toBe(901)
  })
})
