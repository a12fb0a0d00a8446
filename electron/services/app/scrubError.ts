/**
 * Errors on their way to the window lose every URL path and query: viem puts the request URL (with any API key in its
 * path) into its messages, and an RPC error can travel as the cause of one of ours. The structure (class name, kind,
 * steps, cause chain) is kept; only the text is cut with the one redaction rule of the reports.
 */
import { deserializeError, serializeError, type EscapeError, type SerializedError } from '../../../shared/errors/EscapeError'
import { redactUrlsInText } from '../../../shared/errors/redactUrls'

export function scrubSerializedError(e: SerializedError): SerializedError {
  return {
    name: e.name,
    shortMessage: redactUrlsInText(e.shortMessage),
    steps: e.steps.map((step) => redactUrlsInText(step)),
    kind: e.kind,
    details: e.details === undefined ? undefined : redactUrlsInText(e.details),
    cause: e.cause ? scrubSerializedError(e.cause) : undefined,
  }
}

export function scrubError(error: unknown): EscapeError {
  return deserializeError(scrubSerializedError(serializeError(error)))
}

/** Run `work`; anything it throws comes out scrubbed (as the registered EscapeError subclass). */
export async function withScrubbedErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    throw scrubError(error)
  }
}
