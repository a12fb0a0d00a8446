/**
 * The desktop escape: what the window may ask (networks, endpoint checks, the plan with its cost, start, resume,
 * diagnosis, reports) and what it gets back. Stack-neutral where the screens are (a network, an endpoint check, a
 * cost line, a diagnosis exit): the OP Stack escape plugs into the same shapes with `stack: 'op-stack'`.
 *
 * RPC URLs may carry API keys (in the path or the query). The window sends them once, with a request; nothing in a
 * response or an event carries one back: endpoints come back as labels (scheme and host, `endpointLabel`).
 */
import { getAddress, isAddress } from 'viem'
import { z } from 'zod'
import { ReportDestinationSchema } from './drillSchemas'
import { JobIdSchema } from './jobSchemas'

const decimal = z.string().regex(/^(0|[1-9][0-9]*)$/, 'expected a decimal integer string')
const isoTime = z.iso.datetime()
const text = (max: number) => z.string().max(max)
const hash32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'expected a 32-byte hash') as z.ZodType<`0x${string}`>
const addressOut = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'expected an address') as z.ZodType<`0x${string}`>

export const STACKS = ['arbitrum-nitro', 'op-stack'] as const
export const ESCAPE_SIGNERS = ['soft-ledger', 'ledger', 'file'] as const
export type EscapeSignerKind = (typeof ESCAPE_SIGNERS)[number]

/**
 * An L1 address the user typed, the rule of every front end (the CLI's --to and --from use it too): 0x and 40 hex
 * digits; a mixed-case address must carry a valid EIP-55 checksum (a typo in a checksummed address is caught); an
 * all-lower or all-upper one has no checksum to check and is shown back checksummed for the user to compare.
 * Returns the checksummed address, or a plain sentence saying what is wrong.
 */
export function parseUserAddress(input: string): { ok: true; address: `0x${string}` } | { ok: false; problem: string } {
  const value = input.trim()
  if (!/^0x[0-9a-fA-F]{40}$/.test(value)) return { ok: false, problem: 'An address is 0x followed by 40 hexadecimal characters (0-9, a-f).' }
  if (!isAddress(value, { strict: true })) {
    return { ok: false, problem: 'This address has a wrong checksum (the mix of capital and small letters does not match): it was probably mistyped. Copy it again from its source.' }
  }
  return { ok: true, address: getAddress(value) }
}

/** A URL the user gave for an RPC endpoint: http(s) only, bounded. Its path may hold a key: it is never echoed back. */
export const RpcUrlSchema = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).max(2000)

/** An address the user typed, checked with parseUserAddress (the service checksums it with getAddress). */
export const UserAddressSchema = z.string().max(100).superRefine((value, ctx) => {
  const parsed = parseUserAddress(value)
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.problem })
})

/** A network: a registry id, or the path of a network file the user chose. */
export const NetworkRefSchema = z.strictObject({ id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/).optional(), file: z.string().min(1).max(4096).optional() }).refine(
  (n) => (n.id === undefined) !== (n.file === undefined),
  'expected a network id or a network file, not both',
)

export const NetworkOptionSchema = z.strictObject({
  id: text(100),
  name: text(200),
  stack: z.enum(STACKS),
  source: z.enum(['built-in', 'devnet', 'file']),
  l1ChainId: z.number().int().positive(),
  l2ChainId: z.number().int().positive(),
  /** The L1's name ("Ethereum", "Sepolia", "Devnet L1 (anvil)"), for showing instead of a chain id. */
  l1Name: text(100),
  /** Whether this app can run an escape on it today, and when not, why (one sentence). */
  escape: z.strictObject({ available: z.boolean(), says: text(1000) }),
  /** The network names an L2 node of its own (shown as its host): the optional L2 field may stay empty. */
  defaultL2Label: text(300).optional(),
})

export const NetworkListSchema = z.strictObject({
  networks: z.array(NetworkOptionSchema).max(100),
  /** Devnet files that were ignored, and why. */
  notes: z.array(text(2000)).max(20),
})

