/**
 * Redeem a stuck retryable ticket through the L1 delayed inbox, as a resumable journaled job (issue 16 item 2; job
 * steps in redeemRetryableJob.ts). Anyone may redeem a ticket: `ArbRetryableTx.redeem(ticketId)` runs the ticket's own
 * call (its `from` is the ticket's sender), the redeemer pays only the gas. When the sequencer censors, the redeem is
 * an L2 transaction signed for the L2 chain and carried by Inbox.sendL2Message, then forced in after the delay — the
 * escape's own steps (ForcedL2Message), not a copy.
 *
 * Trust: the ticket (its submission, id, message index) comes only from checked L1 data (findRetryables*); whether it
 * was redeemed, and its expiry, are the L2 node's answer, untrusted, kept apart (reportedByL2) from what L1 confirms
 * (confirmedOnL1, and the batch that sequenced our redeem). Every redeem attempt the node reports must hash, from the
 * ticket and its own figures, to the hash it announces (readRetryableOnL2).
 */
import { getAddress, type Hex } from 'viem'
import { RETRYABLE_LIFETIME_SECONDS } from '../../../../../shared/deadlines/arbitrumDeadlines'
import { EscapeError } from '../../../../../shared/errors/EscapeError'
import { ArbSendRootMismatchError, ArbUntrustedDataError } from '../../../../../shared/rollups/arbitrum-nitro/errors'
import { buildTicketActionTx } from '../../../../../shared/rollups/arbitrum-nitro/retryables/buildTicketActionTx'
import { DEFAULT_RETRYABLE_SEARCH_L1_BLOCKS, findRetryableById, findRetryablesInTx, type RetryableTicket } from '../../../../../shared/rollups/arbitrum-nitro/retryables/findRetryables'
import { getRetryableStatus, readRetryableOnL2, type RetryableL2Client } from '../../../../../shared/rollups/arbitrum-nitro/retryables/getRetryableStatus'
import type { ArbL2Client } from '../../../../../shared/rollups/arbitrum-nitro/l1Client'
import type { StepResult } from '../../../jobs/defineStep'
import { runJob } from '../../../jobs/runJob'
import {
  detectSequencingStep, forceInclusionStep, prepareStep, sendL2MessageStep, signL2TxStep, trackMessageStep, waitForceInclusionStep,
} from '../arbitrumEscapeSteps'
import { damagedJobError, ForcedL2Message } from '../forcedL2Message'
import type { ArbitrumEscapeDeps } from '../runArbitrumEscape'
import { confirmRedeemStep, findTicketStep, retryableRedeemParamsSchema, type RetryableRedeemParams, type RetryableRedeemStep } from './redeemRetryableJob'

export type RetryableRedeemDeps = Omit<ArbitrumEscapeDeps, 'l2' | 'waitForConfirmation' | 'onProgress'> & {
  l2: ArbL2Client & RetryableL2Client
  onProgress?(event: { step: RetryableRedeemStep; message: string }): void
}

export interface RetryableRedeemResult {
  jobId: string
  ticketId: Hex
  /** The ticket was already redeemed when the job looked: nothing was signed. */
  alreadyRedeemed: boolean
  redeemL2TxHash: Hex | undefined
  sendL2MessageTx: Hex | undefined
  forceInclusionTx: Hex | undefined
  sequencedInBatch: string | undefined
  forced: boolean
  redeemedBy: Hex | undefined
  reportedByL2: string[]
}

