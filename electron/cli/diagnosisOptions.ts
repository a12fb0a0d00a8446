/**
 * The options every read-only diagnosis command takes (`status`, `arb status`): which network, which address, the L1
 * endpoints (several, cross-checked by the gateway), the untrusted L2 RPC and the scan ranges — parsed once here.
 */
import { isAddress, type Address } from 'viem'
import { endpointLabel } from '../services/l1/endpointClients'
import { DEFAULT_L2_SEARCH_BLOCKS } from '../../shared/rollups/arbitrum-nitro/status'
import { usageError, type CommandContext, type OptionSpec } from './command'
import { networkOption } from './networkOption'

export function diagnosisOptionSpecs(networkDescription: string): Record<string, OptionSpec> {
  return {
    network: { type: 'string', description: networkDescription, valueName: 'ID|FILE' },
    'network-file': { type: 'string', description: 'A custom chain config (JSON) instead of --network.', valueName: 'FILE' },
    address: { type: 'string', description: 'The address to diagnose (L1 and L2).', valueName: '0x…' },
    'l1-rpc': { type: 'string', multiple: true, description: 'L1 JSON-RPC URL; repeat it for several endpoints: every read is cross-checked and endpoints that disagree are refused.', valueName: 'URL' },
    'l2-rpc': { type: 'string', description: 'L2 JSON-RPC URL (untrusted; needed to find withdrawals).', valueName: 'URL' },
    'from-block': { type: 'string', description: 'First L1 block to scan for delayed messages (default: two delay windows back).', valueName: 'N' },
    'l2-from-block': { type: 'string', description: `First L2 block to search for withdrawals (default: ${DEFAULT_L2_SEARCH_BLOCKS} blocks before the L2 head).`, valueName: 'N' },
  }
}

export interface DiagnosisOptions {
  address: Address
  l1Urls: string[]
  /** The network id or file, for electron/services/networks/resolveNetwork. */
  networkRef: string
  /** --l2-rpc if given (a network may name a default L2 RPC). */
  l2Url: string | undefined
  fromBlock: bigint | undefined
  l2FromBlock: bigint | undefined
}

export function readDiagnosisOptions(options: CommandContext['options']): DiagnosisOptions {
  const address = String(options.address ?? '')
  if (!isAddress(address)) usageError('--address must be a 0x address')
  return {
    address,
    l1Urls: l1RpcOption(options['l1-rpc']),
    networkRef: networkOption(options, 'network-file'),
    l2Url: typeof options['l2-rpc'] === 'string' ? options['l2-rpc'] : undefined,
    fromBlock: blockOption(options['from-block'], '--from-block'),
    l2FromBlock: blockOption(options['l2-from-block'], '--l2-from-block'),
  }
}

/** Every --l1-rpc given (the option repeats); each must be an http(s) URL. */
export function l1RpcOption(value: unknown): string[] {
  const urls = (Array.isArray(value) ? value : value === undefined ? [] : [value]).map(String)
  if (urls.length === 0) usageError('--l1-rpc URL is required (repeat it for several endpoints)')
  for (const u of urls) if (!/^(https?|wss?):\/\//.test(u) || !URL.canParse(u)) usageError(`${endpointLabel(u)} is not an http(s) or ws(s) URL`)
  return urls
}

export function blockOption(value: unknown, name: string): bigint | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string' || !/^[0-9]{1,20}$/.test(value)) usageError(`${name} must be a block number`)
  return BigInt(value)
}
