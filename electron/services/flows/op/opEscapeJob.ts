/**
 * The OP Stack escape as a job (issue 12): its parameters (journaled in job.created, so a resume needs nothing else
 * but the RPC URLs the user chose not to save) and the ordered steps.
 *
 *   prepare → send-forced-withdrawal → track-deposit → find-withdrawal →
 *   [choose-game → check-game → prove → wait-game → resolve → wait-finalization → finalize]
 *
 * The bracketed part is a proof round. When the game a withdrawal was proven against stops counting (blacklisted,
 * retired, CHALLENGER_WINS), the job proves again in a new round whose steps are named `<step>#<round>` (a completed
 * step is never run twice, so a new round needs new names), at most MAX_PROOF_ROUNDS rounds.
 *
 * One job takes several assets out at once (ETH and ERC-20s of the standard bridge): one forced withdrawal (an L1
 * deposit) per asset, all proven against one game and finalized one by one.
 */
import { z } from 'zod'
import { builtInNetwork } from '../../../../shared/networks/builtInNetworks'
import { NetworkConfigError } from '../../../../shared/networks/errors'
import { NETWORK_ID_PATTERN, type OpStackNetworkEntry } from '../../../../shared/networks/networkEntry'
import { MAX_NETWORK_FILE_BYTES, parseNetworkFile, toNetworkFile } from '../../../../shared/networks/networkFile'
import type { JsonValue } from '../../../../shared/journal/records'

export const OP_ESCAPE_JOB_KIND = 'op-escape'

/** The steps of one escape, in order; the proof-round steps repeat as `<step>#<round>` from round 2 on. */
export const OP_ESCAPE_STEPS = [
  'prepare',
  'send-forced-withdrawal',
  'track-deposit',
  'find-withdrawal',
  'choose-game',
  'check-game',
  'prove',
  'wait-game',
  'resolve',
  'wait-finalization',
  'finalize',
] as const
export type OpEscapeStep = (typeof OP_ESCAPE_STEPS)[number]

/** The steps a re-prove runs again. */
export const OP_PROOF_ROUND_STEPS = ['choose-game', 'check-game', 'prove', 'wait-game', 'resolve', 'wait-finalization', 'finalize'] as const satisfies readonly OpEscapeStep[]
export type OpProofRoundStep = (typeof OP_PROOF_ROUND_STEPS)[number]

/** Proof rounds at most: a game lost or blacklisted twice in a row is something for a human to look at. */
export const MAX_PROOF_ROUNDS = 3

/** The journal name of a proof-round step: `prove` in round 1, `prove#2` in round 2. */
export function opEscapeStepName(step: OpProofRoundStep, round: number): string {
  return round <= 1 ? step : `${step}#${round}`
}

/** The step a journal step name belongs to (`prove#2` → `prove`), or undefined for another job's names. */
export function opEscapeBaseStep(name: string): OpEscapeStep | undefined {
  const base = name.replace(/#\d+$/, '')
  return (OP_ESCAPE_STEPS as readonly string[]).includes(base) ? (base as OpEscapeStep) : undefined
}

const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'expected an address')
const positiveWei = z.string().regex(/^[1-9][0-9]{0,77}$/, 'expected a positive whole number of wei')

export const opEscapeAssetSchema = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('eth'),
    amountWei: positiveWei,
    /** ETH sent with the L1 deposit and credited on L2 before the withdrawal (default: none, the L2 balance pays). */
    mintWei: z.string().regex(/^(0|[1-9][0-9]{0,77})$/).optional(),
  }),
  z.strictObject({
    kind: z.literal('erc20'),
    /** The token on L1 (what arrives), checked against the L2 token's bridge pairing on L2 by the bridge itself. */
    l1Token: address,
    /** The OptimismMintableERC20 on L2 (what is burnt). */
    l2Token: address,
    amountWei: positiveWei,
    symbol: z.string().min(1).max(20).optional(),
  }),
])
export type OpEscapeAsset = z.infer<typeof opEscapeAssetSchema>

/**
 * The network, as the job needs it on every resume: a built-in network by id (its config is compiled in), any other
 * (a devnet, a user's file) with its network file, so a resume does not depend on the devnet still running or the
 * file still being where it was.
 */
export const opEscapeNetworkSchema = z.strictObject({
  id: z.string().regex(NETWORK_ID_PATTERN),
  name: z.string().min(1).max(100),
  /** An escape-hatch-network/v1 file (absent for built-in networks). */
  file: z.record(z.string(), z.unknown()).optional(),
})
export type OpEscapeNetwork = z.infer<typeof opEscapeNetworkSchema>

/** Where the output root the proof stands on comes from. */
export const opEscapeSourceSchema = z.discriminatedUnion('kind', [
  /** Our own rebuild of the chain from L1 alone (genesis + every batch and deposit), executed by our executor. */
  z.strictObject({
    kind: z.literal('rebuild'),
    /** The chain's L2 genesis file (genesis.json with its alloc). */
    genesisPath: z.string().min(1).max(4096),
    /** Where the rebuilt state lives (default: one folder per chain under the data directory). */
    stateDir: z.string().min(1).max(4096).optional(),
  }),
  /** An untrusted L2 node (its URL in l2RpcUrl, or given again at run time): every answer checked against L1. */
  z.strictObject({ kind: z.literal('l2-node') }),
])
export type OpEscapeSource = z.infer<typeof opEscapeSourceSchema>

