/**
 * The support diagnosis behind the app's Diagnosis screen (the CLI's `escape-hatch status` is the other face): an
 * address, or a transaction hash whose sender on L1 is the address, on a network → every exit in flight with its
 * stage in plain words, what blocks it, its dates and the one next action, from the stack's RollupAdapter read side.
 * Read-only; no key is ever asked for. Endpoints appear only as labels (scheme and host).
 */
import { randomBytes } from 'node:crypto'
import type { Address, Hex } from 'viem'
import { EscapeError } from '../../../shared/errors/EscapeError'
import type { DiagnosisExitView, DiagnosisView } from '../../../shared/ipc/escapeSchemas'
import type { NetworkEntry } from '../../../shared/networks/networkEntry'
import { createOpStackAdapterPlaceholder, type ExitStatus } from '../../../shared/rollups/adapter'
import { createArbitrumAdapter, type ArbitrumExit, type ArbitrumExitStage } from '../../../shared/rollups/arbitrum-nitro/adapter'
import { connectArbitrumL1, connectArbitrumL2 } from '../flows/arbitrum/connectArbitrumEndpoints'
import { endpointLabel } from '../l1/endpointClients'
import { redactUrlsInText } from '../reports/buildJobReport'
import { l1ChainName } from './networkOptions'

export const STAGE_LABELS: Readonly<Record<ArbitrumExitStage, string>> = {
  'in-delayed-inbox': 'Waiting in the L1 delayed inbox (the sequencer has not included it yet)',
  'force-includable': 'Can be forced in from L1 now',
  sequenced: 'Included on L2',
  'waiting-for-confirmation': 'Waiting for the L2 state to be confirmed on L1',
  'ready-to-execute': 'Ready to be paid out on L1',
  executed: 'Paid out on L1',
}

export interface RunDiagnosisParameters {
  network: NetworkEntry
  l1Urls: readonly string[]
  l2Url?: string
  query: string
  onProgress?: (message: string) => void
  now?: () => Date
}

export async function runDiagnosis(p: RunDiagnosisParameters): Promise<DiagnosisView> {
  const query = p.query.trim()
  const isHash = /^0x[0-9a-fA-F]{64}$/.test(query)
  if (p.network.stack === 'op-stack') {
    // Says plainly that the OP Stack read side is not in this version (StackNotSupportedError, with what to do).
    await createOpStackAdapterPlaceholder<NetworkEntry>().findWithdrawals(p.network, query as Address)
    throw new EscapeError('unreachable')
  }
  const network = p.network.arbitrum
  const l1 = await connectArbitrumL1({ network, l1Urls: p.l1Urls })
  const l2Url = p.l2Url ?? network.l2RpcUrl
  const l2 = l2Url ? await connectArbitrumL2({ network, l2Url }) : undefined
  let address = query as Address
  let fromTransaction: DiagnosisView['fromTransaction']
  if (isHash) {
    const tx = await l1.getTransaction({ hash: query as Hex }).catch(() => undefined)
    if (!tx) {
      throw new EscapeError(`No transaction ${query} was found on ${l1ChainName(network.l1ChainId)}.`, {
        kind: 'user-action',
        steps: ['Paste the hash of the L1 transaction (sendL2Message, forceInclusion, executeTransaction), or paste the address instead.'],
      })
    }
    address = tx.from
    fromTransaction = { hash: query as Hex, found: `Sent by ${tx.from} in L1 block ${tx.blockNumber ?? 'pending'}; diagnosing that address.` }
  }
  const adapter = createArbitrumAdapter({ l1, l2, l2Source: l2Url && `the L2 node ${endpointLabel(l2Url)}`, onProgress: p.onProgress })
  const found = await adapter.findWithdrawals(network, address)
  const exits: DiagnosisExitView[] = []
  let clockBasis = ''
  for (const item of found.items) {
    const status = await adapter.status(network, item)
    clockBasis = status.l1Clock.basis
    exits.push(toExitView(item, status, isHash ? query.toLowerCase() : undefined))
  }
  return {
    id: `diagnosis-${(p.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`,
    at: (p.now?.() ?? new Date()).toISOString(),
    stack: 'arbitrum-nitro',
    network: { name: network.name, l1Name: l1ChainName(network.l1ChainId), l1ChainId: network.l1ChainId, l2ChainId: network.l2ChainId },
    query,
    address,
    ...(fromTransaction ? { fromTransaction } : {}),
    l1Block: found.l1Block.toString(),
    l1BlockTime: clockBasis || 'no exit found, no date computed',
    exits,
    notes: found.notes.map(redactUrlsInText).slice(0, 50),
    sources: { l1: [...new Set(p.l1Urls)].map(endpointLabel), ...(l2Url ? { l2: endpointLabel(l2Url) } : {}) },
  }
}

function toExitView(item: ArbitrumExit, status: ExitStatus<ArbitrumExitStage>, hash: string | undefined): DiagnosisExitView {
  const common = {
    stage: status.stage,
    stageLabel: STAGE_LABELS[status.stage],
    ...(status.blocker ? { blocker: redactUrlsInText(status.blocker) } : {}),
    deadlines: status.deadlines.map((d) => ({ what: d.what, at: d.deadline.at.toISOString(), estimate: d.deadline.estimate, basis: d.deadline.basis, passed: d.passed })),
    ...(status.nextAction
      ? { nextAction: { description: status.nextAction.description, by: status.nextAction.by, ready: status.nextAction.ready, at: status.nextAction.earliest.at.toISOString(), estimate: status.nextAction.earliest.estimate } }
      : {}),
  }
  if (item.kind === 'delayed-message') {
    const m = item.message
    return {
      kind: item.kind,
      title: `Message #${m.index} put into the L1 delayed inbox at L1 block ${m.l1BlockNumber}`,
      ...common,
      facts: strings({ index: m.index, l1Block: m.l1BlockNumber, l1Transaction: m.l1TransactionHash, l2Transaction: m.l2TransactionHash, relation: m.relation === 'signed-l2-tx' ? 'carries an L2 transaction you signed' : 'sent from your address on L1' }),
      matchesQuery: hash !== undefined && (m.l1TransactionHash?.toLowerCase() === hash || m.l2TransactionHash?.toLowerCase() === hash),
    }
  }
  const w = item.withdrawal
  return {
    kind: item.kind,
    title: `Withdrawal #${w.position} to ${w.to}${w.verified ? '' : ' (reported by the L2 node; not yet under a root confirmed on L1)'}`,
    ...common,
    facts: strings({ position: w.position, to: w.to, valueWei: w.value, l2Block: w.l2Block, l2Transaction: w.l2TransactionHash, verifiedAgainstL1: w.verified ? 'yes' : 'not yet', proof: w.proofMethod }),
    matchesQuery: hash !== undefined && w.l2TransactionHash?.toLowerCase() === hash,
  }
}

function strings(facts: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(Object.entries(facts).flatMap(([k, v]) => (v === undefined || v === null ? [] : [[k, String(v)]])))
}
