/**
 * What crosses the IPC boundary besides the per-channel payloads: results as data (never thrown across) and errors
 * in their serialised form. Both transports (Electron IPC and the loopback bridge) carry exactly these shapes.
 */
import { z } from 'zod'
import type { SerializedError } from '../errors/EscapeError'

const MAX_TEXT = 4_000
const MAX_DETAILS = 20_000

/**
 * Zod schema for `SerializedError` (shared/errors). Bounded so a hostile peer cannot make us hold huge strings; the
 * bounds are at least the journal's (shared/journal/records.ts), so any error a job recorded can be shown.
 */
export const SerializedErrorSchema: z.ZodType<SerializedError> = z.lazy(() =>
  z.strictObject({
    name: z.string().min(1).max(200),
    shortMessage: z.string().max(MAX_TEXT),
    steps: z.array(z.string().max(MAX_TEXT)).max(50),
    kind: z.enum(['temporary', 'critical', 'user-action']),
    details: z.string().max(MAX_DETAILS).optional(),
    cause: SerializedErrorSchema.optional(),
  }),
)

/** A handler's outcome as plain data. Errors are re-hydrated by name on the receiving side (`deserializeError`). */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: SerializedError }

/** The envelope before the value is checked against its channel's response schema. */
export const IpcResultEnvelopeSchema = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), value: z.unknown() }),
  z.strictObject({ ok: z.literal(false), error: SerializedErrorSchema }),
])

/** One line per issue, `path: message`, for an error's details. */
export function describeIssues(error: z.ZodError, max = 10): string[] {
  const lines = error.issues.slice(0, max).map((issue) => {
    const path = issue.path.length > 0 ? issue.path.map(String).join('.') : '(payload)'
    return `${path}: ${issue.message}`
  })
  if (error.issues.length > max) lines.push(`… and ${error.issues.length - max} more`)
  return lines
}
