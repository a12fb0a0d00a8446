/**
 * The user's endpoints for an escape on a real network, checked before use. L1 is trusted only as far as the user's
 * L1 endpoints agree (DESIGN.md): every one must be on the network's L1 chain and, when there are several, they must
 * have the same block hash a few blocks behind the lowest head. Reads then go to the first endpoint that answers
 * (viem fallback); signed transactions go to all of them (the broadcaster). The L2 RPC must be on the L2 chain; it
 * stays untrusted.
 */
import { createPublicClient, fallback, http, webSocket, type PublicClient, type Transport } from 'viem'
import { EscapeError } from '../../../../shared/errors/EscapeError'
import { ArbNetworkConfigError, ArbUntrustedDataError } from '../../../../shared/rollups/arbitrum-nitro/errors'
import type { ArbitrumNetwork } from '../../../../shared/rollups/arbitrum-nitro/network'
import { endpointLabel } from '../../l1/endpointClients'
import { L1EndpointsDisagreeError } from '../../l1/createViemL1Source'

const TIMEOUT_MS = 30_000
/** Compare block hashes this far behind the lowest head, so endpoints a block or two apart still agree. */
const AGREEMENT_DEPTH = 3n

export interface ArbitrumEndpoints {
  l1: PublicClient
  l2: PublicClient
}

function transportFor(url: string): Transport {
  const u = new URL(url)
  return u.protocol === 'ws:' || u.protocol === 'wss:' ? webSocket(url, { retryCount: 1, timeout: TIMEOUT_MS }) : http(url, { retryCount: 1, timeout: TIMEOUT_MS })
}

export async function connectArbitrumEndpoints(params: { network: ArbitrumNetwork; l1Urls: readonly string[]; l2Url: string }): Promise<ArbitrumEndpoints> {
  const l1 = await connectArbitrumL1(params)
  return { l1, l2: await connectArbitrumL2(params) }
}

/** The L1 half: every endpoint on the network's L1 chain and, when there are several, agreeing on a block hash. */
export async function connectArbitrumL1(params: { network: ArbitrumNetwork; l1Urls: readonly string[] }): Promise<PublicClient> {
  const { network } = params
  const each = params.l1Urls.map((url) => ({ label: endpointLabel(url), client: createPublicClient({ transport: transportFor(url), cacheTime: 0 }) }))
  const heads = await Promise.all(
    each.map(async ({ label, client }) => {
      let chainId: number
      let head: bigint
      try {
        ;[chainId, head] = await Promise.all([client.getChainId(), client.getBlockNumber({ cacheTime: 0 })])
      } catch (cause) {
        throw new EscapeError(`The L1 endpoint ${label} does not answer.`, { kind: 'temporary', cause, steps: ['Check the URL and your connection, or remove this endpoint.'] })
      }
      if (chainId !== network.l1ChainId) {
        throw new ArbNetworkConfigError(`The L1 endpoint ${label} is on chain ${chainId}, but ${network.name} settles on chain ${network.l1ChainId}.`, { steps: ['Use L1 endpoints for the right chain.'] })
      }
      return head
    }),
  )
  if (each.length > 1) {
    const lowest = heads.reduce((a, b) => (a < b ? a : b))
    const at = lowest > AGREEMENT_DEPTH ? lowest - AGREEMENT_DEPTH : 0n
    const hashes = await Promise.all(each.map(async ({ label, client }) => ({ endpoint: label, value: (await client.getBlock({ blockNumber: at })).hash ?? 'none' })))
    if (new Set(hashes.map((h) => h.value)).size > 1) throw new L1EndpointsDisagreeError(`block ${at}`, hashes)
  }
  return createPublicClient({ transport: fallback(params.l1Urls.map(transportFor)), cacheTime: 0 })
}

/** The L2 half: the (untrusted) L2 RPC must be on the network's L2 chain. */
export async function connectArbitrumL2(params: { network: ArbitrumNetwork; l2Url: string }): Promise<PublicClient> {
  const { network } = params
  const l2 = createPublicClient({ transport: transportFor(params.l2Url), cacheTime: 0 })
  let l2ChainId: number
  try {
    l2ChainId = await l2.getChainId()
  } catch (cause) {
    throw new EscapeError(`The L2 RPC ${endpointLabel(params.l2Url)} does not answer.`, { kind: 'temporary', cause, steps: ['Check the URL, or use another L2 RPC (any node of the chain will do; it is not trusted).'] })
  }
  if (l2ChainId !== network.l2ChainId) throw new ArbUntrustedDataError(`The L2 RPC ${endpointLabel(params.l2Url)} is on chain ${l2ChainId}, not ${network.name} (${network.l2ChainId}).`)
  return l2
}
