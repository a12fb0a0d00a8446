/**
 * `escape-hatch status`: where each exit of an address stands, on any supported stack — stage, what blocks it, its
 * dates (local time with UTC; estimates from the L1's measured block time) and the one next action. Read-only: it
 * signs and sends nothing. Built on the RollupAdapter read side (shared/rollups/adapter.ts): the Arbitrum adapter and
 * the OP Stack adapter (shared/rollups/op-stack/adapter.ts), both over the L1 gateway.
 */
import type { Deadline, NextAction } from '../../../shared/deadlines/deadline'
import { countdownText } from '../../../shared/deadlines/countdown'
import type { ExitStatus, FoundWithdrawals } from '../../../shared/rollups/adapter'
import { createArbitrumAdapter, type ArbitrumExit } from '../../../shared/rollups/arbitrum-nitro/adapter'
import { createOpStackAdapter, type OpExit } from '../../../shared/rollups/op-stack/adapter'
import { opAdapterNetwork } from '../../services/networks/opAdapterNetwork'
import { openL1Gateway } from '../../services/l1/openL1Gateway'
import { openUntrustedL2Client } from '../../services/l1/openUntrustedL2Client'
import { endpointLabel } from '../../services/l1/endpointClients'
import { connectArbitrumL1, connectArbitrumL2 } from '../../services/flows/arbitrum/connectArbitrumEndpoints'
import { resolveNetwork } from '../../services/networks/resolveNetwork'
import type { Command } from '../command'
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
    'counts L1 blocks. Several --l1-rpc must agree on the chain. OP Stack: the forced withdrawals the address sent through',
    'the portal (with --l2-rpc, their withdrawal hashes) and its withdrawals proven on L1, with the game clock, the proof',
    'maturity and the finality airgap dated separately.',
  ].join('\n'),
  options: diagnosisOptionSpecs('A network id (`escape-hatch networks` lists them: arbitrum-one, arbitrum-nova, arbitrum-sepolia, op-mainnet, base, op-sepolia, and the running devnet’s) or a network FILE.'),
  async run(ctx) {
    const { address, l1Urls, networkRef, l2Url: givenL2Url, fromBlock, l2FromBlock } = readDiagnosisOptions(ctx.options)
    const entry = await resolveNetwork({ network: networkRef, dataDir: ctx.dataDir })
    if (entry.stack === 'op-stack') {
      const network = opAdapterNetwork(entry)
      const l2Url = givenL2Url
      ctx.progress(`Reading ${network.name} from L1 (${l1Urls.map(endpointLabel).join(', ')})…`)
      const l1 = await openL1Gateway({ urls: l1Urls, l1ChainId: network.l1ChainId, label: `${network.name}'s L1` })
      const l2 = l2Url ? await openUntrustedL2Client(l2Url, network.l2ChainId) : undefined
      const adapter = createOpStackAdapter({ l1, l2, l2Source: l2Url && `the L2 RPC ${endpointLabel(l2Url)}`, fromBlock, onProgress: ctx.progress })
      const found = await adapter.findWithdrawals(network, address)
      const exits: Exit[] = []
      for (const item of found.items) exits.push({ item: { stack: 'op-stack', exit: item }, status: await adapter.status(network, item) })
      return report({ stack: 'op-stack', name: network.name, l1ChainId: network.l1ChainId, l2ChainId: network.l2ChainId }, address, found, exits)
    }
    const network = entry.arbitrum
    const l2Url = givenL2Url ?? network.l2RpcUrl
    ctx.progress(`Reading ${network.name} from L1 (${l1Urls.map(endpointLabel).join(', ')})…`)
    const l1 = await connectArbitrumL1({ network, l1Urls })
    const l2 = l2Url ? await connectArbitrumL2({ network, l2Url }) : undefined
    const adapter = createArbitrumAdapter({ l1, l2, l2Source: l2Url && `the L2 RPC ${endpointLabel(l2Url)}`, fromBlock, l2FromBlock, onProgress: ctx.progress })
    const found = await adapter.findWithdrawals(network, address)
    const exits: Exit[] = []
    for (const item of found.items) exits.push({ item: { stack: 'arbitrum-nitro', exit: item }, status: await adapter.status(network, item) })
    return report({ stack: 'arbitrum-nitro', name: network.name, l1ChainId: network.l1ChainId, l2ChainId: network.l2ChainId }, address, found, exits)
  },
}

type AnyExit = { stack: 'arbitrum-nitro'; exit: ArbitrumExit } | { stack: 'op-stack'; exit: OpExit }
interface Exit {
  item: AnyExit
  status: ExitStatus
}

function report(network: { stack: string; name: string; l1ChainId: number; l2ChainId: number }, address: string, found: FoundWithdrawals<unknown>, exits: Exit[]) {
  const clock = exits[0]?.status.l1Clock
  const json = {
    network,
    address,
    l1Block: found.l1Block,
    l1BlockTime: clock?.basis,
    // null, not a missing key, when nothing blocks it or nothing is left to do.
    exits: exits.map(({ item, status }) => ({ ...describeItem(item), ...status, blocker: status.blocker ?? null, nextAction: status.nextAction ?? null, l1Clock: undefined })),
    notes: found.notes,
  }
  return { json, text: toText(network.name, address, found.l1Block, exits, found.notes) }
}

function describeItem(any: AnyExit): { kind: string; title: string; facts: Record<string, unknown> } {
  if (any.stack === 'op-stack') return describeOpItem(any.exit)
  const item = any.exit
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

function describeOpItem(item: OpExit): { kind: string; title: string; facts: Record<string, unknown> } {
  if (item.kind === 'forced-withdrawal') {
    const what = item.via === 'message-passer' ? `${item.value} wei` : 'tokens through the standard bridge'
    return {
      kind: item.kind,
      title: `Forced withdrawal of ${what} (deposit at L1 block ${item.l1BlockNumber}, L2 tx ${item.l2TransactionHash})${item.withdrawalHash ? `, withdrawal ${item.withdrawalHash} [found on the L2 RPC]` : ''}`,
      facts: { l1BlockNumber: item.l1BlockNumber, l1TransactionHash: item.l1TransactionHash, logIndex: item.logIndex, l2TransactionHash: item.l2TransactionHash, via: item.via, value: item.value, mint: item.mint, withdrawalHash: item.withdrawalHash ?? null, source: 'L1' },
    }
  }
  return {
    kind: item.kind,
    title: `Withdrawal ${item.withdrawalHash} to ${item.target} (first proven at L1 block ${item.provenAtL1Block})`,
    facts: { withdrawalHash: item.withdrawalHash, target: item.target, provenAtL1Block: item.provenAtL1Block, source: 'L1' },
  }
}

function toText(name: string, address: string, l1Block: bigint, exits: Exit[], notes: string[]): string {
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

