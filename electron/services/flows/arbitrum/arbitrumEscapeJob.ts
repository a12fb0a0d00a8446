/**
 * The Arbitrum escape as a job: its parameters (journaled in job.created, so a resume needs nothing else) and the
 * ordered steps. One step per journal record pair (started → completed); every side effect (device signature, L1
 * broadcast) happens only after the record that announces it is on disk.
 */
import { formatEther, formatUnits } from 'viem'
import { z } from 'zod'
import { EscapeError } from '../../../../shared/errors/EscapeError'
import { arbitrumNetworkSchema, address, type ArbitrumNetwork } from '../../../../shared/rollups/arbitrum-nitro/network'
import type { JsonValue } from '../../../../shared/journal/records'

export const ARBITRUM_ESCAPE_JOB_KIND = 'arb-escape'

export const ARBITRUM_ESCAPE_STEPS = [
  'prepare',
  'sign-l2-tx',
  'send-l2-message',
  'track-message',
  'wait-force-inclusion',
  'force-inclusion',
  'detect-sequencing',
  'wait-confirmation',
  'execute-withdrawal',
] as const
export type ArbitrumEscapeStep = (typeof ARBITRUM_ESCAPE_STEPS)[number]

export const arbitrumEscapeParamsSchema = z.object({
  network: arbitrumNetworkSchema,
  /** The user's account: the same key signs on L1 (gas) and L2 (the withdrawal). */
  account: address,
  signerPath: z.string().min(1).max(100),
  /** Where the ETH and the tokens go on L1. */
  destination: address,
  /** ETH to take out; "0" when the job moves only tokens (issue 16). */
  amountWei: z.string().regex(/^(0|[1-9][0-9]*)$/),
  /**
   * ERC-20s to take out through the chain's token gateways (issue 16), each its own L2 withdrawal, delayed message,
   * proof and Outbox execution. Decimals and symbol were read from the L1 token when the job was made (display only).
   */
  tokens: z
    .array(z.object({ l1Token: address, amount: z.string().regex(/^[1-9][0-9]*$/), decimals: z.number().int().min(0).max(36), symbol: z.string().max(32).optional() }))
    .max(8)
    .optional(),
  /**
   * RPC URLs often carry API keys, so they are saved only when the user agreed (`--save-rpc-urls`); otherwise a
   * resume asks for them again, and only `rpcLabels` (scheme and host) is kept to remind the user which ones.
   */
  l1Endpoints: z.array(z.string().url()).min(1).max(10).optional(),
  l2RpcUrl: z.string().url().optional(),
  rpcLabels: z.object({ l1: z.array(z.string().max(300)).max(10), l2: z.string().max(300) }).optional(),
  /** How the job signs: a resume uses the same kind unless the user says otherwise. Never key material. */
  signer: z
    .object({
      kind: z.enum(['ledger', 'soft-ledger', 'drill-key', 'file']),
      /** File signer: where the unsigned files are written. */
      exportDir: z.string().min(1).max(4096).optional(),
      /** Drill key: the devnet chain ids it was allowed to sign for (L1 and L2). */
      devnetChainIds: z.array(z.number().int().positive()).max(4).optional(),
    })
    .optional(),
  /** Optional: the L2 nonce to use instead of the one the L2 RPC reports. */
  l2Nonce: z.number().int().nonnegative().optional(),
})
export type ArbitrumEscapeParams = z.infer<typeof arbitrumEscapeParamsSchema>

export function arbitrumEscapeTitle(network: ArbitrumNetwork, amountWei: string, tokens: ArbitrumEscapeParams['tokens'] = []): string {
  const what = [...(BigInt(amountWei) > 0n ? [`${formatEther(BigInt(amountWei))} ETH`] : []), ...tokens.map((t) => `${formatUnits(BigInt(t.amount), t.decimals)} ${t.symbol ?? t.l1Token}`)]
  return `Get ${what.join(' and ')} out of ${network.name}`
}

/** One asset of the job: its own signed L2 transaction and its own steps (leg 0 keeps the plain step names). */
export type EscapeLeg =
  | { index: number; kind: 'eth'; amount: bigint }
  | { index: number; kind: 'erc20'; amount: bigint; l1Token: ArbitrumEscapeParams['destination']; decimals: number; symbol: string | undefined }

/** The job's assets in order: ETH first (when any), then the tokens as given. The L2 nonces follow this order. */
export function escapeLegs(params: Pick<ArbitrumEscapeParams, 'amountWei' | 'tokens'>): EscapeLeg[] {
  const legs: EscapeLeg[] = []
  if (BigInt(params.amountWei) > 0n) legs.push({ index: 0, kind: 'eth', amount: BigInt(params.amountWei) })
  for (const t of params.tokens ?? []) legs.push({ index: legs.length, kind: 'erc20', amount: BigInt(t.amount), l1Token: t.l1Token, decimals: t.decimals, symbol: t.symbol })
  if (legs.length === 0) throw new EscapeError('This escape takes nothing out: no ETH amount and no token.', { kind: 'user-action', steps: ['Give an ETH amount and/or one or more tokens.'] })
  const seen = new Set<string>()
  for (const l of legs) {
    if (l.kind !== 'erc20') continue
    if (seen.has(l.l1Token.toLowerCase())) throw new EscapeError(`Token ${l.l1Token} is listed twice in one escape.`, { kind: 'user-action', steps: ['Give each token once, with the total amount.'] })
    seen.add(l.l1Token.toLowerCase())
  }
  return legs
}

/** The journal name of a step for one leg: leg 0 keeps the plain name (jobs from before issue 16 replay unchanged). */
export function legStepName(step: ArbitrumEscapeStep, leg: number): string {
  return leg === 0 ? step : `${step}#${leg}`
}

export function toJobParams(params: ArbitrumEscapeParams): JsonValue {
  return JSON.parse(JSON.stringify(params)) as JsonValue
}