export async function runRetryableRedeem(jobId: string, deps: RetryableRedeemDeps): Promise<RetryableRedeemResult> {
  return runJob({
    store: deps.store,
    jobId,
    signal: deps.signal,
    failureMessage: 'The retryable redeem stopped.',
    isSourceProblem: (e) => e instanceof ArbSendRootMismatchError || e instanceof ArbUntrustedDataError,
    summarize: (r) => (r.alreadyRedeemed ? `Ticket ${r.ticketId} was already redeemed.` : `Ticket ${r.ticketId} redeemed by ${r.redeemedBy} (as the L2 node reports it).`),
    async body(run) {
      if ((await deps.store.load(jobId)).damaged) throw damagedJobError(jobId)
      const params = retryableRedeemParamsSchema.parse((await run.state()).params)
      const progress = (step: string, message: string) => deps.onProgress?.({ step: step as RetryableRedeemStep, message })
      const account = getAddress(params.account)
      const l1Endpoints = (): readonly string[] => {
        const endpoints = deps.l1Endpoints ?? params.l1Endpoints
        if (!endpoints || endpoints.length === 0) {
          throw new EscapeError('This job needs your L1 RPC endpoints to send its transactions.', {
            kind: 'user-action',
            steps: ['The job did not save them (they may contain API keys): pass them again with --l1-rpc URL.'],
          })
        }
        return endpoints
      }
      const forced = new ForcedL2Message({ run, deps, network: params.network, account, signerPath: params.signerPath, l1Endpoints, progress })
      const l2Source = deps.l2Source ?? params.l2RpcUrl ?? 'the L2 RPC'
      const step = run.step.bind(run)

      const ticket = await step(findTicketStep, () => findTicket(params, deps, l2Source, progress))
      if (ticket.stage === 'redeemed') {
        progress('find-ticket', 'The ticket is already redeemed (as the L2 node reports it): nothing to sign.')
        return { jobId, ticketId: ticket.ticketId, alreadyRedeemed: true, redeemL2TxHash: undefined, sendL2MessageTx: undefined, forceInclusionTx: undefined, sequencedInBatch: undefined, forced: false, redeemedBy: undefined, reportedByL2: ticket.reportedByL2 }
      }
      const prepared = await step(prepareStep, () => forced.prepare(params.l2Nonce))
      const signed = await step(signL2TxStep, async () => {
        const built = buildTicketActionTx({
          action: 'redeem', l2ChainId: params.network.l2ChainId, nonce: prepared.l2Nonce, ticketId: ticket.ticketId, ticketGasLimit: ticket.submission.gasLimit,
          currentL2BaseFee: prepared.l2BaseFeeReported, ...(params.gas ? { gas: BigInt(params.gas) } : {}),
        })
        if (prepared.l2BalanceReported < built.maxGasCost) {
          throw new EscapeError(`The L2 balance reported for ${account} (${prepared.l2BalanceReported} wei) does not cover up to ${built.maxGasCost} wei of L2 gas for the redeem.`, {
            kind: 'user-action',
            steps: ['Redeem from an account with ETH on L2 (anyone may redeem the ticket), or give a smaller --gas.'],
          })
        }
        for (const line of built.explanation) progress('sign-l2-tx', line)
        progress('sign-l2-tx', 'Confirm the redeem on your Ledger. It is signed for the L2 chain and will go in through the L1 delayed inbox, not to the sequencer.')
        progress('sign-l2-tx', deps.signer.describeDisplay(built.request).instruction)
        const tx = await deps.signer.signTransaction({ path: params.signerPath, request: built.request, expectedFrom: account, signal: deps.signal })
        return { hash: tx.hash, raw: tx.raw, nonce: built.request.nonce, maxFeePerGas: built.request.type === 'eip1559' ? built.request.maxFeePerGas : 0n }
      })
      const sent = await step(sendL2MessageStep, () => forced.sendL2Message(signed, prepared))
      const message = await step(trackMessageStep, () => forced.trackMessage(sent))
      const waited = await step(waitForceInclusionStep, () => forced.waitForceInclusion(message))
      const forcedIn = await step(forceInclusionStep, () => forced.forceInclusion(message, waited))
      const sequencing = await step(detectSequencingStep, () => forced.detectSequencing(message, signed))
      const confirmed = await step(confirmRedeemStep, () => confirmRedeem(toTicket(ticket), signed.hash, params, deps, l2Source, progress))
      return {
        jobId, ticketId: ticket.ticketId, alreadyRedeemed: false, redeemL2TxHash: signed.hash, sendL2MessageTx: sent.l1TxHash, forceInclusionTx: forcedIn.l1TxHash ?? undefined,
        sequencedInBatch: sequencing.batch.toString(), forced: sequencing.forced, redeemedBy: confirmed.redeemedBy ?? undefined, reportedByL2: confirmed.reportedByL2,
      }
    },
  })
}

