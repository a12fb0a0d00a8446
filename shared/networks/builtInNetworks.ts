/**
 * The public networks the app knows, by id. Stack configs come from their sources (OP: builtinRollupConfigs.ts;
 * Arbitrum: arbitrum-nitro/networks.ts, each citing where its addresses were read).
 * Extra OP addresses: notes/op-stack.md §3 "Addresses" (OP Mainnet: superchain-registry extra/addresses; Base:
 * the registry at 0d9aefc4^, the last commit listing Base).
 */
import { ARBITRUM_NOVA, ARBITRUM_ONE, ARBITRUM_SEPOLIA } from '../rollups/arbitrum-nitro/networks'
import { builtinRollupConfig } from '../rollups/op-stack/config/builtinRollupConfigs'
import { arbitrumNetworkEntry, opNetworkEntry } from './buildNetworkEntry'
import type { NetworkEntry } from './networkEntry'
import { ARBITRUM_NOVA_SUPPORT, ARBITRUM_SUPPORT, BASE_SUPPORT, STANDARD_OP_SUPPORT } from './supportFacts'

/** In the order `escape-hatch networks` lists them. */
export const BUILT_IN_NETWORK_IDS = ['op-mainnet', 'op-sepolia', 'base', 'arbitrum-one', 'arbitrum-nova', 'arbitrum-sepolia'] as const
export type BuiltInNetworkId = (typeof BUILT_IN_NETWORK_IDS)[number]

function build(id: BuiltInNetworkId): NetworkEntry {
  switch (id) {
    case 'op-mainnet':
      return opNetworkEntry({
        id, name: 'OP Mainnet', source: 'built-in', rollupConfig: builtinRollupConfig('op-mainnet'), support: STANDARD_OP_SUPPORT,
        extraL1Addresses: { disputeGameFactory: '0xe5965Ab5962eDc7477C8520243A95517CD252fA9', anchorStateRegistry: '0x23B2C62946350F4246f9f9D027e071f0264FD113' },
      })
    case 'op-sepolia':
      return opNetworkEntry({ id, name: 'OP Sepolia', source: 'built-in', rollupConfig: builtinRollupConfig('op-sepolia'), support: STANDARD_OP_SUPPORT })
    case 'base':
      return opNetworkEntry({
        id, name: 'Base', source: 'built-in', rollupConfig: builtinRollupConfig('base'), support: BASE_SUPPORT,
        extraL1Addresses: { disputeGameFactory: '0x43edB88C4B80fDD2AdFF2412A7BebF9dF42cB40e', anchorStateRegistry: '0x909f6cf47ed12f010A796527f562bFc26C7F4E72' },
      })
    case 'arbitrum-one':
      return arbitrumNetworkEntry({ id, source: 'built-in', arbitrum: ARBITRUM_ONE, support: ARBITRUM_SUPPORT })
    case 'arbitrum-nova':
      return arbitrumNetworkEntry({ id, source: 'built-in', arbitrum: ARBITRUM_NOVA, support: ARBITRUM_NOVA_SUPPORT })
    case 'arbitrum-sepolia':
      return arbitrumNetworkEntry({ id, source: 'built-in', arbitrum: ARBITRUM_SEPOLIA, support: ARBITRUM_SUPPORT })
  }
}

let cache: readonly NetworkEntry[] | undefined

/** Every built-in network, parsed once (the OP configs go through the same validator as user files). */
export function builtInNetworks(): readonly NetworkEntry[] {
  cache ??= BUILT_IN_NETWORK_IDS.map(build)
  return cache
}

export function isBuiltInNetworkId(id: string): id is BuiltInNetworkId {
  return (BUILT_IN_NETWORK_IDS as readonly string[]).includes(id)
}

export function builtInNetwork(id: string): NetworkEntry | undefined {
  return builtInNetworks().find((n) => n.id === id)
}
