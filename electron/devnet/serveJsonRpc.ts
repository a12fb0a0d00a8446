/**
 * A JSON-RPC 2.0 server over HTTP on 127.0.0.1, for the devnet's own nodes (the OP L2; the same transport fits any
 * devnet node): POST only, bounded body, batches of 1..maxBatch requests answered in order, each request shape-checked
 * (zod), and every failure a JSON-RPC error object (-32700 parse, -32600 invalid request, -32601 unknown method,
 * -32602 invalid params, -32603 internal, or the handler's own JsonRpcError code) — never a stack trace.
 *
 * `refuse()` makes the node vanish while it is true: every new connection (and every kept-alive one on its next
 * request) is destroyed without an answer, as a node whose operator pulled the plug.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { z } from 'zod'

export class JsonRpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    /** A revert's return data (code 3, as geth answers eth_call). */
    readonly data?: string,
  ) {
    super(message)
  }
}

/** Parameter `i` parsed with `schema`, or -32602 naming the parameter and the first problem. */
export function rpcParam<T>(schema: z.ZodType<T>, params: unknown[], i: number, name: string): T {
  const parsed = schema.safeParse(params[i])
  if (!parsed.success) throw new JsonRpcError(-32602, `invalid ${name}: ${parsed.error.issues[0]?.message ?? 'bad value'}`)
  return parsed.data
}

export interface ServeJsonRpcParameters {
  /** Answer one call; throw JsonRpcError for a protocol error (anything else becomes -32603 with its first line). */
  handle(method: string, params: unknown[]): Promise<unknown>
  port?: number
  maxBodyBytes?: number
  maxBatch?: number
  maxParams?: number
  refuse?: () => boolean
}

export interface JsonRpcServer {
  url: string
  close(): Promise<void>
}

const DEFAULT_MAX_BODY = 8 * 1024 * 1024
const DEFAULT_MAX_BATCH = 100

function requestSchema(maxParams: number) {
  return z.object({
    jsonrpc: z.literal('2.0').optional(),
    id: z.union([z.string().max(128), z.number(), z.null()]).optional(),
    method: z.string().min(1).max(64),
    params: z.array(z.unknown()).max(maxParams).optional(),
  })
}

async function readBody(req: IncomingMessage, max: number): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > max) throw new JsonRpcError(-32600, `request too large (limit ${max} bytes)`)
    chunks.push(chunk as Buffer)
  }
  return Buffer.concat(chunks).toString('utf8')
}

export async function serveJsonRpc(p: ServeJsonRpcParameters): Promise<JsonRpcServer> {
  const maxBody = p.maxBodyBytes ?? DEFAULT_MAX_BODY
  const maxBatch = p.maxBatch ?? DEFAULT_MAX_BATCH
  const schema = requestSchema(p.maxParams ?? 8)
  const refuse = p.refuse ?? (() => false)
  const sockets = new Set<Socket>()

  const answer = async (request: unknown): Promise<unknown> => {
    const parsed = schema.safeParse(request)
    if (!parsed.success) return { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'invalid request' } }
    const { id = null, method, params = [] } = parsed.data
    try {
      return { jsonrpc: '2.0', id, result: (await p.handle(method, params)) ?? null }
    } catch (e) {
      const error = e instanceof JsonRpcError ? { code: e.code, message: e.message, ...(e.data !== undefined ? { data: e.data } : {}) } : { code: -32603, message: e instanceof Error ? (e.message.split('\n')[0] ?? 'internal error') : 'internal error' }
      return { jsonrpc: '2.0', id, error }
    }
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (refuse()) {
      req.socket.destroy()
      return
    }
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' })
      res.end(JSON.stringify(body))
    }
    if (req.method !== 'POST') return reply(405, { jsonrpc: '2.0', id: null, error: { code: -32600, message: 'POST only' } })
    readBody(req, maxBody)
      .then(async (text) => {
        let body: unknown
        try {
          body = JSON.parse(text)
        } catch {
          return reply(200, { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'parse error' } })
        }
        if (!Array.isArray(body)) return reply(200, await answer(body))
        if (body.length === 0 || body.length > maxBatch) return reply(200, { jsonrpc: '2.0', id: null, error: { code: -32600, message: `a batch holds 1 to ${maxBatch} requests` } })
        const results: unknown[] = []
        for (const item of body) results.push(await answer(item))
        return reply(200, results)
      })
      .catch((e: unknown) => reply(413, { jsonrpc: '2.0', id: null, error: { code: -32600, message: e instanceof Error ? e.message : 'bad request' } }))
  })
  server.on('connection', (socket: Socket) => {
    if (refuse()) {
      socket.destroy()
      return
    }
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen({ host: '127.0.0.1', port: p.port ?? 0 }, () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        server.close(() => resolve())
      }),
  }
}