export const CheckEndpointsRequestSchema = z.strictObject({
  network: NetworkRefSchema,
  l1Urls: z.array(RpcUrlSchema).min(1).max(10),
  l2Url: RpcUrlSchema.optional(),
})

export const EndpointCheckSchema = z.strictObject({
  /** scheme://host only. */
  label: text(300),
  role: z.enum(['l1', 'l2']),
  ok: z.boolean(),
  chainId: z.number().int().nonnegative().optional(),
  head: decimal.optional(),
  /** One sentence when not ok (unreachable, wrong chain, disagrees). */
  problem: text(2000).optional(),
})

export const EndpointChecksSchema = z.strictObject({
  network: NetworkOptionSchema,
  endpoints: z.array(EndpointCheckSchema).max(11),
  /** The L1 endpoints agree on the chain (same block hash at the lowest head among them). */
  l1Agree: z.boolean(),
  /** The block the agreement was checked at, and what disagreed when they did not. */
  agreement: text(2000),
})

/**
 * OP Stack: where the output root the proof stands on comes from — the app's own rebuild of the chain from L1 (its
 * genesis file; the running devnet's own by default on devnet-op), or the untrusted L2 node given as `l2Url`.
 */
export const OpSourceRequestSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('rebuild'), genesisFile: z.string().min(1).max(4096).optional() }),
  z.strictObject({ kind: z.literal('l2-node') }),
])
export type OpSourceRequest = z.output<typeof OpSourceRequestSchema>

/** OP Stack: a standard-bridge token to take out, the amount in whole tokens (decimals read from the L1 token). */
export const OpTokenInputSchema = z.strictObject({
  l1Token: UserAddressSchema,
  l2Token: UserAddressSchema,
  amount: z.string().max(80).regex(/^(0|[1-9][0-9]*)(\.[0-9]{1,36})?$/, 'expected an amount of tokens like 250.5'),
})

const EscapeInputsShape = {
  network: NetworkRefSchema,
  l1Urls: z.array(RpcUrlSchema).min(1).max(10),
  l2Url: RpcUrlSchema.optional(),
  /** OP Stack, rebuilding from L1: a beacon node or blob archive for batches posted as blobs (checked against their hashes). */
  beaconUrl: RpcUrlSchema.optional(),
  /** OP Stack only. */
  opSource: OpSourceRequestSchema.optional(),
  signer: z.enum(ESCAPE_SIGNERS),
  /** BIP-44 path of the account on the device (default m/44'/60'/0'/0/0). */
  derivationPath: text(100).optional(),
  /** The file signer's account (the key is on the offline machine). */
  from: UserAddressSchema.optional(),
}

export const AccountRequestSchema = z.strictObject({ network: NetworkRefSchema, l1Urls: EscapeInputsShape.l1Urls, l2Url: EscapeInputsShape.l2Url, signer: EscapeInputsShape.signer, derivationPath: EscapeInputsShape.derivationPath, from: EscapeInputsShape.from })

export const AccountViewSchema = z.strictObject({
  address: addressOut,
  derivationPath: text(100).optional(),
  /** On L1 (agreed by the L1 endpoints at `l1Block`). */
  l1BalanceWei: decimal,
  /** As the L2 node reports it: unverified. */
  l2BalanceWei: decimal.optional(),
  l1Block: decimal,
  note: text(1000),
})

export const PreviewEscapeRequestSchema = z.strictObject({
  ...EscapeInputsShape,
  /** ETH as the user typed it, e.g. "1.5" (at most 18 decimals); "0" in an OP escape that takes tokens only. */
  amountEth: z.string().max(40).regex(/^(0|[1-9][0-9]*)(\.[0-9]{1,18})?$/, 'expected an amount in ETH like 1.5'),
  /** OP Stack only: standard-bridge ERC-20s to take out in the same job (each its own forced withdrawal). */
  tokens: z.array(OpTokenInputSchema).max(7).optional(),
  destination: UserAddressSchema,
})

