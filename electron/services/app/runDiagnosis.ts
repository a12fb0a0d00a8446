/**
 * The support diagnosis behind the app's Diagnosis screen (the CLI's `escape-hatch status` is the other face): an
 * address, or a transaction hash whose sender on L1 is the address, on a network → every exit in flight with its
 * stage in plain words, what blocks it, its dates and the one next action, from the stack's RollupAdapter read side
 * (Arbitrum: createArbitrumAdapter; OP Stack: createOpStackAdapter).
 * Read-only; no key is ever asked for. Endpoints appear only as labels (scheme and host).
 */
import { randomBytes } from 'node:crypto'
import type { Address, Hex } from 'viem'
import { EscapeError } from '../../../shared/errors/EscapeError'
import type { DiagnosisExitView, DiagnosisView } from '../../../shared/ipc/escapeSchemas'
import type { NetworkEntry } from '../../../shared/networks/networkEntry'
import type { ExitStatus, FoundWithdrawals } from '../../../shared/rollups/adapter'
import { createArbitrumAdapter, type ArbitrumExit, type ArbitrumExitStage } from '../../../shared/rollups/arbitrum-nitro/adapter'
import { createOpStackAdapter, type OpExit } from '../../../shared/rollups/op-stack/adapter'
import type { OpExitStage } from '../../../shared/rollups/op-stack/withdraw/withdrawalStatus'
import { readPortalSetup, type PortalSetup } from '../../../shared/rollups/op-stack/withdraw/readPortalSetup'
import { readWithdrawalState } from '../../../shared/rollups/op-stack/withdraw/readWithdrawalState'
import { opAdapterNetwork } from '../networks/opAdapterNetwork'
import { connectArbitrumL1, connectArbitrumL2 } from '../flows/arbitrum/connectArbitrumEndpoints'
import { endpointLabel } from '../l1/endpointClients'
import { openL1Gateway, type L1Gateway } from '../l1/openL1Gateway'
import { openUntrustedL2Client } from '../l1/openUntrustedL2Client'
import { redactUrlsInText } from '../../../shared/errors/redactUrls'
import { l1ChainName } from './networkOptions'

export const STAGE_LABELS: Readonly<Record<ArbitrumExitStage, string>> = {
  'in-delayed-inbox': 'Waiting in the L1 delayed inbox (the sequencer has not included it yet)',
  'force-includable': 'Can be forced in from L1 now',
  sequenced: 'Included on L2',
  'waiting-for-confirmation': 'Waiting for the L2 state to be confirmed on L1',
  'ready-to-execute': 'Ready to be paid out on L1',
  executed: 'Paid out on L1',
}

export const OP_STAGE_LABELS: Readonly<Record<OpExitStage, string>> = {
  'waiting-for-inclusion': 'Deposited on L1; L2 must include it within the sequencing window',
  'ready-to-prove': 'Ready to be proven on L1',
  'proof-invalidated': 'Its proof no longer counts: prove it again',
  'waiting-for-game': 'Proven; the dispute game’s clock is running',
  'ready-to-resolve': 'Proven; the dispute game can be resolved now',
  'waiting-for-finality': 'Waiting for the proof maturity and the finality delay',
  'ready-to-finalize': 'Ready to be paid out on L1 (finalize)',
  finalized: 'Paid out on L1',
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
  const hash = /^0x[0-9a-fA-F]{64}$/.test(query) ? (query as Hex) : undefined
  const at = (p.now?.() ?? new Date()).toISOString()
  const entry = p.network
  const l1 = entry.stack === 'op-stack'
    ? await openL1Gateway({ urls: p.l1Urls, l1ChainId: entry.l1ChainId, label: `${entry.name}'s L1` })
    : await connectArbitrumL1({ network: entry.arbitrum, l1Urls: p.l1Urls })
  const { address, fromTransaction } = hash ? await senderOf(l1, hash, entry.l1ChainId) : { address: query as Address, fromTransaction: undefined }
  const l2Url = p.l2Url ?? (entry.stack === 'arbitrum-nitro' ? entry.arbitrum.l2RpcUrl : undefined)
  const l2Source = l2Url && `the L2 node ${endpointLabel(l2Url)}`
  let found: FoundWithdrawals<unknown>
  const exits: DiagnosisExitView[] = []
  let clockBasis = ''
  if (entry.stack === 'op-stack') {
    const network = opAdapterNetwork(entry)
    const l2 = l2Url ? await openUntrustedL2Client(l2Url, entry.l2ChainId) : undefined
    const adapter = createOpStackAdapter({ l1, l2, l2Source, onProgress: p.onProgress })
    const op = await adapter.findWithdrawals(network, address)
    found = op
    let setup: PortalSetup | undefined
    for (const item of op.items) {
      const status = await adapter.status(network, item)
      clockBasis = status.l1Clock.basis
      const view = toOpExitView(item, status, hash?.toLowerCase())
      if (item.withdrawalHash && !network.provingUnsupported) {
        setup ??= await readPortalSetup(l1, network.portal, op.l1Block)
        Object.assign(view.facts, await opProofFacts(l1, setup, item.withdrawalHash, address))
      }
      exits.push(view)
    }
  } else {
    const network = entry.arbitrum
    const l2 = l2Url ? await connectArbitrumL2({ network, l2Url }) : undefined
    const adapter = createArbitrumAdapter({ l1, l2, l2Source, onProgress: p.onProgress })
    const arb = await adapter.findWithdrawals(network, address)
    found = arb
    for (const item of arb.items) {
      const status = await adapter.status(network, item)
      clockBasis = status.l1Clock.basis
      exits.push(toExitView(item, status, hash?.toLowerCase()))
    }
  }
  return {
    id: `diagnosis-${at.replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}`,
    at,
    stack: entry.stack,
    network: { name: entry.name, l1Name: l1ChainName(entry.l1ChainId), l1ChainId: entry.l1ChainId, l2ChainId: entry.l2ChainId },
    query,
    address,
    ...(fromTransaction ? { fromTransaction } : {}),
    l1Block: found.l1Block.toString(),
    l1BlockTime: clockBasis || 'no exit found, no date computed',
    exits,
    notes: found.notes.map((n) => redactUrlsInText(n)).slice(0, 50),
    sources: { l1: [...new Set(p.l1Urls)].map(endpointLabel), ...(l2Url ? { l2: endpointLabel(l2Url) } : {}) },
  }
}

