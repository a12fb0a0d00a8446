/**
 * A client for an L2 node. Its answers stay untrusted (DESIGN.md): callers check what matters against L1. The one
 * thing checked here is that the node is on the chain the user means, so a wrong URL fails at once and by name.
 * Built here because electron/services/l1 is the only place viem clients are built.
 */
import { createPublicClient, type PublicClient } from 'viem'
import { EscapeError, registerErrorClass } from '../../../shared/errors/EscapeError'
import { endpointLabel, endpointTransport } from './endpointClients'
import { recordRpcCalls, type RpcCallRecord } from './recordRpcCalls'

export class L2WrongChainError extends EscapeError {
  override name = 'L2WrongChainError'
  constructor(endpoint: string, chainId: number, expected: number) {
    super(`The L2 RPC ${endpoint} is on chain ${chainId}, not the chain you chose (${expected}).`, {
      kind: 'user-action',
      steps: ['Check the L2 RPC URL and the network; any node of the right chain will do (it is not trusted).'],
    })
  }
}
registerErrorClass('L2WrongChainError', L2WrongChainError)

export interface OpenUntrustedL2ClientOptions {
  timeoutMs?: number
  retryCount?: number
  /** Record every request made through the client here (the drill reports how much it asked the L2 node). */
  record?: RpcCallRecord[]
}

export async function openUntrustedL2Client(url: string, expectedChainId: number, o: OpenUntrustedL2ClientOptions = {}): Promise<PublicClient> {
  const client = untrustedL2Client(url, o)
  let chainId: number
  try {
    chainId = await client.getChainId()
  } catch (cause) {
    throw new EscapeError(`The L2 RPC ${endpointLabel(url)} does not answer.`, { kind: 'temporary', cause, steps: ['Check the URL, or use another L2 RPC (any node of the chain will do; it is not trusted).'] })
  }
  if (chainId !== expectedChainId) throw new L2WrongChainError(endpointLabel(url), chainId, expectedChainId)
  return client
}

/** The client without the chain check (for a caller that checks the chain itself). */
export function untrustedL2Client(url: string, o: OpenUntrustedL2ClientOptions = {}): PublicClient {
  if (o.record) return recordRpcCalls(url, { timeoutMs: o.timeoutMs, calls: o.record }).client
  return createPublicClient({ transport: endpointTransport(url, { retryCount: o.retryCount ?? 1, timeoutMs: o.timeoutMs ?? 30_000 }), cacheTime: 0 })
}
