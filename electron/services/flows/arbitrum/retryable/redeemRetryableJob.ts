/**
 * Redeeming a stuck retryable ticket as a job (issue 16 item 2): its parameters (journaled in job.created) and the
 * typed results of its own steps. The forced-inclusion steps in between are the escape's (arbitrumEscapeSteps.ts,
 * run by ForcedL2Message):
 *
 *   find-ticket → prepare → sign-l2-tx → send-l2-message → track-message → wait-force-inclusion → force-inclusion →
 *   detect-sequencing → confirm-redeem
 */
import { z } from 'zod'
import { address, arbitrumNetworkSchema, type ArbitrumNetwork } from '../../../../../shared/rollups/arbitrum-nitro/network'
import { addressString, decimalBigint, defineStep, hash32, hexString } from '../../../jobs/defineStep'

export const RETRYABLE_REDEEM_JOB_KIND = 'arb-redeem'

export const RETRYABLE_REDEEM_STEPS = [
  'find-ticket', 'prepare', 'sign-l2-tx', 'send-l2-message', 'track-message', 'wait-force-inclusion', 'force-inclusion', 'detect-sequencing', 'confirm-redeem',
] as const
export type RetryableRedeemStep = (typeof RETRYABLE_REDEEM_STEPS)[number]

const hash = z.string().regex(/^0x[0-9a-fA-F]{64}$/)

export const retryableRedeemParamsSchema = z
  .object({
    network: arbitrumNetworkSchema,
    /** The account that signs and pays the redeem (anyone may redeem a ticket: the call runs as the ticket's sender). */
    account: address,
    signerPath: z.string().min(1).max(100),
    /** The ticket, by its id and/or the L1 transaction that created it. */
    ticketId: hash.optional(),
    l1TxHash: hash.optional(),
    /** With only a ticket id: the first L1 block searched for its submission. */
    fromBlock: z.string().regex(/^(0|[1-9][0-9]*)$/).optional(),
    /** Gas for the redeem (default: twice the ticket's gas limit plus the precompile's cost, at least 1M). */
    gas: z.string().regex(/^[1-9][0-9]*$/).optional(),
    l1Endpoints: z.array(z.string().url()).min(1).max(10).optional(),
    l2RpcUrl: z.string().url().optional(),
    rpcLabels: z.object({ l1: z.array(z.string().max(300)).max(10), l2: z.string().max(300) }).optional(),
    signer: z
      .object({
        kind: z.enum(['ledger', 'soft-ledger', 'drill-key', 'file']),
        exportDir: z.string().min(1).max(4096).optional(),
        devnetChainIds: z.array(z.number().int().positive()).max(4).optional(),
      })
      .optional(),
    l2Nonce: z.number().int().nonnegative().optional(),
  })
  .refine((p) => p.ticketId !== undefined || p.l1TxHash !== undefined, 'a ticket id or the L1 transaction that created it')
export type RetryableRedeemParams = z.infer<typeof retryableRedeemParamsSchema>

export function retryableRedeemTitle(network: ArbitrumNetwork, p: Pick<RetryableRedeemParams, 'ticketId' | 'l1TxHash'>): string {
  return `Redeem retryable ${p.ticketId ? `ticket ${p.ticketId.slice(0, 10)}…` : `from L1 transaction ${p.l1TxHash?.slice(0, 10)}…`} on ${network.name}`
}

const stage = z.enum(['waiting-for-sequencing', 'not-seen-on-l2', 'creation-failed', 'redeemed', 'awaiting-redeem', 'expired', 'unknown-without-l2'])

export const findTicketStep = defineStep({
  name: 'find-ticket',
  result: z.object({
    ticketId: hash32,
    messageIndex: decimalBigint,
    l1TxHash: hash32.nullable(),
    l1Block: decimalBigint,
    l1Timestamp: decimalBigint,
    /** The ticket's `from` (the aliased L1 sender), as the Bridge recorded it. */
    sender: addressString,
    baseFeeL1: decimalBigint,
    submission: z.object({
      to: addressString.nullable(),
      l2CallValue: decimalBigint,
      depositValue: decimalBigint,
      maxSubmissionFee: decimalBigint,
      excessFeeRefundAddress: addressString,
      callValueRefundAddress: addressString,
      gasLimit: decimalBigint,
      maxFeePerGas: decimalBigint,
      data: hexString,
    }),
    /** Where the ticket stood when the job looked (L2 part: the untrusted node's answer). */
    stage,
    /** ArbRetryableTx.getTimeout as the L2 node reported it (unix seconds), when it did. */
    expiresAt: decimalBigint.nullable(),
    confirmedOnL1: z.array(z.string()),
    reportedByL2: z.array(z.string()),
  }),
})

export const confirmRedeemStep = defineStep({
  name: 'confirm-redeem',
  result: z.object({
    /** As the untrusted L2 node reports it; the sequencing of our redeem is what L1 confirms (detect-sequencing). */
    stage,
    /** The successful redeem attempt (ArbitrumRetryTx) the node reports, its hash checked against the ticket. */
    redeemedBy: hash32.nullable(),
    /** Whether that attempt was scheduled by our redeem transaction. */
    ours: z.boolean(),
    reportedByL2: z.array(z.string()),
  }),
})
