/**
 * The networks as the window shows them: names instead of chain ids, whether the escape works there today (from the
 * registry's own support facts), and the network's default L2 node as a host label only. The one registry
 * (electron/services/networks) is the source; nothing here decides what a network is.
 */
import type { NetworkEntry } from '../../../shared/networks/networkEntry'
import type { NetworkListView, NetworkOptionView, NetworkRef } from '../../../shared/ipc/escapeSchemas'
import { endpointLabel } from '../l1/endpointClients'
import { listNetworks } from '../networks/listNetworks'
import { resolveNetwork } from '../networks/resolveNetwork'

const L1_NAMES: Readonly<Record<number, string>> = {
  1: 'Ethereum',
  11155111: 'Sepolia',
  17000: 'Holesky',
  560048: 'Hoodi',
  31337: 'Devnet L1 (anvil on this computer)',
}

/** The L1 chain's name for people; an unknown chain is named by its id, saying so. */
export function l1ChainName(chainId: number): string {
  return L1_NAMES[chainId] ?? `L1 chain ${chainId}`
}

export function toNetworkOption(entry: NetworkEntry): NetworkOptionView {
  const withdrawals = entry.support.find((f) => f.topic === 'withdrawals')
  // The registry's own support facts decide: an OP chain whose proofs the app cannot make (Base since Azul) is listed
  // with that fact, never as available; one without a withdrawals fact (Alt-DA) says why not.
  const escape =
    entry.stack === 'arbitrum-nitro'
      ? { available: withdrawals?.level !== 'unsupported', says: withdrawals?.says ?? 'Force your withdrawal in through L1 and execute it on L1.' }
      : withdrawals && (withdrawals.level === 'supported' || withdrawals.level === 'limited')
        ? { available: true, says: withdrawals.says }
        : { available: false, says: withdrawals?.says ?? (entry.support.map((f) => f.says).join(' ') || 'The app cannot take funds out of this chain.') }
  const l2 = entry.stack === 'arbitrum-nitro' ? entry.arbitrum.l2RpcUrl : undefined
  return {
    id: entry.id,
    name: entry.name,
    stack: entry.stack,
    source: entry.source,
    l1ChainId: entry.l1ChainId,
    l2ChainId: entry.l2ChainId,
    l1Name: l1ChainName(entry.l1ChainId),
    escape,
    ...(l2 ? { defaultL2Label: endpointLabel(l2) } : {}),
  }
}

export async function listNetworkOptions(dataDir: string): Promise<NetworkListView> {
  const { networks, notes } = await listNetworks(dataDir)
  return { networks: networks.map(toNetworkOption), notes: notes.slice(0, 20) }
}

/** The window's network choice (an id, or a file it named) through the one resolver. */
export function resolveNetworkRef(ref: NetworkRef, dataDir: string): Promise<NetworkEntry> {
  return resolveNetwork({ network: ref.id ?? ref.file ?? '', dataDir })
}
