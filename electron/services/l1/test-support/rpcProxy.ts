/**
 * A loopback JSON-RPC proxy in front of a real node (anvil) that counts requests by method and may rewrite answers
 * (single and batched): the way tests play a lying, limited or wrong-chain endpoint without mocking the node.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export type Rewrite = (method: string, params: unknown[], result: unknown) => unknown
/** Return this from a Rewrite to answer "method not found" (an endpoint without that method). */
export const UNSUPPORTED = Symbol('method not found')

export interface RpcProxy {
  url: string
  counts: Map<string, number>
  close(): Promise<void>
}

export async function startRpcProxy(target: string, rewrite: Rewrite = (_m, _p, r) => r): Promise<RpcProxy> {
  const counts = new Map<string, number>()
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      void (async () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { id: number; method: string; params: unknown[] } | { id: number; method: string; params: unknown[] }[]
        const calls = Array.isArray(body) ? body : [body]
        const out = await Promise.all(calls.map(async (c) => {
          counts.set(c.method, (counts.get(c.method) ?? 0) + 1)
          const upstream = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(c) })
          const j = (await upstream.json()) as { result?: unknown; error?: unknown }
          if (j.error) return { jsonrpc: '2.0', id: c.id, error: j.error }
          const result = rewrite(c.method, c.params ?? [], j.result)
          if (result === UNSUPPORTED) return { jsonrpc: '2.0', id: c.id, error: { code: -32601, message: `the method ${c.method} does not exist/is not available` } }
          return { jsonrpc: '2.0', id: c.id, result }
        }))
        res.setHeader('content-type', 'application/json')
        res.end(JSON.stringify(Array.isArray(body) ? out : out[0]))
      })()
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const port = (server.address() as AddressInfo).port
  return { url: `http://127.0.0.1:${port}`, counts, close: () => new Promise((r) => server.close(() => r())) }
}
