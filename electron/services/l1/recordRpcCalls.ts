/**
 * An HTTP viem transport that records every JSON-RPC request made through it (method and params) before passing it
 * on unchanged. The drill reports how many requests the escape made to the untrusted L2 node, and the tests pin that
 * the escape does not scan everyone's withdrawals (no full-range eth_getLogs), which is what makes it usable on
 * Arbitrum One, where public RPCs rate-limit eth_getLogs.
 */
import { createPublicClient, custom, type PublicClient, type Transport } from 'viem'
import { endpointTransport } from './endpointClients'

export interface RpcCallRecord {
  method: string
  params: unknown
}

export interface RpcCallSummary {
  total: number
  byMethod: Record<string, number>
  /** Every eth_getLogs filter, as sent (block numbers as decimal strings). */
  getLogs: { fromBlock: string | undefined; toBlock: string | undefined; blockHash: string | undefined; topics: number }[]
}

export interface RecordedRpc {
  transport: Transport
  /** A client over the recording transport (untrusted: for L2 nodes and test servers). */
  client: PublicClient
  calls: RpcCallRecord[]
}

export function recordRpcCalls(url: string, options: { timeoutMs?: number; calls?: RpcCallRecord[] } = {}): RecordedRpc {
  const calls: RpcCallRecord[] = options.calls ?? []
  const inner = createPublicClient({ transport: endpointTransport(url, { retryCount: 0, timeoutMs: options.timeoutMs ?? 30_000 }), cacheTime: 0 })
  const transport = custom(
    {
      async request({ method, params }: { method: string; params?: unknown }) {
        calls.push({ method, params })
        return inner.request({ method, params } as never)
      },
    },
    { retryCount: 0 },
  )
  return { transport, client: createPublicClient({ transport, cacheTime: 0 }), calls }
}

export function summarizeRpcCalls(calls: readonly RpcCallRecord[]): RpcCallSummary {
  const byMethod: Record<string, number> = {}
  const getLogs: RpcCallSummary['getLogs'] = []
  const num = (v: unknown): string | undefined => (typeof v === 'string' && /^0x[0-9a-fA-F]+$/.test(v) ? BigInt(v).toString() : typeof v === 'string' ? v : undefined)
  for (const call of calls) {
    byMethod[call.method] = (byMethod[call.method] ?? 0) + 1
    if (call.method === 'eth_getLogs' && Array.isArray(call.params)) {
      const filter = (call.params[0] ?? {}) as { fromBlock?: unknown; toBlock?: unknown; blockHash?: unknown; topics?: unknown }
      getLogs.push({
        fromBlock: num(filter.fromBlock),
        toBlock: num(filter.toBlock),
        blockHash: typeof filter.blockHash === 'string' ? filter.blockHash : undefined,
        topics: Array.isArray(filter.topics) ? filter.topics.filter((t) => t !== null).length : 0,
      })
    }
  }
  return { total: calls.length, byMethod, getLogs }
}
