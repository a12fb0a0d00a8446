/**
 * The typed steps of the Arbitrum escape (names in ARBITRUM_ESCAPE_STEPS): each step's journaled result as a zod
 * schema. The JSON side is exactly what the escape has always journaled (bigints as decimal strings), so journals
 * written before the job engine replay and resume unchanged; the typed side is what later steps receive.
 * Fields that older runs did not write are optional here.
 */
import { z } from 'zod'
import { addressString, decimalBigint, defineStep, hash32, hexString, type StepDefinition } from '../../jobs/defineStep'
import { legStepName, type ArbitrumEscapeStep } from './arbitrumEscapeJob'

const proofMethod = z.enum(['node-interface', 'send-list'])

export const prepareStep = defineStep({
  name: 'prepare',
  result: z.object({
    l2Nonce: z.number().int().nonnegative(),
    l2NonceSource: z.string(),
    /** As the untrusted L2 RPC reports them: only used to warn early and to price the L2 tx. */
    l2BalanceReported: decimalBigint,
    l2BaseFeeReported: decimalBigint,
    delayBlocks: decimalBigint,
    bufferBlocks: decimalBigint.nullable(),
    confirmPeriodBlocks: decimalBigint,
    maxDataSize: decimalBigint,
    /** The L1 block the job started at: none of its L1 transactions can be older (absent in jobs from before issue 14). */
    l1Block: decimalBigint.optional(),
  }),
})

export const signL2TxStep = defineStep({
  name: 'sign-l2-tx',
  result: z.object({
    hash: hash32,
    raw: hexString,
    nonce: z.number().int().nonnegative(),
    maxFeePerGas: decimalBigint,
    /**
     * A token leg (issue 16): the route read from L1 before signing (readTokenExitRoute). The withdrawal that comes
     * back must be exactly this gateway pair's finalizeInboundTransfer (verifyTokenWithdrawalSend). Absent: ETH.
     */
    token: z
      .object({ l1Token: addressString, l1Gateway: addressString, l2Gateway: addressString, l2GatewayRouter: addressString, l2Token: addressString, l1GatewayRouter: addressString })
      .optional(),
  }),
})

export const sendL2MessageStep = defineStep({
  name: 'send-l2-message',
  result: z.object({ l1TxHash: hash32, l1Block: decimalBigint }),
})

export const trackMessageStep = defineStep({
  name: 'track-message',
  result: z.object({
    index: decimalBigint,
    kind: z.number().int().nonnegative(),
    sender: addressString,
    l1Block: decimalBigint,
    timestamp: decimalBigint,
    baseFeeL1: decimalBigint,
    messageDataHash: hash32,
    beforeInboxAcc: hash32.optional(),
  }),
})

export const waitForceInclusionStep = defineStep({
  name: 'wait-force-inclusion',
  result: z.object({ deadlineBlock: decimalBigint, sequencedWithoutForcing: z.boolean() }),
})

export const forceInclusionStep = defineStep({
  name: 'force-inclusion',
  result: z.object({
    /** null: the sequencer included the message first, nothing was sent. */
    l1TxHash: hash32.nullable(),
    forcedUpTo: decimalBigint.nullable(),
    /** Ours reverted because someone included it first (DelayedBackwards). */
    reverted: z.boolean().optional(),
    l1Block: decimalBigint.optional(),
  }),
})

export const detectSequencingStep = defineStep({
  name: 'detect-sequencing',
  result: z.object({
    batch: decimalBigint,
    batchL1Block: decimalBigint,
    batchTx: hash32,
    forced: z.boolean(),
    /** As the untrusted L2 node reports it. */
    l2BlockReported: decimalBigint.nullable(),
    /** Located from L1 alone, when the chain is small enough to replay. */
    l2BlockFromL1: decimalBigint.nullable().optional(),
  }),
})

const sendSchema = z.object({
  l2Sender: addressString,
  to: addressString,
  l2Block: decimalBigint,
  l1Block: decimalBigint,
  l2Timestamp: decimalBigint,
  value: decimalBigint,
  data: hexString,
  sendHash: hash32,
  l2TransactionHash: hash32.nullable(),
})

export const waitConfirmationStep = defineStep({
  name: 'wait-confirmation',
  result: z.object({
    position: decimalBigint,
    sendRoot: hash32,
    assertionHash: hash32,
    l2BlockHash: hash32.optional(),
    confirmedSize: decimalBigint,
    l2Block: decimalBigint,
    /** Our withdrawal's fields, journaled once verified against the confirmed root. */
    send: sendSchema,
    proofMethod: proofMethod.optional(),
  }),
})

export const executeWithdrawalStep = defineStep({
  name: 'execute-withdrawal',
  result: z.object({
    l1TxHash: hash32.nullable(),
    alreadySpent: z.boolean(),
    reverted: z.boolean().optional(),
    l1Block: decimalBigint.optional(),
    /** Absent for jobs journaled before it was recorded. */
    proofMethod: proofMethod.optional(),
  }),
})

/** The step of one leg of a multi-asset job: the same result schema, under the leg's journal name (legStepName). */
export function forLeg<D extends StepDefinition>(def: D & { name: ArbitrumEscapeStep }, leg: number): D {
  return leg === 0 ? def : (defineStep({ name: legStepName(def.name, leg), result: def.result }) as unknown as D)
}
