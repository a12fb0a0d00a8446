/**
 * `escape-hatch arb status`: read-only diagnosis of an address on an Arbitrum chain — force-inclusion window, the
 * address's delayed messages and deadlines, withdrawals and their stage. Sends nothing, signs nothing.
 */
import { DEFAULT_L2_SEARCH_BLOCKS, getArbitrumStatus, type ArbitrumAccountStatus } from '../../../shared/rollups/arbitrum-nitro/status'
import { endpointLabel } from '../../services/l1/endpointClients'
import { openL1Gateway } from '../../services/l1/openL1Gateway'
import { openUntrustedL2Client } from '../../services/l1/openUntrustedL2Client'
import { resolveNetwork } from '../../services/networks/resolveNetwork'
import { type Command } from '../command'
import { diagnosisOptionSpecs, readDiagnosisOptions } from '../diagnosisOptions'

export const arbStatusCommand: Command = {
  path: ['arb', 'status'],
  summary: 'Diagnose an address on an Arbitrum chain from L1: delayed messages, force-inclusion deadline, withdrawals.',
  description: [
    'Reads the chain’s contracts and parameters from the L1 RPC (checked against the Bridge), lists the address’s',
    'delayed-inbox messages with their force-inclusion deadline, and — with --l2-rpc — the withdrawals paying out to it',
    'and their stage. Withdrawals are found by their destination (the field ArbSys indexes) in a bounded range of L2',
    `blocks (default: the last ${DEFAULT_L2_SEARCH_BLOCKS} blocks, about a month on Arbitrum One; --l2-from-block to go further back),`,
    'asking the L2 node only for this address’s withdrawals. The L2 RPC is untrusted: a withdrawal is shown as verified',
    'only when its Outbox proof (from the node’s NodeInterface, or its full send list when it has none) leads from the',
    'withdrawal itself to the send root confirmed on L1. Read-only: nothing is signed or sent.',
  ].join('\n'),
  options: diagnosisOptionSpecs('An Arbitrum network id (arbitrum-one, arbitrum-nova, arbitrum-sepolia, devnet-arbitrum while a devnet runs; see `escape-hatch networks`) or a network FILE.'),
  async run(ctx) {
    const { address, l1Urls, networkRef, l2Url: givenL2Url, fromBlock, l2FromBlock } = readDiagnosisOptions(ctx.options)
    const { arbitrum: network } = await resolveNetwork({ network: networkRef, dataDir: ctx.dataDir, stack: 'arbitrum-nitro' })
    const l2Url = givenL2Url ?? network.l2RpcUrl
    ctx.progress(`Reading ${network.name} from L1…`)
    const [l1, l2] = await Promise.all([
      openL1Gateway({ urls: l1Urls, l1ChainId: network.l1ChainId, label: `${network.name}'s L1` }),
      l2Url ? openUntrustedL2Client(l2Url, network.l2ChainId) : undefined,
    ])
    const status = await getArbitrumStatus({
      l1, l2, l2Source: l2Url && `the L2 RPC ${endpointLabel(l2Url)}`, network, address, fromBlock, l2FromBlock, onProgress: ctx.progress,
    })
    return { json: status, text: toText(status) }
  },
}

function toText(s: ArbitrumAccountStatus): string {
  const p = s.parameters
  const lines = [
    `${s.network.name} — ${s.address}`,
    `L1 block ${p.l1BlockNumber}. Force inclusion after ${s.forceInclusionDelayBlocks} L1 blocks (~${s.forceInclusionDelayHoursEstimate.toFixed(1)} h)` +
      `${p.isDelayBufferable ? ` (delayBlocks ${p.delayBlocks}, delay buffer ${p.buffer?.bufferBlocks ?? '?'})` : ''}; ${s.l1Clock.basis}.`,
    `Delayed messages read by the sequencer inbox: ${p.totalDelayedMessagesRead} of ${p.delayedMessageCount}.`,
    `Confirm period ${p.confirmPeriodBlocks} L1 blocks; latest confirmed assertion ${s.confirmed.assertionHash} (sendRoot ${s.confirmed.sendRoot}).`,
    '',
    `Delayed messages of this address (L1 blocks ${s.scannedL1Blocks.from}..${s.scannedL1Blocks.to}): ${s.delayedMessages.length === 0 ? 'none' : ''}`,
  ]
  for (const m of s.delayedMessages) {
    const f = m.forceInclusion
    const state = f.sequenced
      ? 'sequenced'
      : f.canForceNow
        ? `NOT sequenced — can be forced in now (deadline block ${f.deadlineBlock} passed)`
        : `NOT sequenced — can be forced in from L1 block ${f.firstIncludableBlock}${f.opensAt ? ` (about ${f.opensAt.at.toISOString().slice(0, 16).replace('T', ' ')} UTC)` : ''}`
    lines.push(`  #${m.index} kind ${m.kind} at L1 block ${m.l1BlockNumber}${m.l2TransactionHash ? `, your L2 tx ${m.l2TransactionHash}` : ''}: ${state}`)
  }
  lines.push('')
  if (s.l2Reported) lines.push(`L2 RPC reports (unverified): balance ${s.l2Reported.balance} wei, nonce ${s.l2Reported.nonce}.`)
  if (s.withdrawals) {
    const range = s.scannedL2Blocks ? ` (L2 blocks ${s.scannedL2Blocks.from}..${s.scannedL2Blocks.to})` : ''
    lines.push(`Withdrawals to this address${range}: ${s.withdrawals.length === 0 ? 'none' : ''}`)
    for (const w of s.withdrawals) {
      const check = w.verified
        ? ` [verified against L1${w.proofMethod === 'send-list' ? ', from the full send list: the node has no NodeInterface' : ''}]`
        : ' [reported by the L2 RPC, not yet under a confirmed root]'
      lines.push(`  #${w.position} ${w.value} wei to ${w.to} (L2 block ${w.l2Block}): ${w.stage}${check}`)
    }
  }
  if (s.withdrawalsNote) lines.push(`! ${s.withdrawalsNote}`)
  return lines.join('\n')
}
