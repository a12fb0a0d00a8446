/**
 * The OP adapter's view of a registry entry — its portal, its sequencing window, and whether the app proves there —
 * for both front ends of the read side (`escape-hatch status` and the app's Diagnosis screen).
 */
import { EscapeError } from '../../../shared/errors/EscapeError'
import type { OpStackNetworkEntry } from '../../../shared/networks/networkEntry'
import type { OpAdapterNetwork } from '../../../shared/rollups/op-stack/adapter'

export function opAdapterNetwork(entry: OpStackNetworkEntry): OpAdapterNetwork {
  const portal = entry.l1Addresses.optimismPortal
  if (!portal) throw new EscapeError(`${entry.name} names no OptimismPortal address.`, { kind: 'user-action', steps: ['Use a network file that names the portal (l1Addresses.optimismPortal).'] })
  const withdrawals = entry.support.find((f) => f.topic === 'withdrawals')
  return {
    name: entry.name,
    l1ChainId: entry.l1ChainId,
    l2ChainId: entry.l2ChainId,
    portal,
    seqWindowSize: BigInt(entry.rollupConfig.seqWindowSize),
    ...(withdrawals?.level === 'unsupported' ? { provingUnsupported: withdrawals.says } : {}),
  }
}
