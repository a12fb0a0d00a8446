// Test support: a loopback JSON-RPC proxy in front of a devnet node that can be told to answer node errors, as a
// failing hosted endpoint would. It accepts any path (a hosted URL's /v2/KEY) and forwards to the target's own path.
import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface FailingProxy {
  url: string
  /** Answer the next n requests with a JSON-RPC node error instead of forwarding them. */
  failNext(n: number): void
  failed(): number
  /** From now on, answer `method` with a node error after it has been forwarded `okCount` more times. */
  failMethodAfter(method: string, okCount: number): void
  server: Server
}

/** A JSON-RPC proxy to `target` that answers the next `n` requests with a node error instead of forwarding them. */
export async function startFailingProxy(target: string): Promise<FailingProxy> {
  let failing = 0
  let failed = 0
  const methodRules = new Map<string, number>()
  const upstream = new URL(target)
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const parsed = JSON.parse(body.toString('utf8')) as { id: number; method?: string } | { id: number; method?: string }[]
      const method = Array.isArray(parsed) ? undefined : parsed.method
      const okLeft = method === undefined ? undefined : methodRules.get(method)
      if (method !== undefined && okLeft !== undefined) {
        if (okLeft > 0) methodRules.set(method, okLeft - 1)
        else failing = Math.max(failing, 1)
      }
      if (failing > 0) {
        failing--
        failed++
        const error = (id: number) => ({ jsonrpc: '2.0', id, error: { code: -32000, message: 'node is syncing, try again later' } })
        res.writeHead(200, { 'content-type': 'application/json' })
        res.end(JSON.stringify(Array.isArray(parsed) ? parsed.map((r) => error(r.id)) : error(parsed.id)))
        return
      }
      const forward = httpRequest({ hostname: upstream.hostname, port: upstream.port, path: upstream.pathname, method: 'POST', headers: { 'content-type': 'application/json' } }, (up) => {
        res.writeHead(up.statusCode ?? 502, { 'content-type': 'application/json' })
        up.pipe(res)
      })
      forward.on('error', () => (res.writeHead(502), res.end()))
      forward.end(body)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    failNext: (n) => (failing = n),
    failed: () => failed,
    failMethodAfter: (method, okCount) => methodRules.set(method, okCount),
    server,
  }
}