/** OP Stack: read a standard-bridge token pair for the wizard (symbol, decimals, balances). Read-only. */
export const OpTokenRequestSchema = z.strictObject({
  network: NetworkRefSchema,
  l1Urls: z.array(RpcUrlSchema).min(1).max(10),
  l2Url: RpcUrlSchema.optional(),
  account: UserAddressSchema,
  l1Token: UserAddressSchema,
  l2Token: UserAddressSchema,
})
export type OpTokenRequest = z.output<typeof OpTokenRequestSchema>

export const OpTokenViewSchema = z.strictObject({
  l1Token: addressOut,
  l2Token: addressOut,
  /** As the L1 token names itself (cleaned: letters, digits, a few signs). */
  symbol: text(20),
  decimals: z.number().int().min(0).max(36),
  l1BalanceWei: decimal,
  /** As the L2 node reports it: unverified; absent without an L2 node. */
  l2BalanceWei: decimal.optional(),
  note: text(500),
})
export type OpTokenView = z.output<typeof OpTokenViewSchema>

/** One transaction the user will sign, with its L1 cost at today's fees (stack-neutral). */
export const CostLineSchema = z.strictObject({
  step: text(100),
  chain: z.enum(['L1', 'L2']),
  what: text(1000),
  /** "now", or the date from which it can be sent. */
  when: z.strictObject({ now: z.boolean(), at: isoTime.optional(), l1Block: decimal.optional(), note: text(500) }),
  gasLimit: decimal.optional(),
  maxCostWei: decimal.optional(),
})

export const EscapePreviewSchema = z.strictObject({
  stack: z.enum(STACKS),
  network: z.strictObject({ name: text(200), l1Name: text(100), l1ChainId: z.number().int().positive(), l2ChainId: z.number().int().positive() }),
  account: addressOut,
  destination: addressOut,
  /** The ETH amount ("0" when an OP escape takes tokens only). */
  amountWei: decimal,
  /** OP Stack: every asset the job takes out, in its own units (amountWei in the token's smallest unit). */
  assets: z
    .array(z.strictObject({ kind: z.enum(['eth', 'erc20']), symbol: text(20), decimals: z.number().int().min(0).max(36), amountWei: decimal, l1Token: addressOut.optional(), l2Token: addressOut.optional() }))
    .max(8)
    .optional(),
  /** OP Stack: where the output root comes from, and what that source is trusted for (one sentence). */
  source: z.strictObject({ kind: z.enum(['rebuild', 'l2-node']), says: text(1000) }).optional(),
  l1Block: decimal,
  l1BlockTime: text(500),
  transactions: z.array(CostLineSchema).max(20),
  fees: z.strictObject({
    baseFeeWei: decimal,
    maxFeePerGasWei: decimal,
    /** All L1 transactions at the max fee: what the user must hold on L1. */
    totalMaxCostWei: decimal,
    l1BalanceWei: decimal,
    /** Bonds the escape locks (none for an Arbitrum escape; the OP Stack's dispute game bond when it lands). */
    bondsWei: decimal,
    note: text(1000),
  }),
  /** The L2 side as the L2 node reports it (absent in an OP escape without an L2 node). */
  l2: z.strictObject({ balanceWei: decimal, nonce: z.number().int().nonnegative(), maxFeeWei: decimal, note: text(1000) }).optional(),
  warnings: z.array(text(2000)).max(20),
  endpoints: z.strictObject({ l1: z.array(text(300)).max(10), l2: text(300).optional() }),
})

export const StartEscapeRequestSchema = PreviewEscapeRequestSchema.extend({
  /** Keep the RPC URLs in the job file so a resume after a restart needs nothing (they may hold API keys). */
  saveRpcUrls: z.boolean(),
})

export const StartedEscapeSchema = z.strictObject({ jobId: JobIdSchema })

export const ResumeEscapeRequestSchema = z.strictObject({
  jobId: JobIdSchema,
  /** Needed when the job did not save its URLs and this app run has not seen them. */
  l1Urls: z.array(RpcUrlSchema).min(1).max(10).optional(),
  l2Url: RpcUrlSchema.optional(),
  /** OP Stack rebuilding from L1: the beacon node or blob archive, when the job did not save one. */
  beaconUrl: RpcUrlSchema.optional(),
  /** File signer: the signed file brought back from the offline machine. */
  signedFile: z.string().min(1).max(4096).optional(),
})

