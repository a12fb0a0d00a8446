/**
 * Air-gapped transaction files: an unsigned request exported for signing on an offline machine, and the signed
 * result brought back. Versioned and self-describing (schema id + version, what it does, what the device will show).
 *
 * The checksum (sha256 over the canonical JSON of every other field) catches damage and casual edits. It is not what
 * makes import safe — anyone can recompute it — that is `verifySignedTxFile`, which checks the signed bytes against
 * the request this app prepared, field by field, and the signature against the expected sender.
 */
import { z } from 'zod'
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, getAddress, isAddress, stringToBytes, type Address, type Hex } from 'viem'
import { derivationPathSchema } from './derivationPaths'
import { unsignedTxRequestJsonSchema } from './unsignedTxRequest'
import { TxFileChecksumError, TxFileInvalidError } from './txFileErrors'

export const UNSIGNED_TX_FILE_SCHEMA = 'escape-hatch/unsigned-tx'
export const SIGNED_TX_FILE_SCHEMA = 'escape-hatch/signed-tx'
export const TX_FILE_VERSION = 1
/** A transaction file is a few KB; 1 MiB leaves room for 128 KiB of calldata in hex twice over. */
export const MAX_TX_FILE_BYTES = 1024 * 1024

const address = z
  .string()
  .refine((s) => isAddress(s, { strict: false }), 'expected a 20-byte 0x address')
  .transform((s) => getAddress(s))
const hash32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'expected a 32-byte 0x hash').transform((s) => s.toLowerCase() as Hex)
const label = z.object({ label: z.string().min(1).max(200), value: z.string().max(2000) }).strict()

export const txIntentSchema = z
  .object({
    /** One line, e.g. "Finalize the withdrawal of 1.5 ETH from OP Mainnet to 0xabc…". */
    summary: z.string().min(1).max(500),
    /** Decoded call, e.g. "OptimismPortal.finalizeWithdrawalTransaction". */
    action: z.string().max(200).optional(),
    details: z.array(label).max(50).default([]),
  })
  .strict()
export type TxIntent = z.input<typeof txIntentSchema>

export const unsignedTxFileSchema = z
  .object({
    schema: z.literal(UNSIGNED_TX_FILE_SCHEMA),
    version: z.literal(TX_FILE_VERSION),
    createdAt: z.iso.datetime(),
    /** The account that must sign: import refuses a signature from anyone else. */
    from: address,
    /** Derivation path hint for the signing device. */
    path: derivationPathSchema.optional(),
    tx: unsignedTxRequestJsonSchema,
    intent: txIntentSchema,
    deviceDisplay: z
      .object({
        mode: z.enum(['clear', 'blind']),
        signingHash: hash32,
        fields: z.array(label).max(20),
      })
      .strict(),
    checksum: hash32,
  })
  .strict()

export const signedTxFileSchema = z
  .object({
    schema: z.literal(SIGNED_TX_FILE_SCHEMA),
    version: z.literal(TX_FILE_VERSION),
    signedAt: z.iso.datetime(),
    /** Checksum of the unsigned file that was signed: ties the two files together. */
    unsignedChecksum: hash32,
    /** The request as the signer saw it, for people reading the file; import trusts the app's own copy instead. */
    tx: unsignedTxRequestJsonSchema,
    signer: z.object({ kind: z.enum(['ledger', 'soft-ledger', 'drill-key']), path: derivationPathSchema }).strict(),
    from: address,
    hash: hash32,
    raw: z.string().regex(/^0x([0-9a-fA-F]{2})+$/, 'expected 0x hex bytes').max(2 + MAX_TX_FILE_BYTES).transform((s) => s.toLowerCase() as Hex),
    checksum: hash32,
  })
  .strict()

export type UnsignedTxFileJson = z.input<typeof unsignedTxFileSchema>
export type UnsignedTxFile = z.output<typeof unsignedTxFileSchema>
export type SignedTxFileJson = z.input<typeof signedTxFileSchema>
export type SignedTxFile = z.output<typeof signedTxFileSchema>

/** JSON with object keys sorted at every level and no whitespace: the bytes the checksum covers. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new RangeError('canonicalJson: non-finite number')
    if (typeof value === 'bigint') throw new TypeError('canonicalJson: bigint must be a decimal string first')
    return JSON.stringify(value)
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
}

/** sha256 of the canonical JSON of everything except `checksum`. */
export function txFileChecksum(file: Record<string, unknown>): Hex {
  const { checksum: _ignored, ...content } = file
  return bytesToHex(sha256(stringToBytes(canonicalJson(content))))
}

/** Pretty JSON (2 spaces) with a final newline: readable on the offline machine, stable for diffs. */
export function serializeTxFile(file: UnsignedTxFileJson | SignedTxFileJson): string {
  return `${JSON.stringify(file, null, 2)}\n`
}

/** Parse text → JSON → schema, then check the checksum over what was read. */
export function parseTxFileText<S extends typeof unsignedTxFileSchema | typeof signedTxFileSchema>(text: string, schema: S, kind: string): { json: z.input<S>; file: z.output<S> } {
  if (text.length > MAX_TX_FILE_BYTES) throw new TxFileInvalidError(`it is larger than ${MAX_TX_FILE_BYTES} bytes`)
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (cause) {
    throw new TxFileInvalidError('it is not JSON', { cause })
  }
  const head = z.object({ schema: z.string(), version: z.unknown() }).safeParse(json)
  if (!head.success) throw new TxFileInvalidError(`it has no schema id (expected ${kind})`)
  const expectedSchema = schema === unsignedTxFileSchema ? UNSIGNED_TX_FILE_SCHEMA : SIGNED_TX_FILE_SCHEMA
  if (head.data.schema !== expectedSchema) throw new TxFileInvalidError(`it is a "${head.data.schema}" file, not ${kind}`)
  if (head.data.version !== TX_FILE_VERSION) {
    throw new TxFileInvalidError(`it has format version ${String(head.data.version)}; this Escape Hatch reads version ${TX_FILE_VERSION}`, {
      details: 'Use the same Escape Hatch version on both machines.',
    })
  }
  const parsed = schema.safeParse(json)
  if (!parsed.success) throw new TxFileInvalidError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).slice(0, 5).join('; '))
  if (txFileChecksum(json as Record<string, unknown>) !== (parsed.data.checksum as string)) throw new TxFileChecksumError()
  return { json: json as z.input<S>, file: parsed.data as z.output<S> }
}

export type { Address }