export type FoundTicket = StepResult<typeof findTicketStep>

/**
 * The ticket the params name, from checked L1 data, and where it stands (L2: untrusted). Refuses an expired or never
 * created ticket with the reason; reports a redeemed one as `stage: 'redeemed'`. The job's find-ticket step, and the
 * check `arb redeem` makes before it creates a job.
 */
export async function findTicket(params: RetryableRedeemParams, deps: Pick<RetryableRedeemDeps, 'l1' | 'l2'>, l2Source: string, progress: (step: string, message: string) => void): Promise<FoundTicket> {
  const { network } = params
  let ticket: RetryableTicket
  if (params.l1TxHash) {
    const found = await findRetryablesInTx(deps.l1, network, params.l1TxHash as Hex)
    const matching = params.ticketId ? found.tickets.filter((t) => t.ticketId.toLowerCase() === params.ticketId!.toLowerCase()) : found.tickets
    if (matching.length !== 1) {
      throw new EscapeError(
        matching.length === 0 ? `L1 transaction ${params.l1TxHash} created no ticket ${params.ticketId ?? ''}.` : `L1 transaction ${params.l1TxHash} created ${matching.length} tickets.`,
        { kind: 'user-action', steps: [`Name one with --ticket: ${found.tickets.map((t) => t.ticketId).join(', ') || '(none)'}.`] },
      )
    }
    ticket = matching[0]!
  } else {
    const head = await deps.l1.getBlockNumber()
    const from = params.fromBlock !== undefined ? BigInt(params.fromBlock) : head > DEFAULT_RETRYABLE_SEARCH_L1_BLOCKS ? head - DEFAULT_RETRYABLE_SEARCH_L1_BLOCKS : 0n
    progress('find-ticket', `Searching L1 blocks ${from}..${head} for ticket ${params.ticketId}…`)
    ticket = await findRetryableById(deps.l1, network, { ticketId: params.ticketId as Hex, fromBlock: from, toBlock: head })
  }
  const status = await getRetryableStatus({ l1: deps.l1, network, ticket, l2: deps.l2, l2Source })
  for (const line of status.confirmedOnL1) progress('find-ticket', `L1: ${line}`)
  for (const line of status.reportedByL2) progress('find-ticket', `L2 (untrusted): ${line}`)
  if (status.stage === 'expired' || status.stage === 'creation-failed') {
    throw new EscapeError(status.stage === 'expired' ? `Ticket ${ticket.ticketId} no longer exists on L2: it expired or was cancelled, so it cannot be redeemed.` : `Ticket ${ticket.ticketId} was never created on L2: there is nothing to redeem.`, {
      kind: 'critical',
      steps: [status.stage === 'expired'
        ? `Its call value (${ticket.submission.l2CallValue} wei) went to the beneficiary ${ticket.submission.callValueRefundAddress} on L2.`
        : `ArbOS credits the deposit before it checks the fees: look at the L2 balances of ${ticket.sender} and ${ticket.submission.excessFeeRefundAddress}.`],
      details: status.reportedByL2.join(' '),
    })
  }
  if (status.expiry) {
    progress('find-ticket', `The ticket expires ${status.expiry.at.toISOString()} unless redeemed or kept alive (${status.expiry.basis}).`)
    const lastForcedAt = Date.now() + Number(status.forceInclusion.blocksToWait + 2n * 5760n) * 12_000
    if (status.expiry.at.getTime() < lastForcedAt) {
      progress('find-ticket', `Warning: a forced redeem may land after that. ArbRetryableTx.keepalive(${ticket.ticketId}) moves the expiry ${RETRYABLE_LIFETIME_SECONDS / 86_400n} days later; it too can be forced in through the delayed inbox.`)
    } else {
      progress('find-ticket', `To gain time, ArbRetryableTx.keepalive(${ticket.ticketId}) moves the expiry ${RETRYABLE_LIFETIME_SECONDS / 86_400n} days later (anyone may call it).`)
    }
  }
  const s = ticket.submission
  return {
    ticketId: ticket.ticketId, messageIndex: ticket.messageIndex, l1TxHash: ticket.l1TxHash ?? null, l1Block: ticket.l1BlockNumber, l1Timestamp: ticket.l1Timestamp,
    sender: ticket.sender, baseFeeL1: ticket.baseFeeL1,
    submission: { ...s, to: s.to ?? null },
    stage: status.stage, expiresAt: status.expiry ? BigInt(Math.floor(status.expiry.at.getTime() / 1000)) : null, confirmedOnL1: status.confirmedOnL1, reportedByL2: status.reportedByL2,
  }
}

