/**
 * The viem L1Source against real anvil nodes on loopback: header/tx-root/log integrity, endpoint cross-checks, and
 * the content-addressed cache (logs: see createViemL1Source.receipts.test.ts) (a second scan of a finalized range makes no RPC call for it).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createWalletClient, http, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { startAnvil, type AnvilHandle } from '../../devnet/anvil'
import { createViemL1Source, L1EndpointsDisagreeError } from './createViemL1Source'

const INBOX = '0xff00000000000000000000000000000000000042' as const
// Runtime: LOG1(0, 0, topic=0xab…ab); init code copies it and returns it.
const TOPIC = `0x${'ab'.repeat(32)}`
const RUNTIME = `7f${'ab'.repeat(32)}60006000a100`
const INIT = `0x6027600c60003960276000f3${RUNTIME}` as Hex

let a: AnvilHandle
let b: AnvilHandle
let dir: string
let emitter: `0x${string}`

async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })
  return ((await r.json()) as { result: unknown }).result
}

beforeAll(async () => {
  ;[a, b] = await Promise.all([startAnvil(), startAnvil()])
  dir = await mkdtemp(join(tmpdir(), 'eh-l1src-'))
  const account = privateKeyToAccount(a.accounts[0]!.privateKey)
  const wallet = createWalletClient({ account, transport: http(a.rpcUrl), chain: { id: a.chainId, name: 'anvil', nativeCurrency: { name: 'E', symbol: 'E', decimals: 18 }, rpcUrls: { default: { http: [a.rpcUrl] } } } })
  await wallet.sendTransaction({ to: INBOX, data: '0x00deadbeef' }) // block 1: a batcher-like tx (EIP-1559)
  const deployHash = await wallet.sendTransaction({ data: INIT }) // block 2
  let receipt: unknown = null
  for (let i = 0; i < 200 && !receipt; i++) {
    receipt = await rpc(a.rpcUrl, 'eth_getTransactionReceipt', [deployHash])
    if (!receipt) await new Promise((r) => setTimeout(r, 50))
  }
  if (!receipt) throw new Error('deploy was not mined')
  emitter = (receipt as { contractAddress: `0x${string}` }).contractAddress
  await wallet.sendTransaction({ to: emitter }) // block 3: emits a log
  await wallet.sendTransaction({ to: INBOX, data: '0x01', type: 'legacy' }) // block 4: legacy tx to the inbox
  await rpc(a.rpcUrl, 'anvil_mine', ['0x80']) // bury them under 128 blocks so they are finalized
  // The second node has different blocks at the same heights.
  await rpc(b.rpcUrl, 'anvil_mine', ['0x90'])
}, 60_000)

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()])
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('viem L1Source', () => {
  it('reads headers, inbox txs (senders recovered, tx root checked) and logs; caches finalized data by hash', async () => {
    const requests: string[] = []
    const src = createViemL1Source({ rpcUrls: [a.rpcUrl, a.rpcUrl.replace('127.0.0.1', 'localhost')], cacheDir: dir, onRequest: (_e, m) => requests.push(m) })
    const fin = await src.getHeader('finalized')
    expect(fin.number).toBeGreaterThanOrEqual(4)
    const scan = async (s: typeof src) => {
      const out: unknown[] = []
      for (let n = 0; n <= 6; n++) {
        const h = await s.getHeader(n)
        out.push(h, await s.getTransactionsTo(h, INBOX), await s.getLogs(h, [emitter]))
      }
      return out
    }
    const first = await scan(src)
    const h1 = first[3] as { hash: string }
    const txs1 = first[4] as { from: string; to: string; input: string; type: number }[]
    expect(txs1).toHaveLength(1)
    expect(txs1[0]).toMatchObject({ from: a.accounts[0]!.address.toLowerCase(), to: INBOX, input: '0x00deadbeef', type: 2 })
    expect((first[13] as { type: number }[])[0]?.type).toBe(0)
    const logs3 = first[11] as { topics: string[]; address: string }[]
    expect(logs3).toHaveLength(1)
    expect(logs3[0]?.topics).toEqual([TOPIC])
    expect(h1.hash).toMatch(/^0x[0-9a-f]{64}$/)
    // Logs are checked against the header (receiptsRoot), not by asking every endpoint: the bloom rules out the 6
    // blocks without an emitter log (no request), and block 3's receipts are fetched once, from the first endpoint.
    expect(requests.filter((m) => m === 'eth_getLogs')).toEqual([])
    expect(requests.filter((m) => m === 'eth_getBlockReceipts')).toEqual(['eth_getBlockReceipts'])
    expect(src.stats.bloomSkips).toBe(6)

    // Second scan, new process-like instance on the same cache: no block data is requested.
    const again: string[] = []
    const src2 = createViemL1Source({ rpcUrls: [a.rpcUrl, a.rpcUrl.replace('127.0.0.1', 'localhost')], cacheDir: dir, onRequest: (_e, m) => again.push(m) })
    const second = await scan(src2)
    expect(JSON.stringify(second, (_, v) => (typeof v === 'bigint' ? v.toString() : v))).toBe(JSON.stringify(first, (_, v) => (typeof v === 'bigint' ? v.toString() : v)))
    expect(again.filter((m) => m !== 'eth_chainId' && m !== 'eth_getBlockByNumber')).toEqual([])
    // only the chain id (per endpoint) and one 'finalized' lookup: nothing per block
    expect(again.length).toBeLessThanOrEqual(3)
    expect(src2.stats.cacheHits).toBeGreaterThan(0)
  }, 60_000)

  it('fails loudly, naming both endpoints, when they disagree on a block hash', async () => {
    const src = createViemL1Source({ rpcUrls: [a.rpcUrl, b.rpcUrl] })
    const err = await src.getHeader(2).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(L1EndpointsDisagreeError)
    expect((err as L1EndpointsDisagreeError).details).toContain(a.rpcUrl)
    expect((err as L1EndpointsDisagreeError).details).toContain(b.rpcUrl)
  }, 30_000)
})
