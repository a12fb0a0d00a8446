/**
 * The registry as the transaction describer needs it (shared/signing/describeTxBytes): chain names by id and the
 * contracts a signed request may call, by network. Built here because shared/signing sits below the registry.
 */
import { ARB_SYS_ADDRESS } from '../rollups/arbitrum-nitro/tx/buildL2WithdrawalTx'
import type { ArbitrumNetwork } from '../rollups/arbitrum-nitro/network'
import type { KnownChain, KnownContract, SigningContext } from '../signing/describeTxBytes'
import type { NetworkEntry } from './networkEntry'

/** Public L1s by chain id. A devnet's L1 is named after its network ("L1 of devnet-arbitrum"). */
const L1_NAMES: Readonly<Record<number, string>> = { 1: 'Ethereum', 11155111: 'Sepolia', 17000: 'Holesky', 560048: 'Hoodi' }

function l1Name(chainId: number, networkName: string): string {
  return L1_NAMES[chainId] ?? `L1 of ${networkName}`
}

function arbitrumParts(a: ArbitrumNetwork): { chains: KnownChain[]; contracts: KnownContract[] } {
  return {
    chains: [{ chainId: a.l1ChainId, name: l1Name(a.l1ChainId, a.name) }, { chainId: a.l2ChainId, name: `${a.name} (L2)` }],
    contracts: [
      { chainId: a.l1ChainId, address: a.contracts.inbox, kind: 'arbitrum-inbox', network: a.name, l2ChainId: a.l2ChainId },
      { chainId: a.l1ChainId, address: a.contracts.sequencerInbox, kind: 'arbitrum-sequencer-inbox', network: a.name },
      { chainId: a.l1ChainId, address: a.contracts.outbox, kind: 'arbitrum-outbox', network: a.name },
      { chainId: a.l2ChainId, address: ARB_SYS_ADDRESS, kind: 'arbitrum-arbsys', network: a.name },
    ],
  }
}

/** One Arbitrum network's context (the escape flow's describer knows its own network). */
export function arbitrumSigningContext(network: ArbitrumNetwork): SigningContext {
  return arbitrumParts(network)
}

/** Every network given (the built-ins, a running devnet's, a network file): first name wins for a shared chain id. */
export function signingContextOf(entries: readonly NetworkEntry[]): SigningContext {
  const chains: KnownChain[] = []
  const contracts: KnownContract[] = []
  for (const e of entries) {
    if (e.stack === 'arbitrum-nitro') {
      const parts = arbitrumParts(e.arbitrum)
      chains.push(...parts.chains)
      contracts.push(...parts.contracts)
    } else {
      chains.push({ chainId: e.l1ChainId, name: l1Name(e.l1ChainId, e.name) }, { chainId: e.l2ChainId, name: `${e.name} (L2)` })
      const portal = e.l1Addresses.optimismPortal
      if (portal) contracts.push({ chainId: e.l1ChainId, address: portal, kind: 'op-portal', network: e.name })
      const factory = e.l1Addresses.disputeGameFactory
      if (factory) contracts.push({ chainId: e.l1ChainId, address: factory, kind: 'op-dispute-game-factory', network: e.name })
    }
  }
  const seen = new Set<number>()
  return { chains: chains.filter((c) => (seen.has(c.chainId) ? false : (seen.add(c.chainId), true))), contracts }
}
