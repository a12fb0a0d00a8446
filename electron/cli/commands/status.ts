/**
 * `escape-hatch status`: where each exit of an address stands, on any supported stack — stage, what blocks it, its
 * dates (local time with UTC; estimates from the L1's measured block time) and the one next action. Read-only: it
 * signs and sends nothing. Built on the RollupAdapter read side (shared/rollups/adapter.ts); OP Stack networks answer
 * that their status is not available yet in this version.
 */
import type { Deadline, NextAction } from '../../../shared/deadlines/deadline'
import { countdownText } from '../../../shared/deadlines/countdown'
import { createOpStackAdapterPlaceholder, type ExitStatus } from '../../../shared/rollups/adapter'
import { createArbitrumAdapter, type ArbitrumExit } from '../../../shared/rollups/arbitrum-nitro/adapter'
import { endpointLabel } from '../../services/l1/endpointClients'
import { connectArbitrumL1, connectArbitrumL2 } from '../../services/flows/arbitrum/connectArbitrumEndpoints'
import { resolveNetwork } from '../../services/networks/resolveNetwork'
import { usageError, type Command } from '../command'
import { diagnosisOptionSpecs, readDiagnosisOptions } from '../diagnosisOptions'
import { formatLocalAndUtc } from '../../services/reports/formatLocalAndUtc'

export const statusCommand: Command = {
  path: ['status'],
  summary: 'Where each exit of an address stands: stage, blocker, dates and the next action (read-only, any stack).',
  description: [
    'Reads the network’s contracts and live parameters from L1, finds the address’s exits in flight — on Arbitrum the',
    'delayed messages it sent through the inbox and the withdrawals paying out to it (found on the untrusted L2 RPC,',
    'verified against the send root confirmed on L1) — and for each prints its stage, what blocks it, its dates and the',
    'one next action. Dates are computed from L1 time and the L1’s measured block time; they are estimates where a rule',
    'counts L1 blocks. Several --l1-rpc must agree on the chain. OP Stack networks: not available yet in this version.',
  ].join('\n'),
  options: diagnosisOptionSpecs('A network id (`escape-hatch networks` lists them: arbitrum-one, arbitrum-nova, arbitrum-sepolia, op-mainnet, base, op-sepolia, and the running devnet’s) or a network FILE.'),
  async run(ctx) {
    const { address, l1Urls, networkRef, l2Url: givenL2Url, fromBlock, l2FromBlock } = readDiagnosisOptions(ctx.options)
    const entry = await resolveNetwork({ network: networkRef, dataDir: ctx.dataDir })
    if (entry.stack === 'op-stack') {
      // Throws a StackNotSupportedError with what to do instead.
      await createOpStackAdapterPlaceholder().findWithdrawals(entry, address)
      usageError('unreachable')
    }
    const network = entry.arbitrum
    const l2Url = givenL2Url ?? network.l2RpcUrl
    ctx.progress(`Reading ${network.name} from L1 (${l1Urls.map(endpointLabel).join(', ')})…`)
    const l1 = await connectArbitrumL1({ network, l1Urls })
    const l2 = l2Url ? await connectArbitrumL2({ network, l2Url }) : undefined
    const adapter = createArbitrumAdapter({ l1, l2, l2Source: l2Url && `the L2 RPC ${endpointLabel(l2Url)}`, fromBlock, l2FromBlock, onProgress: ctx.progress })
    const found = await adapter.findWithdrawals(network, address)
    const exits: { item: ArbitrumExit; status: ExitStatus }[] = []
    for (const item of found.items) exits.push({ item, status: await adapter.status(network, item) })
    const clock = exits[0]?.status.l1Clock
    const json = {
      network: { stack: 'arbitrum-nitro', name: network.name, l1ChainId: network.l1ChainId, l2ChainId: network.l2ChainId },
      address,
      l1Block: found.l1Block,
      l1BlockTime: clock?.basis,
      // null, not a missing key, when nothing blocks it or nothing is left to do.
      exits: exits.map(({ item, status }) => ({ ...describeItem(item), ...status, blocker: status.blocker ?? null, nextAction: status.nextAction ?? null, l1Clock: undefined })),
      notes: found.notes,
    }
    return { json, text: toText(network.name, address, found.l1Block, exits, found.notes) }
  },
}

function describeItem(item: ArbitrumExit): { kind: ArbitrumExit['kind']; title: string; facts: Record<string, unknown> } {
  if (item.kind === 'delayed-message') {
    const m = item.message
    return {
      kind: item.kind,
      title: `Delayed message #${m.index} (sent at L1 block ${m.l1BlockNumber}${m.l2TransactionHash ? `, your L2 tx ${m.l2TransactionHash}` : ''})`,
      facts: { index: m.index, l1BlockNumber: m.l1BlockNumber, l1TransactionHash: m.l1TransactionHash, relation: m.relation, l2TransactionHash: m.l2TransactionHash, source: 'L1' },
    }
  }
  const w = item.withdrawal
  return {
    kind: item.kind,
    title: `Withdrawal #${w.position}: ${w.value} wei to ${w.to} (L2 block ${w.l2Block})${w.verified ? '' : ' [reported by the L2 RPC, not yet under a confirmed root]'}`,
    facts: { position: w.position, to: w.to, value: w.value, l2Block: w.l2Block, l2TransactionHash: w.l2TransactionHash, verified: w.verified, proofMethod: w.proofMethod },
  }
}

function toText(name: string, address: string, l1Block: bigint, exits: { item: ArbitrumExit; status: ExitStatus }[], notes: string[]): string {
  const clock = exits[0]?.status.l1Clock
  const lines = [`${name} — ${address} (read at L1 block ${l1Block}${clock ? `; ${clock.basis}` : ''})`]
  if (exits.length === 0) lines.push('No exits in flight found.')
  for (const { item, status } of exits) {
    const now = new Date(Number(status.l1Clock.head.timestamp * 1000n))
    lines.push('', `${describeItem(item).title}: ${status.stage}`)
    if (status.blocker) lines.push(`  blocked: ${status.blocker}`)
    for (const d of status.deadlines) lines.push(`  ${d.what}: ${when(d.deadline)}${d.passed ? ' (passed)' : `, ${countdownText(d.deadline, now, 'the chain')}`}`)
    lines.push(`  next: ${nextText(status.nextAction, now)}`)
  }
  lines.push('', ...notes.map((n) => `! ${n}`))
  return lines.join('\n')
}

function nextText(action: NextAction | undefined, now: Date): string {
  if (!action) return 'nothing — this exit is done'
  if (action.ready) return `${action.description} — now`
  return `${action.description} — from ${when(action.earliest)} (${countdownText(action.earliest, now, action.by === 'validator' ? 'a validator' : 'the next L1 block')})`
}

/** Local time with UTC, formatted here at the edge; "about" when the date rests on the measured block time. */
function when(d: Deadline): string {
  return `${d.estimate ? 'about ' : ''}${formatLocalAndUtc(d.at)}`
}

