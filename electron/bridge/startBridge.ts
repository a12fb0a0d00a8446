/**
 * The loopback bridge: serves the renderer build and the window API over HTTP + WebSocket on 127.0.0.1, for
 * development in a browser and for the e2e suite. It is a second transport in front of the same router and handlers
 * Electron main uses (electron/services/ipc), with the same contract and validation; only the sender check differs:
 * here a connection must present the per-run token (and come from our own page's origin).
 *
 * Hardening, since any local process or web page can reach a loopback port:
 * - binds 127.0.0.1 only; the Host header must be exactly 127.0.0.1:<port> (defeats DNS rebinding);
 * - the page needs the token (in its URL); the WebSocket needs the token and Origin http://127.0.0.1:<port>, so a
 *   foreign web page cannot open it (WebSockets are not covered by CORS);
 * - responses carry the app's CSP (electron/main/policy) with only this socket added to connect-src;
 * - frames are size-bounded and checked; anything outside the protocol closes the connection.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import * as fs from 'node:fs'
import * as http from 'node:http'
import * as path from 'node:path'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import { BRIDGE_MAX_FRAME_BYTES, BRIDGE_SOCKET_PATH, BridgeClientFrameSchema, type BridgeServerFrame } from '../../shared/ipc/bridgeProtocol'
import { EscapeError } from '../../shared/errors/EscapeError'
import type { IpcRouter } from '../services/ipc/createIpcRouter'
import { buildContentSecurityPolicy } from '../../shared/ipc/contentSecurityPolicy'
import { resolveRendererAsset } from '../main/policy/resolveRendererAsset'
import { buildResponseHeaders } from '../main/policy/responseHeaders'

export const BRIDGE_CLIENT_FILE = 'bridge-client.js'
const MAX_CONNECTIONS = 8

export interface StartBridgeParameters {
  router: IpcRouter
  /** The bridge build of the renderer (out/bridge-renderer, from renderer/vite.config.ts). */
  rendererDir: string
  /** 0 (default) picks a free port. */
  port?: number
  /** Fixed token for tests of the refusal paths; by default 32 random bytes per run. */
  token?: string
}

export interface Bridge {
  /** The page to open, token included. */
  url: string
  origin: string
  port: number
  token: string
  close(): Promise<void>
}

