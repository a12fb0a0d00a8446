/** NetworkEntry from a stack's own config: the addresses and facts every entry of that stack carries. */
import { getAddress } from 'viem'
import type { ArbitrumNetwork } from '../rollups/arbitrum-nitro/network'
import type { RollupConfig } from '../rollups/op-stack/config/rollupConfig'
import type { ArbitrumNetworkEntry, NetworkSource, OpStackNetworkEntry, SupportFact } from './networkEntry'
import { ARBITRUM_LIVE_PARAMETERS, OP_LIVE_PARAMETERS } from './supportFacts'

export interface OpEntryParameters {
  id: string
  name: string
  source: NetworkSource
  rollupConfig: RollupConfig
  /** Addresses beyond the rollup config's (dispute game factory, anchor state registry), by role. */
  extraL1Addresses?: Readonly<Record<string, `0x${string}`>>
  support: readonly SupportFact[]
}

export function opNetworkEntry(p: OpEntryParameters): OpStackNetworkEntry {
  const c = p.rollupConfig
  return {
    id: p.id,
    name: p.name,
    source: p.source,
    stack: 'op-stack',
    l1ChainId: c.l1ChainId,
    l2ChainId: c.l2ChainId,
    // Checksummed, as the Arbitrum entries are (the rollup config keeps them lower-case).
    l1Addresses: Object.fromEntries(
      Object.entries({
        optimismPortal: c.depositContractAddress,
        systemConfig: c.l1SystemConfigAddress,
        batchInbox: c.batchInboxAddress,
        ...(c.superchainConfigAddress ? { superchainConfig: c.superchainConfigAddress } : {}),
        ...p.extraL1Addresses,
      }).map(([role, a]) => [role, getAddress(a)]),
    ),
    liveParameters: OP_LIVE_PARAMETERS,
    support: p.support,
    rollupConfig: c,
  }
}

export interface ArbitrumEntryParameters {
  id: string
  name?: string
  source: NetworkSource
  arbitrum: ArbitrumNetwork
  support: readonly SupportFact[]
}

export function arbitrumNetworkEntry(p: ArbitrumEntryParameters): ArbitrumNetworkEntry {
  // One name: the entry's, also inside the stack config (which `arb status` and the escape report show).
  const a = p.name === undefined ? p.arbitrum : { ...p.arbitrum, name: p.name }
  return {
    id: p.id,
    name: a.name,
    source: p.source,
    stack: 'arbitrum-nitro',
    l1ChainId: a.l1ChainId,
    l2ChainId: a.l2ChainId,
    l1Addresses: { ...a.contracts },
    liveParameters: ARBITRUM_LIVE_PARAMETERS,
    support: p.support,
    arbitrum: a,
  }
}