function toTicket(t: FoundTicket): RetryableTicket {
  return {
    messageIndex: t.messageIndex, l1TxHash: t.l1TxHash ?? undefined, l1BlockNumber: t.l1Block, l1Timestamp: t.l1Timestamp, sender: getAddress(t.sender), baseFeeL1: t.baseFeeL1,
    submission: {
      ...t.submission, to: t.submission.to ? getAddress(t.submission.to) : null, excessFeeRefundAddress: getAddress(t.submission.excessFeeRefundAddress),
      callValueRefundAddress: getAddress(t.submission.callValueRefundAddress),
    },
    ticketId: t.ticketId,
  }
}

/** After our redeem was sequenced (L1): what the L2 node says of the ticket, each attempt's hash checked against it. */
async function confirmRedeem(
  ticket: RetryableTicket, redeemTxHash: Hex, params: RetryableRedeemParams, deps: RetryableRedeemDeps, l2Source: string, progress: (step: string, message: string) => void,
): Promise<StepResult<typeof confirmRedeemStep>> {
  for (let i = 0; ; i++) {
    const onL2 = await readRetryableOnL2({ l2: deps.l2, source: l2Source, ticket, l2ChainId: params.network.l2ChainId })
    const redeemReceipt = await deps.l2.getTransactionReceipt({ hash: redeemTxHash }).catch(() => undefined)
    if (redeemReceipt && onL2.stage !== 'not-seen-on-l2') {
      const success = onL2.attempts.find((a) => a.succeeded === true)
      for (const line of onL2.reportedByL2) progress('confirm-redeem', `L2 (untrusted): ${line}`)
      if (success) {
        const ours = success.l2Block === redeemReceipt.blockNumber
        progress('confirm-redeem', `Ticket ${ticket.ticketId} redeemed by ${success.retryTxHash}${ours ? ', scheduled by your redeem' : ' (another redeem came first)'} — as ${l2Source} reports it, not proven against L1.`)
        return { stage: onL2.stage, redeemedBy: success.retryTxHash, ours, reportedByL2: onL2.reportedByL2 }
      }
      throw new EscapeError(`Your redeem was sequenced (L1 confirms it), but ${l2Source} reports the ticket's call failed again.`, {
        kind: 'critical',
        steps: [
          redeemReceipt.status !== 'success' ? 'The redeem transaction itself reverted: the ticket may be gone (expired, cancelled) or the gas too small.' : 'The ticket\'s call reverted or ran out of gas: redeem again with more gas (--gas).',
          'The ticket still waits until its expiry; keep it alive with ArbRetryableTx.keepalive if you need time.',
        ],
        details: onL2.reportedByL2.join(' '),
      })
    }
    if (i >= (deps.maxPauses ?? 600)) throw new ArbUntrustedDataError(`${l2Source} does not show your sequenced redeem ${redeemTxHash}.`, { steps: ['It may lag behind; resume later, or with another L2 RPC.'] })
    await deps.pause('waiting for the L2 node to process the batch with the redeem')
  }
}
