/**
 * The Node L2 reader against a real loopback HTTP JSON-RPC server playing the L2 node, and planDerivationStart over
 * it: an honest node gives the op-node start (walk back by channel timeout, SystemConfig of the walk-back block, the
 * verified safe chain); a node that lies about a parent, a transaction, the anchored block or the proof is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Hex } from 'viem'
import { planDerivationStart } from '../../../shared/rollups/op-stack/derive/start/planDerivationStart'
import { UntrustedL2DataError } from '../../../shared/rollups/op-stack/derive/start/errors'
import { buildSyntheticL2Chain, type SyntheticL2Chain } from '../../../shared/rollups/op-stack/derive/start/test-support/syntheticL2Chain'
import { toRpcBlock } from '../../../shared/rollups/op-stack/derive/start/test-support/rpcL2Block'
import { SyntheticL1, BATCHER } from '../../../shared/rollups/op-stack/derive/test-support/syntheticL1'
import { genesisSystemConfig } from '../../../shared/rollups/op-stack/derive/systemConfig'
import { hashTx } from '../../../shared/rollups/op-stack/derive/hashTx'
import { createRpcL2BlockSource } from './createRpcL2BlockSource'

type Tamper = (method: string, params: unknown[], result: unknown) => unknown
let server: Server
let url: string
let chain: SyntheticL2Chain
let tamper: Tamper | undefined
let requests: string[] = []
const l1 = new SyntheticL1(12)

beforeAll(async () => {
  chain = await buildSyntheticL2Chain(l1, 60, 2, { granite_channel_timeout: 2 })
  const byHash = new Map(chain.blocks.map((b) => [b.header.hash, b]))
  server = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c.toString()))
    req.on('end', () => {
      const { id, method, params } = JSON.parse(body) as { id: number; method: string; params: unknown[] }
      requests.push(method)
      let result: unknown = null
      if (method === 'eth_chainId') result = `0x${chain.config.l2ChainId.toString(16)}`
      if (method === 'eth_getBlockByNumber') {
        const b = chain.blocks[Number(BigInt(params[0] as string))]
        result = b ? toRpcBlock(b.header, b.transactions) : null
      }
      if (method === 'eth_getBlockByHash') {
        const b = byHash.get(params[0] as Hex)
        result = b ? toRpcBlock(b.header, b.transactions) : null
      }
      if (method === 'eth_getProof') {
        const p = chain.proof
        result = { address: p.address, accountProof: p.accountProof, nonce: '0x0', balance: '0x0', codeHash: p.codeHash, storageHash: p.storageHash, storageProof: [] }
      }
      if (tamper) result = tamper(method, params, JSON.parse(JSON.stringify(result)))
      res.setHeader('content-type', 'application/json')
      res.end(JSON.stringify({ jsonrpc: '2.0', id, result }))
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise<void>((r) => server.close(() => r()))
})

async function plan(anchorBlock = 50, outputRoot = chain.outputRootOf(anchorBlock)) {
  const progress: number[] = []
  const r = await planDerivationStart({ config: chain.config, l1, l2: createRpcL2BlockSource({ url, retryCount: 0 }), anchor: { outputRoot, l2BlockNumber: anchorBlock }, onProgress: (p) => progress.push(p.l2Block) })
  return { ...r, progress }
}

async function problemOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p
  } catch (e) {
    if (e instanceof UntrustedL2DataError) return e.problem
    throw e
  }
  return undefined
}

describe('planDerivationStart over an honest loopback L2 node', () => {
  it('walks back by channel timeout and assembles the start (op-node initialReset)', async () => {
    tamper = undefined
    requests = []
    const r = await plan()
    // Safe head 50 has L1 origin 8 (L2 time T0+100). Walk while origin + 2 > 8: blocks with origin 7 are 42..47, so
    // the walk stops at block 41 (origin 6), and L1 traversal starts at L1 block 6.
    expect(r.safeHead.number).toBe(50)
    expect(r.safeHead.l1Origin.number).toBe(8)
    expect(r.walkBackTo).toEqual({ number: 41, hash: chain.blocks[41]!.header.hash, l1Origin: { number: 6, hash: l1.block(6).header.hash } })
    expect(r.start.l1Start).toBe(6)
    expect(r.start.safeHead).toEqual({ number: 50, hash: chain.blocks[50]!.header.hash, timestamp: Number(chain.blocks[50]!.header.timestamp), l1Origin: { number: 8, hash: l1.block(8).header.hash }, sequenceNumber: 2 })
    expect(r.start.safeChain!.map((e) => e.ref.number)).toEqual([41, 42, 43, 44, 45, 46, 47, 48, 49, 50])
    expect(r.start.safeChain![3]!.nonDepositTxHashes).toEqual(chain.blocks[44]!.transactions.slice(1).map(hashTx))
    expect(r.start.safeHeadSystemConfig).toEqual({ ...genesisSystemConfig(chain.config), batcherAddress: BATCHER.toLowerCase(), eip1559Params: r.start.safeHeadSystemConfig.eip1559Params })
    expect(r.start.l1StartSystemConfig).toEqual(r.start.safeHeadSystemConfig)
    expect(r.l2BlocksFetched).toBe(10)
    expect(r.progress).toEqual([50, 49, 48, 47, 46, 45, 44, 43, 42, 41])
    expect(r.safeHead.messagePasserStorageRoot).toBe(chain.messagePasserStorageRoot)
    expect(requests.filter((m) => m === 'eth_getProof').length).toBe(1) // pre-Isthmus: the root comes from a proof
  })

  it('stops at the start of the chain (L1 genesis origin) and at L2 genesis', async () => {
    tamper = undefined
    const early = await plan(5)
    expect(early.walkBackTo.number).toBe(5) // origin 0 = L1 genesis: no walk
    expect(early.start.l1Start).toBe(0)
    const genesis = await plan(0)
    expect(genesis.start.safeHead.number).toBe(0)
    expect(genesis.start.safeHeadSystemConfig).toEqual(genesisSystemConfig(chain.config))
  })
})

describe('planDerivationStart refuses a lying L2 node', () => {
  it('a wrong parent (a self-consistent block that is not the parent the child names)', async () => {
    tamper = (method, _params, result) => {
      if (method !== 'eth_getBlockByHash') return result
      const other = chain.blocks[30]!
      return toRpcBlock(other.header, other.transactions)
    }
    expect(await problemOf(plan())).toBe('block-hash')
  })

  it('a changed transaction in a walked-back block (its JSON and hash rewritten consistently)', async () => {
    tamper = (method, _params, result) => {
      if (method !== 'eth_getBlockByHash') return result
      const b = result as { number: string; transactions: Record<string, string>[] }
      if (Number(BigInt(b.number)) !== 45) return result
      const victim = chain.blocks[45]!
      const txs = [...victim.transactions]
      txs[2] = victim.transactions[1]! // a different real transaction in its place
      return toRpcBlock(victim.header, txs)
    }
    expect(await problemOf(plan())).toBe('transactions-root')
  })

  it('an anchored block that does not match the output root, and a tampered proof', async () => {
    tamper = undefined
    expect(await problemOf(plan(50, chain.outputRootOf(49)))).toBe('output-root')
    tamper = (method, _params, result) => {
      if (method !== 'eth_getProof') return result
      const p = result as { accountProof: Hex[] }
      p.accountProof = p.accountProof.slice(0, -1)
      return p
    }
    expect(await problemOf(plan())).toBe('account-proof')
  })

  it('a header rewritten by the node (stale hash), and a block missing on the node', async () => {
    tamper = (method, _params, result) => {
      if (method !== 'eth_getBlockByNumber') return result
      ;(result as { gasUsed: string }).gasUsed = '0x1'
      return result
    }
    const e = await plan().catch((x: unknown) => x as UntrustedL2DataError)
    expect(e).toBeInstanceOf(UntrustedL2DataError)
    expect((e as UntrustedL2DataError).shortMessage).toBe(`The L2 node's block 50 does not hash to the hash it claims. (L2 node ${url})`)
    tamper = (method, _params, result) => (method === 'eth_getBlockByHash' ? null : result)
    await expect(plan()).rejects.toThrow(/does not have L2 block 0x/)
  })

  it('an oversized answer is cut off without reading it all', async () => {
    tamper = (method, _params, result) => (method === 'eth_getBlockByNumber' ? { ...(result as object), padding: 'x'.repeat(200_000) } : result)
    const source = createRpcL2BlockSource({ url, retryCount: 0, maxResponseBytes: 100_000 })
    await expect(source.blockByNumber(50)).rejects.toThrow(/larger than 100000 bytes/)
    tamper = undefined
    expect((await source.blockByNumber(3)).header.number).toBe(3n)
  })
})
