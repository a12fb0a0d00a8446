import { usageError, type CommandContext } from './command'

/**
 * What the user named with `--network ID|FILE` or the file-only alias a command keeps for compatibility
 * (`--network-file`, `--config`): one of the two, else `fallback`, else a usage error. The registry
 * (electron/services/networks/resolveNetwork.ts) turns it into a network.
 */
export function networkOption(options: CommandContext['options'], fileOption: 'network-file' | 'config', fallback?: string): string {
  const network = options.network
  const file = options[fileOption]
  if (network !== undefined && file !== undefined) usageError(`give --network or --${fileOption}, not both`)
  if (typeof file === 'string') return file
  if (typeof network === 'string') return network
  return fallback ?? usageError(`give --network ID (see \`escape-hatch networks\`) or --${fileOption} FILE`)
}
