/**
 * The typed steps of the OP Stack escape (names in OP_ESCAPE_STEPS): each step's journaled result as a zod schema
 * (bigints as decimal strings in the journal, typed values for later steps). Proof-round steps are defined per round
 * (`prove`, `prove#2`, …) with the same schema.
 */
import { z } from 'zod'
import { addressString, decimalBigint, defineStep, hash32, hexString, type StepDefinition } from '../../jobs/defineStep'
import { opEscapeStepName, type OpProofRoundStep } from './opEscapeJob'

export const prepareStep = defineStep({
  name: 'prepare',
  result: z.object({
    /** The L1 block the job started at: none of its deposits can be older. */
    l1Block: decimalBigint,
    portalVersion: z.string().max(50),
    respectedGameType: z.number().int().nonnegative(),
    proofMaturityDelaySeconds: decimalBigint,
    disputeGameFinalityDelaySeconds: decimalBigint,
    seqWindowSize: decimalBigint,
  }),
})

const deposit = z.object({
  asset: z.number().int().nonnegative(),
  l1TxHash: hash32,
  l1Block: decimalBigint,
})

export const sendForcedWithdrawalStep = defineStep({
  name: 'send-forced-withdrawal',
  result: z.object({ deposits: z.array(deposit).min(1).max(8) }),
})

export const trackDepositStep = defineStep({
  name: 'track-deposit',
  result: z.object({
    deposits: z
      .array(
        z.object({
          asset: z.number().int().nonnegative(),
          l1Block: decimalBigint,
          l1BlockHash: hash32,
          logIndex: z.number().int().nonnegative(),
          /** The deposit's L2 transaction, computed from the checked L1 log. */
          l2TxHash: hash32,
          /** Derivation includes the deposit by this L1 block at the latest (deposit block + sequencing window). */
          inclusionDeadlineBlock: decimalBigint,
        }),
      )
      .min(1)
      .max(8),
  }),
})

const withdrawal = z.object({
  nonce: decimalBigint,
  sender: addressString,
  target: addressString,
  value: decimalBigint,
  gasLimit: decimalBigint,
  data: hexString,
})

export const findWithdrawalStep = defineStep({
  name: 'find-withdrawal',
  result: z.object({
    withdrawals: z.array(z.object({ asset: z.number().int().nonnegative(), withdrawalHash: hash32, withdrawal })).min(1).max(8),
    /** An L2 block at or after every withdrawal (the rebuild head, or the newest receipt block). */
    l2Block: decimalBigint,
    /** Source 'rebuild': our own output root for l2Block, and its preimage. */
    ownRoot: z
      .object({ outputRoot: hash32, stateRoot: hash32, messagePasserStorageRoot: hash32, blockHash: hash32 })
      .optional(),
  }),
})

const outputRootProof = z.object({ version: hash32, stateRoot: hash32, messagePasserStorageRoot: hash32, latestBlockhash: hash32 })

const chooseGameResult = z.object({
  gameIndex: decimalBigint,
  gameAddress: addressString,
  l2Block: decimalBigint,
  rootClaim: hash32,
  createdByUs: z.boolean(),
  createTx: hash32.nullable(),
  outputRootProof,
  /** Why other games were not used (bounded), for the report. */
  refused: z.array(z.string().max(600)).max(20),
})

/**
 * The stronger check of the chosen game's root claim. 'rebuild': the claim already equals our own output root.
 * 're-executed': our re-execution of the node's blocks from the game's anchor state reaches the claim. 'not-re-executed':
 * the range would not finish before the game's clock ends (the note gives the numbers and what is still checked).
 */
const checkGameResult = z.object({
  method: z.enum(['rebuild', 're-executed', 'not-re-executed']),
  game: addressString,
  anchorL2Block: decimalBigint.optional(),
  anchorOutputRoot: hash32.optional(),
  blocks: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
  blocksPerSecond: z.number().nonnegative(),
  note: z.string().max(1200),
})

const proveResult = z.object({
  proofs: z.array(z.object({ asset: z.number().int().nonnegative(), l1TxHash: hash32.nullable(), alreadyProven: z.boolean() })).min(1).max(8),
})

/** How a wait ended: ready for the next step, or the game no longer counts and the job proves again. */
const waitOutcome = z.object({
  outcome: z.enum(['ready', 'reprove']),
  /** Why a re-prove (blacklisted, retired, CHALLENGER_WINS) or what was waited for. */
  note: z.string().max(600),
})

const resolveResult = z.object({ txs: z.array(hash32).max(70), alreadyResolved: z.boolean() })

const finalizeResult = z.object({
  /** done: every withdrawal finalized; reprove: a proof's game stopped counting before it could be finalized. */
  outcome: z.enum(['done', 'reprove']),
  note: z.string().max(600),
  withdrawals: z
    .array(
      z.object({
        asset: z.number().int().nonnegative(),
        l1TxHash: hash32.nullable(),
        alreadyFinalized: z.boolean(),
        /** ERC-20s: the L1 messenger relayed the bridge message on finalize, or a replay did. */
        relay: z.enum(['relayed', 'replayed']).optional(),
        replayTx: hash32.optional(),
      }),
    )
    .max(8),
})

const ROUND_SCHEMAS = {
  'choose-game': chooseGameResult,
  'check-game': checkGameResult,
  prove: proveResult,
  'wait-game': waitOutcome,
  resolve: resolveResult,
  'wait-finalization': waitOutcome,
  finalize: finalizeResult,
} as const satisfies Record<OpProofRoundStep, z.ZodType>

type RoundSchemas = typeof ROUND_SCHEMAS

/** The step of a proof round: `prove` in round 1, `prove#2` in round 2 (same schema). */
export function roundStep<S extends OpProofRoundStep>(step: S, round: number): StepDefinition<string, RoundSchemas[S]> {
  // defineStep widens a generic schema; the name is a plain string and the schema is the step's own.
  return Object.freeze({ name: opEscapeStepName(step, round), result: ROUND_SCHEMAS[step] })
}

