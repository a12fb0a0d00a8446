/**
 * `escape-hatch arb retryables`: the retryable tickets of one L1 transaction (--tx) or of an address (--address, in a
 * bounded range of L1 blocks), each with its ticket id computed from the checked L1 data, whether the sequencer inbox
 * has read it, and — with --l2-rpc — what an (untrusted) L2 node says of it: created, redeem attempts (each one's
 * hash re-computed from the ticket), expiry; then the one thing to do. Read-only: nothing is signed or sent.
 */
import { isAddress, isHash, type Address, type Hex } from 'viem'
import { readL1Clock } from '../../../shared/deadlines/readL1Clock'
import { DEFAULT_RETRYABLE_SEARCH_L1_BLOCKS, findRetryablesForAddress, findRetryablesInTx, type FoundRetryables } from '../../../shared/rollups/arbitrum-nitro/retryables/findRetryables'
import { getRetryableStatus, type RetryableStatus } from '../../../shared/rollups/arbitrum-nitro/retryables/getRetryableStatus'
import { endpointLabel } from '../../services/l1/endpointClients'
import { openL1Gateway } from '../../services/l1/openL1Gateway'
import { openUntrustedL2Client } from '../../services/l1/openUntrustedL2Client'
import { resolveNetwork } from '../../services/networks/resolveNetwork'
import { formatLocalAndUtc } from '../../services/reports/formatLocalAndUtc'
import { usageError, type Command } from '../command'
import { blockOption, diagnosisOptionSpecs, l1RpcOption } from '../diagnosisOptions'
import { networkOption } from '../networkOption'

const { address: _address, 'l2-from-block': _l2From, ...shared } = diagnosisOptionSpecs(
  'An Arbitrum network id (arbitrum-one, arbitrum-nova, arbitrum-sepolia, devnet-arbitrum while a devnet runs) or a network FILE.',
)

export const arbRetryablesCommand: Command = {
  path: ['arb', 'retryables'],
  summary: 'Find retryable tickets (from an L1 tx or an address), their ticket id, redeem attempts, expiry and what to do.',
  description: [
    'Reads the delayed messages of kind 9 (retryable tickets) that one L1 transaction created (--tx), or that an address',
    `sent or is refunded by (--address; L1 blocks from --from-block, default the last ${DEFAULT_RETRYABLE_SEARCH_L1_BLOCKS}, about 8 days: an`,
    'unredeemed ticket is deleted 7 days after creation unless kept alive). Each message is checked on L1 (the Bridge',
    'log against the agreed headers, its data against the recorded hash, the accumulator), and its ticket id — the L2',
    'hash of the ticket — is computed from that data. L1 also says whether the sequencer has read the message.',
    'Whether the ticket was redeemed, and when it expires, is L2 state: with --l2-rpc an untrusted node is asked, and',
    'every redeem attempt it reports must hash, from the ticket and the figures it carries, to the hash it announces.',
    'Read-only: nothing is signed or sent.',
  ].join('\n'),
  options: {
    network: shared.network!,
    'network-file': shared['network-file']!,
    tx: { type: 'string', description: 'The L1 transaction that created the ticket(s).', valueName: '0x…' },
    address: { type: 'string', description: 'Find the tickets this address sent, or that pay or refund to it.', valueName: '0x…' },
    'l1-rpc': shared['l1-rpc']!,
    'l2-rpc': { type: 'string', description: 'L2 JSON-RPC URL (untrusted): whether each ticket was redeemed, and its expiry.', valueName: 'URL' },
    'from-block': { type: 'string', description: `With --address: first L1 block to search (default: ${DEFAULT_RETRYABLE_SEARCH_L1_BLOCKS} blocks back).`, valueName: 'N' },
  },
  async run(ctx) {
    const o = ctx.options
    const tx = typeof o.tx === 'string' ? o.tx : undefined
    const address = typeof o.address === 'string' ? o.address : undefined
    if ((tx === undefined) === (address === undefined)) usageError('give exactly one of --tx HASH or --address 0x…')
    if (tx !== undefined && !isHash(tx)) usageError('--tx must be a 32-byte 0x hash')
    if (address !== undefined && !isAddress(address)) usageError('--address must be a 0x address')
    const l1Urls = l1RpcOption(o['l1-rpc'])
    const fromBlock = blockOption(o['from-block'], '--from-block')
    const { arbitrum: network } = await resolveNetwork({ network: networkOption(o, 'network-file'), dataDir: ctx.dataDir, stack: 'arbitrum-nitro' })
    const l2Url = typeof o['l2-rpc'] === 'string' ? o['l2-rpc'] : network.l2RpcUrl
    ctx.progress(`Reading ${network.name} from L1…`)
    const [l1, l2] = await Promise.all([
      openL1Gateway({ urls: l1Urls, l1ChainId: network.l1ChainId, label: `${network.name}'s L1` }),
      l2Url ? openUntrustedL2Client(l2Url, network.l2ChainId) : undefined,
    ])
    let found: FoundRetryables
    let searched: string
    if (tx !== undefined) {
      found = await findRetryablesInTx(l1, network, tx as Hex)
      searched = `L1 transaction ${tx}`
    } else {
      const head = (await l1.pinBlock()).number
      const from = fromBlock ?? (head > DEFAULT_RETRYABLE_SEARCH_L1_BLOCKS ? head - DEFAULT_RETRYABLE_SEARCH_L1_BLOCKS : 0n)
      ctx.progress(`Searching L1 blocks ${from}..${head} for retryables of ${address}…`)
      found = await findRetryablesForAddress(l1, network, { address: address as Address, fromBlock: from, toBlock: head })
      searched = `retryables of ${address} in L1 blocks ${from}..${head}`
    }
    const clock = await readL1Clock({ l1 })
    const l2Source = l2Url ? `the L2 RPC ${endpointLabel(l2Url)}` : undefined
    const statuses: RetryableStatus[] = []
    for (const ticket of found.tickets) statuses.push(await getRetryableStatus({ l1, network, ticket, l2, l2Source, clock }))
    const json = { network: network.name, searched, tickets: statuses.map((s) => ({ ...s, nextStep: nextStep(s) })), rejected: found.rejected }
    return { json, text: toText(network.name, searched, statuses, found) }
  },
}

