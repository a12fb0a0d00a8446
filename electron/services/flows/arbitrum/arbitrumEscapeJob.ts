/**
 * The Arbitrum escape as a job: its parameters (journaled in job.created, so a resume needs nothing else) and the
 * ordered steps. One step per journal record pair (started → completed); every side effect (device signature, L1
 * broadcast) happens only after the record that announces it is on disk.
 */
import { z } from 'zod'
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
  /** Where the ETH goes on L1. */
  destination: address,
  amountWei: z.string().regex(/^[1-9][0-9]*$/),
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

export function arbitrumEscapeTitle(network: ArbitrumNetwork, amountWei: string): string {
  return `Get ${formatEth(BigInt(amountWei))} ETH out of ${network.name}`
}

export function toJobParams(params: ArbitrumEscapeParams): JsonValue {
  return JSON.parse(JSON.stringify(params)) as JsonValue
}

function formatEth(wei: bigint): string {
  const whole = wei / 10n ** 18n
  const frac = (wei % 10n ** 18n).toString().padStart(18, '0').replace(/0+$/, '')
  return frac ? `${whole}.${frac}` : `${whole}`
}
