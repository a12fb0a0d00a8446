/**
 * One JSON-RPC client per configured endpoint, and `endpointLabel`, the one way an endpoint is named in journals,
 * errors and screens. No retries inside a broadcast client: the broadcaster asks every endpoint and decides itself
 * what to do when some are down. The L1 gateway (openL1Gateway) builds its read clients here too.
 */
import { createPublicClient, http, webSocket, type PublicClient, type Transport } from 'viem'

export interface EndpointClient {
  url: string
  /** What may be written to the journal: scheme and host only, since paths and queries often carry API keys. */
  label: string
  client: PublicClient
}

const REQUEST_TIMEOUT_MS = 15_000

export interface EndpointTransportOptions {
  /** Retries of a failed request; viem retries only what may pass on a retry (timeouts, 429/5xx, -32005/-32603). */
  retryCount?: number
  timeoutMs?: number
  /** fetch for http(s) endpoints (openL1Gateway passes one that bounds the response body). */
  fetchFn?: (input: string | URL | Request, init?: RequestInit) => Promise<Response>
}

/** An http(s) or ws(s) transport to one endpoint. */
export function endpointTransport(url: string, o: EndpointTransportOptions = {}): Transport {
  const parsed = new URL(url)
  const timeout = o.timeoutMs ?? REQUEST_TIMEOUT_MS
  const retryCount = o.retryCount ?? 0
  return parsed.protocol === 'ws:' || parsed.protocol === 'wss:' ? webSocket(url, { retryCount, timeout }) : http(url, { retryCount, timeout, ...(o.fetchFn ? { fetchFn: o.fetchFn } : {}) })
}

export function createEndpointClient(url: string, o: EndpointTransportOptions = {}): EndpointClient {
  return { url, label: endpointLabel(url), client: createPublicClient({ transport: endpointTransport(url, o), cacheTime: 0 }) }
}

export function createEndpointClients(urls: readonly string[], o: EndpointTransportOptions = {}): EndpointClient[] {
  if (urls.length === 0) throw new RangeError('No L1 endpoint configured')
  return [...new Set(urls)].map((url) => createEndpointClient(url, o))
}

export function endpointLabel(url: string): string {
  try {
    const u = new URL(url)
    return `${u.protocol}//${u.host}`
  } catch {
    return 'invalid-url'
  }
}