export const opEscapeParamsSchema = z
  .strictObject({
    network: opEscapeNetworkSchema,
    /** The user's account: it sends the deposits (so it is the L2 sender of the withdrawals), proves and finalizes. */
    account: address,
    signerPath: z.string().min(1).max(100),
    /** Where the assets go on L1. */
    destination: address,
    assets: z.array(opEscapeAssetSchema).min(1).max(8),
    source: opEscapeSourceSchema,
    /**
     * RPC URLs often carry API keys, so they are saved only when the user agreed (`--save-rpc-urls`); otherwise a
     * resume asks for them again, and only `rpcLabels` (scheme and host) is kept to remind the user which ones.
     */
    l1Endpoints: z.array(z.string().url()).min(1).max(10).optional(),
    l2RpcUrl: z.string().url().optional(),
    beaconUrl: z.string().url().optional(),
    rpcLabels: z.object({ l1: z.array(z.string().max(300)).max(10), l2: z.string().max(300).optional(), beacon: z.string().max(300).optional() }).optional(),
    /** How the job signs: a resume uses the same kind unless the user says otherwise. Never key material. */
    signer: z
      .object({
        kind: z.enum(['ledger', 'soft-ledger', 'drill-key', 'file']),
        exportDir: z.string().min(1).max(4096).optional(),
        devnetChainIds: z.array(z.number().int().positive()).max(4).optional(),
      })
      .optional(),
  })
  .superRefine((p, ctx) => {
    if (p.assets.filter((a) => a.kind === 'eth').length > 1) ctx.addIssue({ code: 'custom', path: ['assets'], message: 'at most one ETH amount per job' })
    const tokens = p.assets.flatMap((a) => (a.kind === 'erc20' ? [a.l2Token.toLowerCase()] : []))
    if (new Set(tokens).size !== tokens.length) ctx.addIssue({ code: 'custom', path: ['assets'], message: 'each L2 token at most once per job' })
  })
export type OpEscapeParams = z.infer<typeof opEscapeParamsSchema>

/** The network parameter for an entry (see opEscapeNetworkSchema). */
export function opEscapeNetworkParam(entry: OpStackNetworkEntry): OpEscapeNetwork {
  if (entry.source === 'built-in') return { id: entry.id, name: entry.name }
  return { id: entry.id, name: entry.name, file: toNetworkFile(entry) as unknown as Record<string, unknown> }
}

/** The network entry a job runs on, from its parameters. */
export function opEscapeNetworkEntry(network: OpEscapeNetwork): OpStackNetworkEntry {
  if (!network.file) {
    const entry = builtInNetwork(network.id)
    if (!entry || entry.stack !== 'op-stack') throw new NetworkConfigError(`This job names the network "${network.id}", which this version does not know as an OP Stack network.`)
    return entry
  }
  const text = JSON.stringify(network.file)
  if (text.length > MAX_NETWORK_FILE_BYTES) throw new NetworkConfigError(`The network saved in this job is larger than ${MAX_NETWORK_FILE_BYTES} bytes.`)
  const { entry } = parseNetworkFile(text, `the network saved in the job (${network.id})`)
  if (entry.stack !== 'op-stack') throw new NetworkConfigError(`The network saved in this job (${network.id}) is not an OP Stack chain.`)
  return entry
}

export function opEscapeTitle(network: Pick<OpEscapeNetwork, 'name'>, assets: readonly OpEscapeAsset[]): string {
  const parts = assets.map((a) => (a.kind === 'eth' ? `${formatUnits18(BigInt(a.amountWei))} ETH` : `${formatUnits18(BigInt(a.amountWei))} ${a.symbol ?? shortAddress(a.l2Token)}`))
  return `Get ${parts.join(' and ')} out of ${network.name}`.slice(0, 300)
}

export function toOpJobParams(params: OpEscapeParams): JsonValue {
  return JSON.parse(JSON.stringify(params)) as JsonValue
}

/** The part of the JournalStore that creates a job. */
export interface OpEscapeJobCreator {
  createJob(input: { kind: string; title: string; params: JsonValue }): Promise<{ id: string }>
}

/**
 * Create an 'op-escape' job (journals job.created with the validated parameters); the drill, the app and the CLI all
 * create it here. Nothing is read from or sent to any chain.
 */
export async function createOpEscapeJob(store: OpEscapeJobCreator, params: OpEscapeParams): Promise<string> {
  const parsed = opEscapeParamsSchema.parse(params)
  const job = await store.createJob({ kind: OP_ESCAPE_JOB_KIND, title: opEscapeTitle(parsed.network, parsed.assets), params: toOpJobParams(parsed) })
  return job.id
}

function formatUnits18(wei: bigint): string {
  const whole = wei / 10n ** 18n
  const frac = (wei % 10n ** 18n).toString().padStart(18, '0').replace(/0+$/, '')
  return frac ? `${whole}.${frac}` : `${whole}`
}

function shortAddress(a: string): string {
  return `${a.slice(0, 6)}…${a.slice(-4)}`
}