/** Whether a job runs in this process now, and whether it can be resumed here without asking for URLs again. */
export const EscapeRunStateSchema = z.strictObject({
  jobId: JobIdSchema,
  running: z.boolean(),
  /** This app knows the job's RPC URLs (saved in the job, or given in this session). */
  endpointsKnown: z.boolean(),
  /** The labels of the endpoints the job used, to remind the user which ones to give again. */
  endpointLabels: z.strictObject({ l1: z.array(text(300)).max(10), l2: text(300).optional() }),
  signer: z.enum(['ledger', 'soft-ledger', 'drill-key', 'file']).optional(),
  /** The last run's outcome in this process. */
  lastOutcome: z.enum(['finished', 'paused', 'stuck', 'failed', 'cancelled']).optional(),
})

/**
 * How far a long step is, where the step knows it (an L1 scan: blocks; a rebuild: L2 blocks; a proof: nodes; a wait:
 * L1 blocks): `done` of `total` `unit`. The window measures the rate from successive events and shows the ETA.
 */
export const ProgressCountsSchema = z.strictObject({
  done: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  total: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  unit: text(40).min(1),
})
export type ProgressCounts = z.output<typeof ProgressCountsSchema>

export const EscapeProgressEventSchema = z.strictObject({ jobId: JobIdSchema, at: isoTime, message: text(2000), counts: ProgressCountsSchema.optional() })
export const EscapeRunChangedEventSchema = EscapeRunStateSchema

/**
 * A fee bump, as proposed (nothing journaled, signed or sent): the job's stuck L1 transaction and the same
 * transaction with higher fees; every amount in wei (the window shows ETH, wei on hover).
 */
export const FeeBumpProposalSchema = z.strictObject({
  jobId: JobIdSchema,
  txHash: hash32,
  step: text(100),
  nonce: z.number().int().nonnegative(),
  gas: decimal,
  legacy: z.boolean(),
  oldMaxFeePerGasWei: decimal,
  oldMaxPriorityFeePerGasWei: decimal,
  newMaxFeePerGasWei: decimal,
  newMaxPriorityFeePerGasWei: decimal,
  /** gas × max fee (+ value): what each may cost at most. */
  oldMaxCostWei: decimal,
  newMaxCostWei: decimal,
  nextBaseFeeWei: decimal.optional(),
  warnings: z.array(text(1000)).max(10),
})
export type FeeBumpProposalView = z.output<typeof FeeBumpProposalSchema>

export const ProposeFeeBumpResultSchema = z.discriminatedUnion('outcome', [
  z.strictObject({ outcome: z.literal('proposal'), proposal: FeeBumpProposalSchema }),
  /** The stuck transaction (or one of its replacements) was mined meanwhile: nothing to bump; resume. */
  z.strictObject({ outcome: z.literal('already-mined'), txHash: hash32, blockNumber: decimal }),
])
export type ProposeFeeBumpResult = z.output<typeof ProposeFeeBumpResultSchema>

/** The user approved exactly these fees for this transaction: sign the replacement, send it, then go on with the job. */
export const ApproveFeeBumpRequestSchema = z.strictObject({
  jobId: JobIdSchema,
  txHash: z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'expected a 32-byte hash'),
  maxFeePerGasWei: decimal.max(78),
  maxPriorityFeePerGasWei: decimal.max(78),
})
export type ApproveFeeBumpRequest = z.output<typeof ApproveFeeBumpRequestSchema>

/** Diagnosis: an address or a transaction hash, on a network; read-only, no key. */
export const DiagnoseRequestSchema = z.strictObject({
  network: NetworkRefSchema,
  l1Urls: z.array(RpcUrlSchema).min(1).max(10),
  l2Url: RpcUrlSchema.optional(),
  query: z.string().trim().max(100).refine((q) => /^0x[0-9a-fA-F]{40}$/.test(q) || /^0x[0-9a-fA-F]{64}$/.test(q), 'Paste an address (0x and 40 characters) or a transaction hash (0x and 64 characters).'),
})

