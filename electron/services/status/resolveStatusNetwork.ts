/**
 * Which network `--network` names, for the read-only status (temporary: the network registry, shared/networks, takes
 * this over; the lead switches it). An Arbitrum network is a built-in name or an Orbit chain config file (moved here
 * from `arb status` so that commands do not import each other); an OP Stack network is one of the built-in OP names
 * or the devnet's, and is answered honestly by the OP placeholder adapter until the OP Stack escape fills it in.
 */
import { existsSync } from 'node:fs'
import type { ArbitrumNetwork } from '../../../shared/rollups/arbitrum-nitro/network'
import { builtInArbitrumNetwork, MAX_NETWORK_CONFIG_BYTES, parseArbitrumNetworkConfig, BUILT_IN_ARBITRUM_NETWORKS } from '../../../shared/rollups/arbitrum-nitro/networks'
import { ArbNetworkConfigError } from '../../../shared/rollups/arbitrum-nitro/errors'
import { isBuiltinOpNetwork } from '../../../shared/rollups/op-stack/config/builtinRollupConfigs'
import { readUserTextFile } from '../files/readUserFile'

export type StatusNetwork = { stack: 'arbitrum-nitro'; network: ArbitrumNetwork } | { stack: 'op-stack'; network: { name: string } }

export async function resolveStatusNetwork(name: unknown, file: unknown): Promise<StatusNetwork> {
  if (typeof file !== 'string' && typeof name === 'string' && (isBuiltinOpNetwork(name) || name === 'devnet-op')) return { stack: 'op-stack', network: { name } }
  return { stack: 'arbitrum-nitro', network: await resolveArbitrumNetwork(name, file) }
}

/** `--network` is a built-in name or a config file (a path, or a name ending in .json); `--network-file` is a file. */
export async function resolveArbitrumNetwork(name: unknown, file: unknown): Promise<ArbitrumNetwork> {
  if (typeof file !== 'string' && typeof name === 'string' && !BUILT_IN_ARBITRUM_NETWORKS[name] && (name.endsWith('.json') || name.includes('/') || name.includes('\\') || existsSync(name))) {
    file = name
  }
  if (typeof file === 'string') {
    return parseArbitrumNetworkConfig(await readUserTextFile(file, { what: 'network file', maxBytes: MAX_NETWORK_CONFIG_BYTES }), file)
  }
  if (typeof name !== 'string') throw new ArbNetworkConfigError('No network given.', { steps: ['Give --network NAME or --network-file FILE.'] })
  return builtInArbitrumNetwork(name)
}
