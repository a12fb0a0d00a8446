/**
 * Test support: an L2 JSON-RPC node on 127.0.0.1 that serves real OP Sepolia blocks and their witnesses from the
 * executor vectors (fixtures/vectors/op/executor): eth_chainId, eth_getBlockByNumber (full transactions, formatted
 * from the blocks' raw bytes), debug_executionWitness. Optional lies flip one byte of a witness node or forge a
 * self-consistent header, for the tamper tests. Nothing else is answered (eth_getProof: a JSON-RPC error).
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { hexToBytes, numberToHex, type Hex } from 'viem'
import { readVectorJson } from '../../../../fixtures/vectors'
import { hashHeader, type BlockHeader } from '../../../../shared/eth/header'
import { formatRpcL2Transaction } from '../../../../shared/rollups/op-stack/derive/start/formatRpcL2Transaction'
import { parseExecutorVector, type ExecutorVector } from '../../../../shared/rollups/op-stack/execute/parseExecutorVector'

export const VECTOR_RUN = ['26207960', '26207961'] as const

export interface VectorL2Node {
  url: string
  /** The trusted start (parent of the first vector block) and the vectors, for assertions. */
  first: ExecutorVector
  last: ExecutorVector
  rollupConfigJson: unknown
  close(): Promise<void>
}

export interface VectorLies {
  /** Flip one byte of a state node in this block's witness. */
  witness?: bigint
  /** Serve a self-consistent header with a wrong state root for this block. */
  header?: bigint
}

export async function serveVectorL2Node(lies: VectorLies = {}): Promise<VectorL2Node> {
  const raws = VECTOR_RUN.map((n) => readVectorJson<Record<string, unknown>>(`op/executor/op-sepolia-block-${n}.json`))
  const vectors = raws.map((r) => parseExecutorVector(r))
  const headerOf = (raw: Record<string, unknown>): BlockHeader => parseExecutorVector({ ...raw, parentHeader: raw.expectedHeader }).parent
  const blocks = new Map<bigint, { header: BlockHeader; vector: ExecutorVector }>()
  // The anchor block (parent of the first) is served too, with no transactions: only its header is read.
  blocks.set(vectors[0]!.parent.number, { header: vectors[0]!.parent, vector: { ...vectors[0]!, attributes: { ...vectors[0]!.attributes, transactions: [] } } })
  raws.forEach((raw, i) => blocks.set(vectors[i]!.blockNumber, { header: headerOf(raw), vector: vectors[i]! }))
  const q = (v: bigint): Hex => numberToHex(v)

  const formatBlock = (n: bigint): unknown => {
    const b = blocks.get(n)
    if (!b) return null
    let h = { ...b.header, hash: undefined }
    if (lies.header === n) h = { ...h, stateRoot: `0x${'11'.repeat(32)}` }
    const hash = hashHeader(h)
    // The anchor's transactions are not served (its header alone is checked; the vectors do not hold them).
    const txs = n === vectors[0]!.parent.number ? [] : b.vector.attributes.transactions
    return {
      hash, parentHash: h.parentHash, sha3Uncles: h.sha3Uncles, miner: h.miner, stateRoot: h.stateRoot, transactionsRoot: h.transactionsRoot,
      receiptsRoot: h.receiptsRoot, logsBloom: h.logsBloom, difficulty: q(h.difficulty), number: q(h.number), gasLimit: q(h.gasLimit),
      gasUsed: q(h.gasUsed), timestamp: q(h.timestamp), extraData: h.extraData, mixHash: h.mixHash, nonce: h.nonce, baseFeePerGas: q(h.baseFeePerGas),
      ...(h.withdrawalsRoot ? { withdrawalsRoot: h.withdrawalsRoot } : {}),
      ...(h.blobGasUsed !== undefined ? { blobGasUsed: q(h.blobGasUsed) } : {}),
      ...(h.excessBlobGas !== undefined ? { excessBlobGas: q(h.excessBlobGas) } : {}),
      ...(h.parentBeaconBlockRoot ? { parentBeaconBlockRoot: h.parentBeaconBlockRoot } : {}),
      transactions: txs.map((t, index) => formatRpcL2Transaction(hexToBytes(t), { blockHash: hash, blockNumber: n, index })),
      uncles: [],
      withdrawals: [],
    }
  }
  const witness = (n: bigint): unknown => {
    const b = blocks.get(n)
    if (!b || n === vectors[0]!.parent.number) return null
    const state = Object.values(b.vector.witness)
    if (lies.witness === n) {
      const i = state.reduce((best, v, k) => (v.length > state[best]!.length ? k : best), 0)
      const v = state[i]!
      state[i] = `${v.slice(0, 10)}${v[10] === 'f' ? 'e' : 'f'}${v.slice(11)}`
    }
    return { state, codes: [], keys: [], headers: [] }
  }
  const answer = (method: string, params: unknown[]): { result?: unknown; error?: { code: number; message: string } } => {
    switch (method) {
      case 'eth_chainId':
        return { result: numberToHex(vectors[0]!.config.l2ChainId) }
      case 'eth_getBlockByNumber':
        return { result: formatBlock(BigInt(params[0] as string)) }
      case 'debug_executionWitness':
        return { result: witness(BigInt(params[0] as string)) }
      default:
        return { error: { code: -32601, message: `method ${method} not served by this test node` } }
    }
  }
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: number; method: string; params: unknown[] }
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ jsonrpc: '2.0', id: body.id, ...answer(body.method, body.params ?? []) }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/v2/SECRETKEY123`,
    first: vectors[0]!,
    last: vectors[vectors.length - 1]!,
    rollupConfigJson: raws[0]!.rollupConfig,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
