/**
 * The chain the window picked for a rebuild → its validated RollupConfig, through the registry like every other
 * front end: a network id (a built-in OP Stack network, or the running devnet's `devnet-op`), or the text of a network
 * file the window read from a file the user chose (bounded by the IPC schema, parsed here).
 */
import { NetworkConfigError } from '../../../shared/networks/errors'
import { parseNetworkFile } from '../../../shared/networks/networkFile'
import { MAX_ROLLUP_JSON_CHARS, type OpDeriveRollup } from '../../../shared/ipc/opDeriveSchemas'
import type { RollupConfig } from '../../../shared/rollups/op-stack/config/rollupConfig'
import { resolveNetwork } from './resolveNetwork'

export interface ResolvedOpDeriveRollup {
  config: RollupConfig
  /** How the window names the chain. */
  label: string
}

export async function resolveOpDeriveRollup(rollup: OpDeriveRollup, dataDir: string): Promise<ResolvedOpDeriveRollup> {
  if (rollup.kind === 'network') {
    const entry = await resolveNetwork({ network: rollup.network, dataDir, stack: 'op-stack' })
    return { config: entry.rollupConfig, label: entry.name }
  }
  const name = rollup.fileName ? `“${rollup.fileName}”` : 'The rollup configuration'
  // The IPC schema bounds it already; checked again so this function is safe on its own.
  if (rollup.text.length > MAX_ROLLUP_JSON_CHARS) {
    throw new NetworkConfigError(`${name} is larger than a rollup.json can be.`, { steps: ['Pick the chain’s rollup.json (op-node format), a few kilobytes.'] })
  }
  const { entry } = parseNetworkFile(rollup.text, name)
  if (entry.stack !== 'op-stack') {
    throw new NetworkConfigError(`${name} describes an Arbitrum chain; the rebuild works on OP Stack chains.`, { steps: ['Pick the chain’s rollup.json (op-node format), or one of the listed networks.'] })
  }
  return { config: entry.rollupConfig, label: `${rollup.fileName ?? 'rollup.json'} (L2 chain ${entry.l2ChainId})` }
}
