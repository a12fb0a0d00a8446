/**
 * Retryable tickets from L1 facts (issue 16 item 2): the kind-9 delayed messages of one L1 transaction, or those of
 * an address in a bounded range of L1 blocks. Every message comes through readDelayedMessages* — a Bridge
 * MessageDelivered log whose data (the Inbox's InboxMessageDelivered) hashes to the recorded messageDataHash — so the
 * submission and the ticket id computed here are exactly what ArbOS will see. Through the L1 gateway the logs are
 * themselves checked against the agreed headers' receipts roots.
 *
 * The Bridge does not index the sender, so an address search reads every delayed message in the range and keeps the
 * retryables the address sent (sender = its L1→L2 alias, as the Inbox records it), or that pay or refund to it
 * (to / excessFeeRefundAddress / callValueRefundAddress, as itself or its alias: the Inbox aliases contract refund
 * addresses).
 */
import { getAddress, type Address, type Hex } from 'viem'
import { L1MessageKind } from '../derive/delayedMessage'
import { ArbNotFoundError } from '../errors'
import type { ArbL1Client } from '../l1Client'
import type { ArbitrumNetwork } from '../network'
import { applyL1ToL2Alias } from '../status/applyL1ToL2Alias'
import { readDelayedMessagesFromTx, readDelayedMessagesInRange, type TrackedDelayedMessage } from '../status/trackDelayedMessage'
import { decodeRetryableSubmission, retryableTicketId, type RetryableSubmission } from './retryableSubmission'

/** Unredeemed tickets are deleted 7 days after creation (unless kept alive): ~8.3 days of 12 s L1 blocks by default. */
export const DEFAULT_RETRYABLE_SEARCH_L1_BLOCKS = 60_000n
/** More than this many retryables for one address is not one user's; narrow the range. */
export const MAX_RETRYABLES_FOUND = 500

export interface RetryableTicket {
  messageIndex: bigint
  l1TxHash: Hex | undefined
  l1BlockNumber: bigint
  /** L1 timestamp of the message (the ticket is created on L2 when the message is sequenced, later). */
  l1Timestamp: bigint
  /** As the Bridge recorded it (the aliased L1 sender): the ticket's `from`. */
  sender: Address
  baseFeeL1: bigint
  submission: RetryableSubmission
  /** The L2 tx hash of the ArbitrumSubmitRetryableTx. */
  ticketId: Hex
}

export type RetryableSkipped = { messageIndex: bigint; sender: Address; reason: string }

export interface FoundRetryables {
  tickets: RetryableTicket[]
  /** Kind-9 messages ArbOS will not turn into a ticket (malformed), with its reason. */
  rejected: RetryableSkipped[]
}

function toTickets(messages: readonly TrackedDelayedMessage[], network: ArbitrumNetwork, keep: (t: RetryableTicket) => boolean): FoundRetryables {
  const out: FoundRetryables = { tickets: [], rejected: [] }
  for (const m of messages) {
    if (m.kind !== L1MessageKind.SubmitRetryable) continue
    if (m.data === undefined) {
      out.rejected.push({ messageIndex: m.index, sender: m.sender, reason: 'no InboxMessageDelivered data from the Inbox for this message' })
      continue
    }
    const decoded = decodeRetryableSubmission(m.data)
    if (decoded.error !== undefined) {
      out.rejected.push({ messageIndex: m.index, sender: m.sender, reason: `ArbOS rejects it: ${decoded.error}` })
      continue
    }
    const ticket: RetryableTicket = {
      messageIndex: m.index, l1TxHash: m.transactionHash, l1BlockNumber: m.l1BlockNumber, l1Timestamp: m.timestamp, sender: m.sender, baseFeeL1: m.baseFeeL1,
      submission: decoded.submission,
      ticketId: retryableTicketId({ l2ChainId: BigInt(network.l2ChainId), messageIndex: m.index, sender: m.sender, baseFeeL1: m.baseFeeL1, submission: decoded.submission }),
    }
    if (keep(ticket)) out.tickets.push(ticket)
  }
  return out
}

/** The retryables created by one L1 transaction (its messages are also checked against the Bridge accumulator). */
export async function findRetryablesInTx(l1: ArbL1Client, network: ArbitrumNetwork, l1TxHash: Hex): Promise<FoundRetryables> {
  const found = toTickets(await readDelayedMessagesFromTx(l1, network, l1TxHash), network, () => true)
  if (found.tickets.length === 0 && found.rejected.length === 0) {
    throw new ArbNotFoundError(`L1 transaction ${l1TxHash} created no retryable ticket on ${network.name} (its delayed messages are of other kinds).`, { kind: 'user-action' })
  }
  return found
}

export interface FindRetryablesForAddressParameters {
  address: Address
  fromBlock: bigint
  toBlock: bigint
}

/** Whether a ticket concerns `address` (see the header comment). */
export function retryableConcerns(ticket: RetryableTicket, address: Address): boolean {
  const ours = new Set([getAddress(address), applyL1ToL2Alias(getAddress(address))])
  const s = ticket.submission
  return [ticket.sender, s.to, s.excessFeeRefundAddress, s.callValueRefundAddress].some((a) => a !== null && ours.has(getAddress(a)))
}

export async function findRetryablesForAddress(l1: ArbL1Client, network: ArbitrumNetwork, p: FindRetryablesForAddressParameters): Promise<FoundRetryables> {
  const messages = await readDelayedMessagesInRange(l1, network, p.fromBlock, p.toBlock)
  const found = toTickets(messages, network, (t) => retryableConcerns(t, p.address))
  if (found.tickets.length > MAX_RETRYABLES_FOUND) {
    throw new ArbNotFoundError(`More than ${MAX_RETRYABLES_FOUND} retryables concern ${p.address} in L1 blocks ${p.fromBlock}..${p.toBlock}.`, {
      kind: 'user-action',
      steps: ['Search a shorter range (--from-block), or look one up by its L1 transaction (--tx).'],
    })
  }
  // A malformed kind-9 message is this address's business only if it sent it.
  const alias = applyL1ToL2Alias(getAddress(p.address))
  return { tickets: found.tickets, rejected: found.rejected.filter((r) => getAddress(r.sender) === alias) }
}

/** One ticket by its id, among the retryables submitted in a bounded range of L1 blocks. */
export async function findRetryableById(l1: ArbL1Client, network: ArbitrumNetwork, p: { ticketId: Hex; fromBlock: bigint; toBlock: bigint }): Promise<RetryableTicket> {
  const messages = await readDelayedMessagesInRange(l1, network, p.fromBlock, p.toBlock)
  const found = toTickets(messages, network, (t) => t.ticketId.toLowerCase() === p.ticketId.toLowerCase())
  const ticket = found.tickets[0]
  if (!ticket) {
    throw new ArbNotFoundError(`No retryable with ticket id ${p.ticketId} was submitted to ${network.name} in L1 blocks ${p.fromBlock}..${p.toBlock}.`, {
      kind: 'user-action',
      steps: ['Give the L1 transaction that created it (--tx), or search further back (--from-block).'],
    })
  }
  return ticket
}
