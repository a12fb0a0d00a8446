/**
 * A hosted-RPC look-alike on loopback: only POST to a path carrying the API key is forwarded (each keyed path to
 * its own target); anything else is refused. For tests that an API key in an RPC URL's path is never shown or saved.
 */
import * as http from 'node:http'

export interface KeyedRpcProxy {
  /** The keyed URL of each route, by the route's path (e.g. '/v2/KEY' → 'http://127.0.0.1:PORT/v2/KEY'). */
  url(route: string): string
  close(): Promise<void>
}

export function startKeyedRpcProxy(routes: Record<string, string>): Promise<KeyedRpcProxy> {
  const server = http.createServer((request, response) => {
    const target = request.method === 'POST' && request.url !== undefined ? routes[request.url] : undefined
    if (!target) {
      response.writeHead(401).end('missing API key')
      return
    }
    const chunks: Buffer[] = []
    request.on('data', (c: Buffer) => chunks.push(c))
    request.on('end', () => {
      fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body: Buffer.concat(chunks) })
        .then(async (r) => response.writeHead(r.status, { 'content-type': 'application/json' }).end(Buffer.from(await r.arrayBuffer())))
        .catch(() => response.writeHead(502).end())
    })
  })
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port
      resolve({ url: (route) => `http://127.0.0.1:${port}${route}`, close: () => new Promise((done) => server.close(() => done())) })
    }),
  )
}
