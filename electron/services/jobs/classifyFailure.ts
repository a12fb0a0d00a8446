/**
 * The failure rule of every job (issue 11): an unexpected or temporary error — an RPC error response, a timeout, a
 * node that is down, a bug — leaves the job resumable. Only a rule of the chain (already spent, a proof the contract
 * refuses, a transaction the chain reverted) or the user's decision ends it. A flow says which of its classified
 * errors are not about the outcome (an untrusted source that lied: resume with another endpoint).
 */
import { BaseError, HttpRequestError, RpcError, RpcRequestError, SocketClosedError, TimeoutError, WebSocketRequestError } from 'viem'
import { EscapeError, registerErrorClass, type EscapeErrorOptions } from '../../../shared/errors/EscapeError'

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT'])
const MAX_DEPTH = 16

/** True when the error, or anything in its cause chain, is a node that answered with an error, timed out or is down. */
export function isTransportFailure(error: unknown): boolean {
  let e: unknown = error
  for (let depth = 0; e !== undefined && e !== null && depth < MAX_DEPTH; depth++) {
    if (e instanceof HttpRequestError || e instanceof RpcRequestError || e instanceof TimeoutError || e instanceof WebSocketRequestError || e instanceof SocketClosedError) return true
    // A JSON-RPC error object (-32000 "header not found", -32005 limit exceeded, -32603 internal…) from a node, unless
    // it is the chain speaking: an execution revert carries data and is reported as a contract revert, not a transport.
    if (e instanceof RpcError && !(e instanceof BaseError && /revert/i.test(e.details ?? ''))) return true
    const code = (e as { code?: unknown }).code
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true
    if (e instanceof TypeError && e.message === 'fetch failed') return true
    e = (e as { cause?: unknown }).cause
  }
  return false
}

/**
 * Something nobody classified (a dropped connection, a bug) wrapped for the user. It never ends a job: whatever it
 * was, the journal is intact and a resume retries the step.
 */
export class UnexpectedStepError extends EscapeError {
  override name = 'UnexpectedStepError'
}
registerErrorClass('UnexpectedStepError', UnexpectedStepError)

/** Wrap anything thrown by a step: an EscapeError passes unchanged; anything else becomes an UnexpectedStepError. */
export function toStepError(error: unknown, fallback: string): EscapeError {
  if (error instanceof EscapeError) return error
  const transport = isTransportFailure(error)
  const options: EscapeErrorOptions = transport
    ? { kind: 'temporary', steps: ['A node did not answer, or answered with an error. Nothing was lost: resume the job later, or with another endpoint.'], cause: error }
    : { kind: 'critical', steps: ['Nothing was lost: the job is kept as it is and can be resumed. If this happens again, export the job report and send it to support.'], cause: error }
  return new UnexpectedStepError(fallback, options)
}

export interface JobFailureRule {
  /** A classified error that is not about the outcome (e.g. an untrusted source that lied): the job stays resumable. */
  isSourceProblem?(error: EscapeError): boolean
}

/**
 * Does this failure end the job? Only a classified critical EscapeError that is neither a transport failure (in its
 * cause chain) nor a source problem does. Everything else leaves the job active, to be resumed.
 */
export function endsJob(error: unknown, rule: JobFailureRule = {}): boolean {
  if (!(error instanceof EscapeError) || error instanceof UnexpectedStepError) return false
  if (error.kind !== 'critical') return false
  if (isTransportFailure(error)) return false
  return !(rule.isSourceProblem?.(error) ?? false)
}
