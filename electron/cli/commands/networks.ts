/**
 * `escape-hatch networks [--json]`: every network `--network` takes by id — the built-in public networks and, while
 * a devnet runs, its own — with stack, chain ids, where the app looks on L1, what it reads live, and what it can do
 * there, said plainly.
 */
import { STACK_LABELS, type NetworkEntry } from '../../../shared/networks/networkEntry'
import { listNetworks } from '../../services/networks/listNetworks'
import { usageError, type Command } from '../command'

export const networksCommand: Command = {
  path: ['networks'],
  summary: 'List the networks by id (`--network ID`): the public ones and, while a devnet runs, the devnet’s, with what the app can do on each.',
  description: [
    'The built-in networks are op-mainnet, op-sepolia, base, arbitrum-one, arbitrum-nova and arbitrum-sepolia. While',
    '`escape-hatch devnet up` runs, devnet-op and/or devnet-arbitrum are listed too (a stopped devnet’s files are ignored).',
    'Any command that takes --network also takes the path of a network file: an OP Stack rollup.json, an Arbitrum',
    'Orbit/SDK network JSON, or an escape-hatch network file. Addresses are only where to look: they are checked',
    'against L1 on use, and the listed live parameters are read from L1 every time.',
  ].join('\n'),
  async run(ctx) {
    if (ctx.positionals.length > 0) usageError(`unexpected argument "${ctx.positionals[0]}"`)
    const { networks, notes } = await listNetworks(ctx.dataDir)
    return {
      json: { networks: networks.map(summary), notes },
      text: [...networks.flatMap((n) => [...describe(n), '']), ...notes.map((note) => `! ${note}`)].join('\n').trimEnd(),
    }
  },
}

function summary(n: NetworkEntry) {
  return {
    id: n.id,
    name: n.name,
    stack: n.stack,
    source: n.source,
    l1ChainId: n.l1ChainId,
    l2ChainId: n.l2ChainId,
    l1Addresses: n.l1Addresses,
    liveParameters: n.liveParameters,
    support: n.support,
  }
}

const LEVEL_LABELS = { supported: 'yes', limited: 'limited', 'not-yet': 'not yet', unsupported: 'no' } as const

function describe(n: NetworkEntry): string[] {
  return [
    `${n.id} — ${n.name} (${STACK_LABELS[n.stack]}, L2 chain ${n.l2ChainId} on L1 chain ${n.l1ChainId}${n.source === 'devnet' ? ', running devnet' : ''})`,
    ...n.support.map((f) => `  ${f.topic}: ${LEVEL_LABELS[f.level]} — ${f.says}`),
    `  L1: ${Object.entries(n.l1Addresses).map(([role, a]) => `${role} ${a}`).join(', ')}`,
    `  read live from L1: ${n.liveParameters.map((p) => `${p.name} (${p.contract})`).join('; ')}`,
  ]
}
