/**
 * One JSON-RPC client per configured L1 endpoint. No retries inside a client: the broadcaster asks every endpoint
 * and decides itself what to do when some are down.
 */
import { createPublicClient, http, webSocket, type PublicClient } from 'viem'

export interface EndpointClient {
  url: string
  /** What may be written to the journal: scheme and host only, since paths and queries often carry API keys. */
  label: string
  client: PublicClient
}

const REQUEST_TIMEOUT_MS = 15_000

export function createEndpointClients(urls: readonly string[]): EndpointClient[] {
  if (urls.length === 0) throw new RangeError('No L1 endpoint configured')
  return [...new Set(urls)].map((url) => {
    const parsed = new URL(url)
    const transport = parsed.protocol === 'ws:' || parsed.protocol === 'wss:' ? webSocket(url, { retryCount: 0, timeout: REQUEST_TIMEOUT_MS }) : http(url, { retryCount: 0, timeout: REQUEST_TIMEOUT_MS })
    return { url, label: endpointLabel(url), client: createPublicClient({ transport }) }
  })
}

export function endpointLabel(url: string): string {
  try {
    const u = new URL(url)
    return `${u.protocol}//${u.host}`
  } catch {
    return 'invalid-url'
  }
}
