/**
 * The one error type that reaches users. Every failure the app can explain carries:
 * - `shortMessage`: one sentence, what went wrong, in the user's terms;
 * - `steps`: what the user can do next, in order;
 * - `kind`: what the caller does next (retry later, stop, or wait for the user);
 * - `cause`: the underlying error, kept for the report and the details pane.
 *
 * Subclasses set a unique `name`; the registry below rebuilds them by name after they cross IPC or the journal.
 */
import { redactUrlsInText } from './redactUrls'

export type ErrorKind = 'temporary' | 'critical' | 'user-action'

export interface EscapeErrorOptions {
  steps?: readonly string[]
  kind?: ErrorKind
  cause?: unknown
  /** Technical details (numbers, hashes, sources) shown under the message. */
  details?: string
}

export class EscapeError extends Error {
  override name: string = 'EscapeError'
  readonly shortMessage: string
  readonly steps: readonly string[]
  readonly kind: ErrorKind
  readonly details: string | undefined

  constructor(shortMessage: string, options: EscapeErrorOptions = {}) {
    super(composeMessage(shortMessage, options.steps ?? [], options.details), { cause: options.cause })
    this.shortMessage = shortMessage
    this.steps = Object.freeze([...(options.steps ?? [])])
    this.kind = options.kind ?? 'critical'
    this.details = options.details
  }
}

function composeMessage(shortMessage: string, steps: readonly string[], details: string | undefined): string {
  const lines = [shortMessage]
  if (steps.length > 0) lines.push('', ...steps.map((s) => `- ${s}`))
  if (details) lines.push('', `Details: ${details}`)
  return lines.join('\n')
}

/** The wire/journal form of an error. Plain data only. */
export interface SerializedError {
  name: string
  shortMessage: string
  steps: string[]
  kind: ErrorKind
  details?: string | undefined
  cause?: SerializedError | undefined
}

type EscapeErrorClass = abstract new (...args: never[]) => EscapeError
const registry = new Map<string, EscapeErrorClass>()

/**
 * Register a subclass so that `deserializeError` gives back an instance of it (so `instanceof` works after IPC).
 * Call once at module load, next to the class.
 */
export function registerErrorClass(name: string, ctor: EscapeErrorClass): void {
  const existing = registry.get(name)
  if (existing && existing !== ctor) throw new Error(`Error class name registered twice: ${name}`)
  registry.set(name, ctor)
}

registerErrorClass('EscapeError', EscapeError)

const MAX_CAUSE_DEPTH = 8

/**
 * The plain-data form of an error, for the journal, IPC, reports and --json output: every URL in its texts is cut to
 * its host (redactUrls), so an RPC URL with an API key that a library quoted ("URL: https://…/v2/KEY") never leaves.
 */
export function serializeError(error: unknown, depth = 0): SerializedError {
  if (error instanceof EscapeError) {
    return {
      name: error.name,
      shortMessage: redactUrlsInText(error.shortMessage),
      steps: error.steps.map(redactUrlsInText),
      kind: error.kind,
      details: error.details === undefined ? undefined : redactUrlsInText(error.details),
      cause: depth < MAX_CAUSE_DEPTH && error.cause !== undefined ? serializeError(error.cause, depth + 1) : undefined,
    }
  }
  if (error instanceof Error) {
    const message = redactUrlsInText(error.message)
    return {
      name: error.name || 'Error',
      shortMessage: firstLine(message) || error.name || 'Unknown error',
      steps: [],
      kind: 'critical',
      details: message.includes('\n') ? message : undefined,
      cause: depth < MAX_CAUSE_DEPTH && error.cause !== undefined ? serializeError(error.cause, depth + 1) : undefined,
    }
  }
  return { name: 'NonError', shortMessage: truncate(redactUrlsInText(safeString(error)), 500), steps: [], kind: 'critical' }
}

/** Rebuild an error from its serialized form, as the registered subclass when one is known. */
export function deserializeError(data: SerializedError): EscapeError {
  const cause = data.cause ? deserializeError(data.cause) : undefined
  const ctor = registry.get(data.name) ?? EscapeError
  const error = Object.create(ctor.prototype as object) as EscapeError
  const template = new EscapeError(data.shortMessage, { steps: data.steps, kind: data.kind, details: data.details, cause })
  Object.assign(error, template)
  Object.defineProperty(error, 'message', { value: template.message, writable: true, configurable: true, enumerable: false })
  Object.defineProperty(error, 'stack', { value: `${data.name}: ${template.message}`, writable: true, configurable: true, enumerable: false })
  if (cause !== undefined) Object.defineProperty(error, 'cause', { value: cause, writable: true, configurable: true, enumerable: false })
  error.name = data.name
  return error
}

/**
 * Wrap anything thrown into an EscapeError. An EscapeError passes through unchanged; anything else becomes the cause
 * of a new error with the given message and steps.
 */
export function toEscapeError(error: unknown, fallback: string, options: Omit<EscapeErrorOptions, 'cause'> = {}): EscapeError {
  if (error instanceof EscapeError) return error
  return new EscapeError(fallback, { ...options, cause: error })
}

/** One line for a terminal: the message and the first step. */
export function oneLine(error: EscapeError): string {
  const next = error.steps[0]
  return next ? `${error.shortMessage} Next: ${next}` : error.shortMessage
}

function firstLine(s: string): string {
  const i = s.indexOf('\n')
  return i === -1 ? s : s.slice(0, i)
}

function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max)}…`
}

function safeString(v: unknown): string {
  try {
    return typeof v === 'string' ? v : JSON.stringify(v) ?? String(v)
  } catch {
    return String(v)
  }
}