export async function startBridge({ router, rendererDir, port = 0, token = randomBytes(32).toString('base64url') }: StartBridgeParameters): Promise<Bridge> {
  const indexTemplate = await readIndexTemplate(rendererDir)
  const expectedToken = Buffer.from(token)
  const tokenMatches = (candidate: string | null | undefined): boolean => {
    const given = Buffer.from(candidate ?? '')
    return given.length === expectedToken.length && timingSafeEqual(given, expectedToken)
  }

  const server = http.createServer()
  const sockets = new WebSocketServer({ noServer: true, maxPayload: BRIDGE_MAX_FRAME_BYTES })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  if (address === null || typeof address === 'string') throw new EscapeError('The bridge could not open a local port.')
  const boundPort = address.port
  const host = `127.0.0.1:${boundPort}`
  const origin = `http://${host}`
  const socketUrl = `ws://${host}`
  const csp = buildContentSecurityPolicy({ connectSrc: [socketUrl] })
  const indexHtml = renderIndex(indexTemplate, buildContentSecurityPolicy({ connectSrc: [socketUrl], forMetaTag: true }))

  server.on('request', (request, response) => {
    void serve(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500, buildResponseHeaders('text/plain; charset=utf-8', csp))
      response.end('Internal error')
    })
  })

  async function serve(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const plain = (status: number, text: string) => {
      response.writeHead(status, buildResponseHeaders('text/plain; charset=utf-8', csp))
      response.end(text)
    }
    if (request.headers.host !== host) return plain(421, 'Wrong host')
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed')
    const url = new URL(request.url ?? '/', origin)
    if (url.pathname === '/' || url.pathname === '/index.html') {
      if (!tokenMatches(url.searchParams.get('token'))) {
        return plain(401, 'Open the address the bridge printed when it started: it includes a one-time token.')
      }
      response.writeHead(200, buildResponseHeaders('text/html; charset=utf-8', csp))
      return void response.end(request.method === 'HEAD' ? undefined : indexHtml)
    }
    const asset = resolveRendererAsset(rendererDir, url.pathname)
    if (!asset) return plain(404, 'Not found')
    let body: Buffer
    try {
      body = await readFile(asset.file)
    } catch {
      return plain(404, 'Not found')
    }
    response.writeHead(200, buildResponseHeaders(asset.contentType, csp))
    response.end(request.method === 'HEAD' ? undefined : body)
  }

  server.on('upgrade', (request: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', origin)
    const refuse = (status: string) => {
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`)
    }
    if (request.headers.host !== host) return refuse('421 Misdirected Request')
    if (url.pathname !== BRIDGE_SOCKET_PATH) return refuse('404 Not Found')
    if (request.headers.origin !== origin) return refuse('403 Forbidden')
    if (!tokenMatches(url.searchParams.get('token'))) return refuse('401 Unauthorized')
    if (sockets.clients.size >= MAX_CONNECTIONS) return refuse('503 Service Unavailable')
    const presented = url.searchParams.get('token') ?? ''
    sockets.handleUpgrade(request, socket, head, (ws) => attach(ws, presented))
  })

  function attach(ws: WebSocket, presentedToken: string): void {
    const send = (frame: BridgeServerFrame) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame))
    }
    // The sender check, per request: the token this connection presented is the run's token.
    const session = router.openSession<string>({
      isTrustedSender: (presented) => tokenMatches(presented),
      deliver: (channel, payload) => send({ type: 'event', channel, payload }),
    })
    ws.on('message', (data, isBinary) => {
      if (isBinary) return ws.close(1003, 'text frames only')
      let json: unknown
      try {
        json = JSON.parse(data.toString())
      } catch {
        return ws.close(1007, 'frame is not JSON')
      }
      const frame = BridgeClientFrameSchema.safeParse(json)
      if (!frame.success) return ws.close(1008, 'frame outside the bridge protocol')
      const { id, channel, payload } = frame.data
      void session.handle(channel, payload, presentedToken).then((result) => send({ type: 'result', id, result }))
    })
    ws.on('close', () => session.close())
    ws.on('error', () => session.close())
  }

  return {
    url: `${origin}/?token=${encodeURIComponent(token)}`,
    origin,
    port: boundPort,
    token,
    async close() {
      for (const client of sockets.clients) client.terminate()
      sockets.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

const CSP_META = /<meta http-equiv="Content-Security-Policy" content="[^"]*">/

async function readIndexTemplate(rendererDir: string): Promise<string> {
  const indexFile = path.join(rendererDir, 'index.html')
  if (!fs.existsSync(indexFile) || !fs.existsSync(path.join(rendererDir, BRIDGE_CLIENT_FILE))) {
    throw new EscapeError('The renderer has not been built for the bridge.', {
      kind: 'user-action',
      steps: ['Run `npx vite build --config renderer/vite.config.ts` (or `npm run dev`), then start the bridge again.'],
      details: `Looked in ${rendererDir}`,
    })
  }
  const html = await readFile(indexFile, 'utf8')
  if (!CSP_META.test(html) || !html.includes('<script type="module"')) {
    throw new EscapeError('The renderer build has no Content-Security-Policy meta tag or no module script; refusing to serve it.', {
      steps: ['Rebuild the renderer with renderer/vite.config.ts.'],
      details: indexFile,
    })
  }
  return html
}

/** The app's page with this bridge's CSP and the bridge client loaded before the app's own script. */
function renderIndex(template: string, metaCsp: string): string {
  return template
    .replace(CSP_META, `<meta http-equiv="Content-Security-Policy" content="${metaCsp.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')}">`)
    .replace('<script type="module"', `<script type="module" src="./${BRIDGE_CLIENT_FILE}"></script>\n    <script type="module"`)
}
