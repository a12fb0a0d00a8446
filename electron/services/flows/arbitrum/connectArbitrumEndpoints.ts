/**
 * The user's endpoints for an Arbitrum escape or diagnosis on a real network: the L1 gateway over every L1 endpoint
 * (each on the network's L1 chain; reads pinned to one block and cross-checked, headers re-hashed, logs and receipts
 * checked against them — openL1Gateway) and the untrusted L2 node, checked to be on the L2 chain.
 */
import type { PublicClient } from 'viem'
import type { ArbitrumNetwork } from '../../../../shared/rollups/arbitrum-nitro/network'
import { openL1Gateway, type L1Gateway } from '../../l1/openL1Gateway'
import { openUntrustedL2Client } from '../../l1/openUntrustedL2Client'

export interface ArbitrumEndpoints {
  l1: L1Gateway
  l2: PublicClient
}

export async function connectArbitrumEndpoints(params: { network: ArbitrumNetwork; l1Urls: readonly string[]; l2Url: string }): Promise<ArbitrumEndpoints> {
  const [l1, l2] = await Promise.all([connectArbitrumL1(params), connectArbitrumL2(params)])
  return { l1, l2 }
}

/** The L1 half: the gateway over every L1 endpoint of the network's L1 chain. */
export function connectArbitrumL1(params: { network: ArbitrumNetwork; l1Urls: readonly string[] }): Promise<L1Gateway> {
  return openL1Gateway({ urls: params.l1Urls, l1ChainId: params.network.l1ChainId, label: `${params.network.name}'s L1` })
}

/** The L2 half: the (untrusted) L2 RPC must be on the network's L2 chain. */
export function connectArbitrumL2(params: { network: ArbitrumNetwork; l2Url: string }): Promise<PublicClient> {
  return openUntrustedL2Client(params.l2Url, params.network.l2ChainId)
}