/** The one thing to do, in words (the redeem or keepalive is an L2 tx; through the delayed inbox when censored). */
export function nextStep(s: RetryableStatus): string | undefined {
  switch (s.stage) {
    case 'waiting-for-sequencing':
      return s.forceInclusion.canForceNow
        ? `The sequencer has not read message #${s.ticket.messageIndex} and its deadline has passed: anyone can force it in now (SequencerInbox.forceInclusion). The ticket is created when it is.`
        : `Wait for the sequencer, or force message #${s.ticket.messageIndex} in from L1 block ${s.forceInclusion.firstIncludableBlock}.`
    case 'awaiting-redeem':
      return [
        `Redeem it before it expires: ArbRetryableTx.redeem(${s.ticket.ticketId}) from any funded L2 account (it runs the ticket's call; you pay only gas).`,
        'If the sequencer censors you, sign that L2 transaction and put it in through the L1 delayed inbox (Inbox.sendL2Message), then force it in after the delay, as the ETH escape does.',
        `To gain time, ArbRetryableTx.keepalive(${s.ticket.ticketId}) moves the expiry 7 days later (anyone may call it; it costs a fee for the ticket's size).`,
      ].join(' ')
    case 'not-seen-on-l2':
      return 'Ask another L2 RPC: L1 shows the message was read, so the ticket exists on L2 (or its creation failed).'
    case 'unknown-without-l2':
      return 'Pass --l2-rpc to see whether it was redeemed (L2 state).'
    case 'creation-failed':
      return `No ticket exists, so there is nothing to redeem. ArbOS credits the deposit on L2 before it checks the fees: look at the L2 balances of the ticket's sender ${s.ticket.sender} (the L1 sender's alias) and of ${s.ticket.submission.excessFeeRefundAddress}.`
    case 'expired':
      return `Nothing can run the call any more; its call value (${s.ticket.submission.l2CallValue} wei) went to the beneficiary ${s.ticket.submission.callValueRefundAddress} on L2.`
    case 'redeemed':
      return undefined
  }
}

function toText(networkName: string, searched: string, statuses: RetryableStatus[], found: FoundRetryables): string {
  const lines = [`${networkName} — ${searched}: ${statuses.length === 0 ? 'no retryable tickets' : `${statuses.length} retryable ticket(s)`}`]
  for (const s of statuses) {
    const t = s.ticket
    lines.push(
      '',
      `Ticket ${t.ticketId} (delayed message #${t.messageIndex}, L1 block ${t.l1BlockNumber}) — ${s.stage}`,
      `  to ${t.submission.to ?? '(contract creation)'}, call value ${t.submission.l2CallValue} wei, deposit ${t.submission.depositValue} wei, gas limit ${t.submission.gasLimit}, beneficiary ${t.submission.callValueRefundAddress}`,
      ...s.confirmedOnL1.map((l) => `  L1: ${l}`),
      ...s.reportedByL2.map((l) => `  L2: ${l}`),
    )
    if (s.expiry) lines.push(`  Expires ${formatLocalAndUtc(s.expiry.at)} unless redeemed or kept alive (${s.expiry.basis}).`)
    const next = nextStep(s)
    if (next) lines.push(`  Next: ${next}`)
  }
  for (const r of found.rejected) lines.push('', `Delayed message #${r.messageIndex} is a retryable ArbOS will not create: ${r.reason}.`)
  return lines.join('\n')
}