const DeadlineViewSchema = z.strictObject({ what: text(500), at: isoTime, estimate: z.boolean(), basis: text(1000), passed: z.boolean() })

export const DiagnosisExitSchema = z.strictObject({
  kind: text(100),
  title: text(1000),
  stage: text(100),
  /** The stage in plain words. */
  stageLabel: text(300),
  blocker: text(2000).optional(),
  deadlines: z.array(DeadlineViewSchema).max(20),
  nextAction: z.strictObject({ description: text(1000), by: text(50), ready: z.boolean(), at: isoTime, estimate: z.boolean() }).optional(),
  /** Facts as decimal strings / hashes (tx hashes, indices, amounts). */
  facts: z.record(text(100), text(500)),
  /** This exit is the transaction that was pasted. */
  matchesQuery: z.boolean(),
})

export const DiagnosisSchema = z.strictObject({
  id: z.string().regex(/^diagnosis-[0-9A-Za-z-]{10,80}$/),
  at: isoTime,
  stack: z.enum(STACKS),
  network: z.strictObject({ name: text(200), l1Name: text(100), l1ChainId: z.number().int().positive(), l2ChainId: z.number().int().positive() }),
  query: text(100),
  address: addressOut,
  /** How the address was found from a transaction hash (its sender on L1), when a hash was pasted. */
  fromTransaction: z.strictObject({ hash: hash32, found: text(500) }).optional(),
  l1Block: decimal,
  l1BlockTime: text(500),
  exits: z.array(DiagnosisExitSchema).max(200),
  notes: z.array(text(2000)).max(50),
  /** Sources used, as labels (scheme://host). */
  sources: z.strictObject({ l1: z.array(text(300)).max(10), l2: text(300).optional() }),
})

/**
 * Where a job or diagnosis report goes (the same choice as the drill's, ReportDestinationSchema): the data folder's
 * reports/ (the default), the native save dialog, or a typed path. The HTML goes where chosen; the JSON beside it,
 * with the same name ending in .json.
 */
export const SaveDiagnosisReportRequestSchema = z.strictObject({ id: DiagnosisSchema.shape.id, to: ReportDestinationSchema.optional() })
export const SavedReportSchema = z.union([
  z.strictObject({ htmlPath: text(4096), jsonPath: text(4096), bytes: z.number().int().nonnegative() }),
  /** The user closed the save dialog without choosing: nothing was written. */
  z.strictObject({ cancelled: z.literal(true) }),
])
export const SaveJobReportRequestSchema = z.strictObject({ jobId: JobIdSchema, to: ReportDestinationSchema.optional() })

export type NetworkOptionView = z.output<typeof NetworkOptionSchema>
export type NetworkListView = z.output<typeof NetworkListSchema>
export type EndpointChecksView = z.output<typeof EndpointChecksSchema>
export type AccountView = z.output<typeof AccountViewSchema>
export type EscapePreviewView = z.output<typeof EscapePreviewSchema>
export type CostLineView = z.output<typeof CostLineSchema>
export type EscapeRunStateView = z.output<typeof EscapeRunStateSchema>
export type DiagnosisView = z.output<typeof DiagnosisSchema>
export type DiagnosisExitView = z.output<typeof DiagnosisExitSchema>
export type NetworkRef = z.output<typeof NetworkRefSchema>
export type PreviewEscapeRequest = z.output<typeof PreviewEscapeRequestSchema>
export type StartEscapeRequest = z.output<typeof StartEscapeRequestSchema>
export type ResumeEscapeRequest = z.output<typeof ResumeEscapeRequestSchema>
export type DiagnoseRequest = z.output<typeof DiagnoseRequestSchema>
export type CheckEndpointsRequest = z.output<typeof CheckEndpointsRequestSchema>
export type AccountRequest = z.output<typeof AccountRequestSchema>
