/**
 * The chain the user picked → its validated RollupConfig: a built-in network, or the text of a rollup.json the
 * window read from a file the user chose (bounded by the IPC schema, parsed here, validated by parseRollupConfig).
 */
import { EscapeError } from '../../../shared/errors/EscapeError'
import { MAX_ROLLUP_JSON_CHARS, type OpDeriveRollup } from '../../../shared/ipc/opDeriveSchemas'
import { builtinRollupConfig } from '../../../shared/rollups/op-stack/config/builtinRollupConfigs'
import { parseRollupConfig, type RollupConfig } from '../../../shared/rollups/op-stack/config/rollupConfig'

const NETWORK_LABELS = { 'op-mainnet': 'OP Mainnet', base: 'Base', 'op-sepolia': 'OP Sepolia' } as const

export interface ResolvedRollup {
  config: RollupConfig
  /** How the window names the chain. */
  label: string
}

export function resolveRollupConfig(rollup: OpDeriveRollup): ResolvedRollup {
  if (rollup.kind === 'network') return { config: builtinRollupConfig(rollup.network), label: NETWORK_LABELS[rollup.network] }
  const name = rollup.fileName ? `“${rollup.fileName}”` : 'The rollup configuration'
  // The IPC schema bounds it already; checked again so this function is safe on its own.
  if (rollup.text.length > MAX_ROLLUP_JSON_CHARS) {
    throw new EscapeError(`${name} is larger than a rollup.json can be.`, { kind: 'user-action', steps: ['Pick the chain’s rollup.json (op-node format), a few kilobytes.'] })
  }
  let json: unknown
  try {
    json = JSON.parse(rollup.text)
  } catch (error) {
    throw new EscapeError(`${name} is not valid JSON.`, {
      kind: 'user-action',
      steps: ['Pick the chain’s rollup.json (op-node format), or one of the built-in networks.'],
      details: error instanceof Error ? error.message : String(error),
      cause: error,
    })
  }
  const config = parseRollupConfig(json)
  return { config, label: `${rollup.fileName ?? 'rollup.json'} (L2 chain ${config.l2ChainId})` }
}
