/**
 * The wizard's endpoint check against real nodes: two anvils of the same chain id but different histories disagree
 * at the same height (shown, naming the hosts only), an L1 of the wrong chain and an unreachable one are each one plain
 * sentence, and the answer never carries a URL path (where an API key would sit).
 */
import * as http from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startAnvil, type AnvilHandle } from '../../devnet/anvil'
import { builtInNetwork } from '../../../shared/networks/builtInNetworks'
import type { ArbitrumNetworkEntry } from '../../../shared/networks/networkEntry'
import { checkEndpoints } from './checkEndpoints'

let a: AnvilHandle
let b: AnvilHandle
let proxy: http.Server
let keyed = ''
const KEY = 'k3yInPathSECRET'

// Arbitrum Sepolia's record, moved onto the anvils' chain (31337): only the chain ids matter to this check.
const sepolia = builtInNetwork('arbitrum-sepolia') as ArbitrumNetworkEntry
const network: ArbitrumNetworkEntry = { ...sepolia, l1ChainId: 31337, arbitrum: { ...sepolia.arbitrum, l2RpcUrl: undefined } }

beforeAll(async () => {
  ;[a, b] = await Promise.all([startAnvil(), startAnvil()])
  await fetch(b.rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'anvil_mine', params: ['0x3', '0x5'] }) })
  await fetch(a.rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'anvil_mine', params: ['0x3', '0x7'] }) })
  // a keyed front for anvil a, as a hosted provider would have
  proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      if (req.url !== `/v3/${KEY}`) return void res.writeHead(401).end()
      void fetch(a.rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.concat(chunks) }).then(async (r) => res.writeHead(200, { 'content-type': 'application/json' }).end(Buffer.from(await r.arrayBuffer())))
    })
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  keyed = `http://127.0.0.1:${(proxy.address() as { port: number }).port}/v3/${KEY}`
}, 60_000)

afterAll(async () => {
  await new Promise((resolve) => proxy?.close(resolve))
  await Promise.all([a?.stop(), b?.stop()])
})

describe('checkEndpoints', () => {
  it('agrees when every L1 endpoint is the same chain, and shows hosts only', async () => {
    const r = await checkEndpoints({ network, l1Urls: [keyed, a.rpcUrl] })
    expect(r.l1Agree).toBe(true)
    expect(r.agreement).toMatch(/^All 2 L1 endpoints on Devnet L1 \(anvil on this computer\), agreeing on block 3\.$/)
    expect(JSON.stringify(r)).not.toContain(KEY)
  })

  it('shows a disagreement, naming the endpoint that differs', async () => {
    const r = await checkEndpoints({ network, l1Urls: [a.rpcUrl, b.rpcUrl] })
    expect(r.l1Agree).toBe(false)
    expect(r.agreement).toBe('The L1 endpoints disagree at block 3. Remove the one you do not trust, or add a third to see which is right.')
    expect(r.endpoints[1]).toMatchObject({ ok: false, problem: `${new URL(b.rpcUrl).origin} disagrees with ${new URL(a.rpcUrl).origin} about L1 block 3: they are not on the same chain (or one is lying or stale).` })
  })

  it('says plainly when an endpoint is on another chain or does not answer', async () => {
    const r = await checkEndpoints({ network: { ...network, l1ChainId: 1 }, l1Urls: [keyed, 'http://127.0.0.1:9/v3/other-key'], timeoutMs: 2_000 })
    expect(r.l1Agree).toBe(false)
    expect(r.endpoints.map((e) => e.problem)).toEqual([
      `${keyed.replace(`/v3/${KEY}`, '')} is on Devnet L1 (anvil on this computer), but ${network.name} settles on Ethereum.`,
      'http://127.0.0.1:9 did not answer (check the address, your connection, or try another endpoint).',
    ])
    expect(JSON.stringify(r)).not.toMatch(/other-key|k3yInPath/)
  })
})
