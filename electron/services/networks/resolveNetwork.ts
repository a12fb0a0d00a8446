/**
 * The one place a network the user names becomes a NetworkEntry — for every CLI command and the app.
 * `--network` takes an id (`escape-hatch networks` lists them: the built-in public networks and, while a devnet
 * runs, its `devnet-op` / `devnet-arbitrum`) or the path of a network file (an OP rollup.json, an Arbitrum
 * Orbit/SDK JSON, or an escape-hatch network file). Something that looks like an id (lower-case letters, digits,
 * dashes) is an id; anything else (a `/`, a `.json` ending) is a path.
 */
import { builtInNetwork, builtInNetworks } from '../../../shared/networks/builtInNetworks'
import { NetworkConfigError } from '../../../shared/networks/errors'
import { DEVNET_NETWORK_IDS, NETWORK_ID_PATTERN, STACK_LABELS, type ArbitrumNetworkEntry, type NetworkEntry, type NetworkStack, type OpStackNetworkEntry } from '../../../shared/networks/networkEntry'
import { MAX_NETWORK_FILE_BYTES, parseNetworkFile } from '../../../shared/networks/networkFile'
import { readDevnetNetwork } from './devnetNetworks'
import { readUserTextFile } from '../files/readUserFile'

export interface ResolveNetworkParameters {
  /** An id or a file path. */
  network: string
  dataDir: string
  /** Refuse networks of the other stack (the command works on this one only). */
  stack?: NetworkStack
}

type EntryOf<S extends NetworkStack | undefined> = S extends 'op-stack' ? OpStackNetworkEntry : S extends 'arbitrum-nitro' ? ArbitrumNetworkEntry : NetworkEntry

export async function resolveNetwork<S extends NetworkStack | undefined = undefined>(p: ResolveNetworkParameters & { stack?: S }): Promise<EntryOf<S>> {
  const entry = isNetworkId(p.network) ? await byId(p.network, p.dataDir, p.stack) : await fromFile(p.network)
  if (p.stack && entry.stack !== p.stack) {
    throw new NetworkConfigError(`${entry.name} (${entry.id}) is an ${STACK_LABELS[entry.stack]} chain; this works on ${STACK_LABELS[p.stack]} chains only.`, {
      steps: [`Use one of: ${idsOfStack(p.stack).join(', ')}, or a network file of an ${STACK_LABELS[p.stack]} chain.`],
    })
  }
  return entry as EntryOf<S>
}

export function isNetworkId(value: string): boolean {
  return NETWORK_ID_PATTERN.test(value)
}

async function byId(id: string, dataDir: string, stack: NetworkStack | undefined): Promise<NetworkEntry> {
  const builtIn = builtInNetwork(id)
  if (builtIn) return builtIn
  if ((Object.values(DEVNET_NETWORK_IDS) as string[]).includes(id)) {
    const reading = await readDevnetNetwork(dataDir, id)
    if (reading.status === 'running') return reading.entry
    throw new NetworkConfigError(`The devnet network "${id}" is not available: no running devnet serves it.`, {
      steps: [`Start the devnet: escape-hatch devnet up --stack ${id === DEVNET_NETWORK_IDS.op ? 'op' : 'arbitrum'} (or --stack both), then try again.`],
      ...(reading.status === 'ignored' ? { details: reading.note } : {}),
    })
  }
  throw new NetworkConfigError(`Unknown network "${id}".`, {
    steps: [`Use one of: ${idsOfStack(stack).join(', ')} (\`escape-hatch networks\` lists them), or the path of a network file.`],
  })
}

async function fromFile(path: string): Promise<NetworkEntry> {
  const text = await readUserTextFile(path, { what: 'network file', maxBytes: MAX_NETWORK_FILE_BYTES })
  return parseNetworkFile(text, path).entry
}

function idsOfStack(stack: NetworkStack | undefined): string[] {
  const devnet = stack === 'op-stack' ? [DEVNET_NETWORK_IDS.op] : stack === 'arbitrum-nitro' ? [DEVNET_NETWORK_IDS.arbitrum] : Object.values(DEVNET_NETWORK_IDS)
  return [...builtInNetworks().filter((n) => !stack || n.stack === stack).map((n) => n.id), ...devnet.map((id) => `${id} (while a devnet runs)`)]
}
