/**
 * The Ledger screen's channels: the device's status as an instruction, accounts on the usual derivation paths with
 * their L1 balances, showing an address on the device, and each signature a job asks of the Ledger (the call decoded
 * from its bytes and the hash the device shows for blind signing). No key and no signed bytes ever cross here.
 */
import { z } from 'zod'
import { checkCustomDerivationPath, MAX_PATH_DEPTH } from '../signing/derivationPaths'
import { LEDGER_DEVICE_STATES } from '../signing/ledgerInstructions'
import { NetworkRefSchema, RpcUrlSchema } from './escapeSchemas'
import { JobIdSchema } from './jobSchemas'

const decimal = z.string().regex(/^(0|[1-9][0-9]*)$/, 'expected a decimal integer string')
const isoTime = z.iso.datetime()
const text = (max: number) => z.string().max(max)
const hash32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'expected a 32-byte hash') as z.ZodType<`0x${string}`>
const addressOut = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'expected an address') as z.ZodType<`0x${string}`>
/** A canonical path as main answers it (44'/60'/0'/0/0). */
const pathOut = z.string().max(12 * MAX_PATH_DEPTH).regex(/^\d{1,10}'?(\/\d{1,10}'?)*$/, 'expected a derivation path')

export const LEDGER_SIGNERS = ['ledger', 'soft-ledger'] as const
export const LedgerSignerSchema = z.enum(LEDGER_SIGNERS)
export type LedgerSignerKind = z.output<typeof LedgerSignerSchema>

export const LedgerInstructionSchema = z.strictObject({
  state: z.enum(LEDGER_DEVICE_STATES),
  title: text(300),
  steps: z.array(text(1000)).max(8),
  retry: text(100),
})

export const LedgerStatusRequestSchema = z.strictObject({ signer: LedgerSignerSchema })

export const LedgerStatusSchema = z.strictObject({
  signer: LedgerSignerSchema,
  /** The device answers and can sign the escape's transactions (unlocked, Ethereum app open, blind signing on). */
  ready: z.boolean(),
  /** e.g. "Nano S Plus", when the USB layer names it. */
  model: text(100).optional(),
  app: z.strictObject({ version: text(40), blindSigningEnabled: z.boolean() }).optional(),
  /** What the user must do now; absent when nothing. */
  instruction: LedgerInstructionSchema.optional(),
  checkedAt: isoTime,
})

export const DERIVATION_SCHEMES = ['ledger-live', 'legacy', 'custom'] as const
export const MAX_LEDGER_ACCOUNTS = 10

export const LedgerAccountsRequestSchema = z
  .strictObject({
    signer: LedgerSignerSchema,
    scheme: z.enum(DERIVATION_SCHEMES),
    /** First account index (ledger-live, legacy). */
    start: z.number().int().min(0).max(100_000).optional(),
    count: z.number().int().min(1).max(MAX_LEDGER_ACCOUNTS).optional(),
    /** The path typed by the user (custom). */
    customPath: text(200).optional(),
    /** For the L1 balances: the network (its L1 chain) and the user's L1 endpoints. Without them, no balances. */
    network: NetworkRefSchema.optional(),
    l1Urls: z.array(RpcUrlSchema).max(10).optional(),
  })
  .superRefine((r, ctx) => {
    if (r.scheme !== 'custom') return
    const check = checkCustomDerivationPath(r.customPath ?? '')
    if (!check.ok) ctx.addIssue({ code: 'custom', path: ['customPath'], message: check.problem })
  })

export const LedgerAccountSchema = z.strictObject({
  path: pathOut,
  address: addressOut,
  /** At `balances.l1Block`, agreed by every L1 endpoint. */
  l1BalanceWei: decimal.optional(),
})