/** A pasted L1 transaction hash → its sender (recovered from the signature by the gateway's verified read). */
async function senderOf(l1: L1Gateway, hash: Hex, l1ChainId: number): Promise<{ address: Address; fromTransaction: DiagnosisView['fromTransaction'] }> {
  const tx = await l1.getTransaction({ hash }).catch(() => undefined)
  if (!tx) {
    throw new EscapeError(`No transaction ${hash} was found on ${l1ChainName(l1ChainId)}.`, {
      kind: 'user-action',
      steps: ['Paste the hash of your L1 transaction (the inbox, portal, forceInclusion or payout transaction), or paste the address instead.'],
    })
  }
  return { address: tx.from, fromTransaction: { hash, found: `Sent by ${tx.from} in L1 block ${tx.blockNumber ?? 'pending'}; diagnosing that address.` } }
}

function statusViews(status: ExitStatus) {
  return {
    ...(status.blocker ? { blocker: redactUrlsInText(status.blocker) } : {}),
    deadlines: status.deadlines.map((d) => ({ what: d.what, at: d.deadline.at.toISOString(), estimate: d.deadline.estimate, basis: d.deadline.basis, passed: d.passed })),
    ...(status.nextAction
      ? { nextAction: { description: status.nextAction.description, by: status.nextAction.by, ready: status.nextAction.ready, at: status.nextAction.earliest.at.toISOString(), estimate: status.nextAction.earliest.estimate } }
      : {}),
  }
}

function toOpExitView(item: OpExit, status: ExitStatus<OpExitStage>, hash: string | undefined): DiagnosisExitView {
  const common = { stage: status.stage, stageLabel: OP_STAGE_LABELS[status.stage] ?? status.stage, ...statusViews(status) }
  if (item.kind === 'forced-withdrawal') {
    return {
      kind: item.kind,
      title: `Forced withdrawal deposited at L1 block ${item.l1BlockNumber}${item.via === 'standard-bridge' ? ' (tokens, standard bridge)' : ''}`,
      ...common,
      facts: strings({ l1Block: item.l1BlockNumber, l1Transaction: item.l1TransactionHash, l2Transaction: item.l2TransactionHash, valueWei: item.via === 'message-passer' ? item.value : undefined, withdrawalHash: item.withdrawalHash }),
      matchesQuery: hash !== undefined && (item.l1TransactionHash.toLowerCase() === hash || item.l2TransactionHash.toLowerCase() === hash),
    }
  }
  return {
    kind: item.kind,
    title: `Withdrawal ${item.withdrawalHash} to ${item.target}, proven at L1 block ${item.provenAtL1Block}`,
    ...common,
    facts: strings({ withdrawalHash: item.withdrawalHash, target: item.target, provenAtL1Block: item.provenAtL1Block }),
    matchesQuery: hash !== undefined && item.withdrawalHash.toLowerCase() === hash,
  }
}

/** What L1 says of an OP withdrawal: paid out or not, and each proof with its dispute game, root claim and L2 block. */
async function opProofFacts(l1: L1Gateway, setup: PortalSetup, withdrawalHash: Hex, account: Address): Promise<Record<string, string>> {
  const state = await readWithdrawalState(l1, setup, withdrawalHash, account)
  const facts: Record<string, string> = { finalizedOnL1: state.finalized ? 'yes' : 'no', proofsOnL1: state.proofSubmitterCount.toString() }
  state.proofs.slice(0, 5).forEach((proof, i) => {
    const g = proof.game
    facts[`proof${i + 1}`] = `by ${proof.submitter} at ${new Date(Number(proof.provenAt) * 1000).toISOString()} against dispute game ${g.address} (type ${g.gameType}, ${g.status}${g.blacklisted ? ', blacklisted' : ''})`
    facts[`proof${i + 1}OutputRoot`] = `${g.rootClaim} (L2 block ${g.l2BlockNumber})`
  })
  return facts
}

function toExitView(item: ArbitrumExit, status: ExitStatus<ArbitrumExitStage>, hash: string | undefined): DiagnosisExitView {
  const common = { stage: status.stage, stageLabel: STAGE_LABELS[status.stage], ...statusViews(status) }
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