export const LedgerAccountsSchema = z.strictObject({
  signer: LedgerSignerSchema,
  accounts: z.array(LedgerAccountSchema).max(MAX_LEDGER_ACCOUNTS),
  balances: z.strictObject({ l1Name: text(100), l1Block: decimal, endpoints: z.array(text(300)).max(10) }).optional(),
  /** Why there are no balances, or what is unusual about a custom path; plain words. */
  notes: z.array(text(1000)).max(5),
})

export const ShowLedgerAddressRequestSchema = z.strictObject({ signer: LedgerSignerSchema, path: text(200) })
export const ShownLedgerAddressSchema = z.strictObject({ path: pathOut, address: addressOut })

const FieldSchema = z.strictObject({ label: text(200), value: text(2000) })

/** One signature a job asked of the Ledger in this app run: what it does and what the device shows. */
export const LedgerSigningSchema = z.strictObject({
  id: z.string().regex(/^sig-[0-9a-z-]{1,80}$/),
  jobId: JobIdSchema,
  signer: LedgerSignerSchema,
  path: pathOut,
  state: z.enum(['waiting-for-device', 'signed', 'failed']),
  at: isoTime,
  /** The call, decoded from the exact bytes sent to the device (shared/signing/describeTxBytes). */
  call: z.strictObject({
    chain: text(300),
    contract: text(300).optional(),
    action: text(300).optional(),
    summary: text(2000),
    recognised: z.boolean(),
    fields: z.array(FieldSchema).max(60),
    problems: z.array(text(2000)).max(20),
  }),
  /** What the Ledger's Ethereum app displays: the hash is keccak256 of the unsigned transaction (EIP-155/2718 signing payload). */
  device: z.strictObject({ mode: z.enum(['clear', 'blind']), signingHash: hash32, fields: z.array(FieldSchema).max(10), explanation: text(1000) }),
  /** When the device refused or failed: what to do (the retry resumes the job). */
  instruction: LedgerInstructionSchema.optional(),
  /** A failure that is not the device's (shown as it is), cut to one sentence. */
  problem: text(2000).optional(),
})

export const LedgerSigningListSchema = z.strictObject({ signings: z.array(LedgerSigningSchema).max(50) })

export type LedgerStatusView = z.output<typeof LedgerStatusSchema>
export type LedgerAccountsRequest = z.input<typeof LedgerAccountsRequestSchema>
export type LedgerAccountsView = z.output<typeof LedgerAccountsSchema>
export type LedgerSigningView = z.output<typeof LedgerSigningSchema>
export type LedgerInstructionView = z.output<typeof LedgerInstructionSchema>

/** Air-gapped signing from the Ledger screen: the job whose request file was exported (FileSigner). */
export const AirGappedRequestQuerySchema = z.strictObject({ jobId: JobIdSchema })

export const AirGappedRequestSchema = z.strictObject({
  jobId: JobIdSchema,
  /** Where the app exported it (its copy: the signed file is checked against it). */
  file: text(4096),
  purpose: text(200),
  exportedAt: isoTime,
  /** The account that must sign it, on the offline machine. */
  from: addressOut,
  call: LedgerSigningSchema.shape.call,
  /** keccak-256 of the unsigned transaction: what the offline signer signs. */
  signingHash: hash32,
  /** Where the signed file is expected by default. */
  suggestedSignedFile: text(4096),
})

/** A path the user typed (the bridge) or chose in a dialog (Electron): absolute, bounded. */
const userPath = z.string().min(1).max(4096).refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p), 'Give the full path of the file (starting with / or a drive letter).')

export const ExportAirGappedRequestSchema = z.strictObject({ jobId: JobIdSchema, to: userPath })
export const ExportedAirGappedRequestSchema = z.strictObject({ path: text(4096), bytes: z.number().int().nonnegative() })

export const CheckSignedFileRequestSchema = z.strictObject({ jobId: JobIdSchema, signedFile: userPath })
export const CheckedSignedFileSchema = z.strictObject({ signedFile: text(4096), hash: hash32, from: addressOut, signingHash: hash32 })

export type AirGappedRequestView = z.output<typeof AirGappedRequestSchema>
