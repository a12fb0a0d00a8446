/**
 * Errors of a mid-chain derivation start. The L2 node is untrusted (DESIGN.md): anything it serves that does not match
 * an L1 commitment is `UntrustedL2DataError`, naming the node and what did not match. An anchor that L1 does not
 * consider final (or a contract version this app cannot read) is `DerivationStartError`.
 */
import { EscapeError, registerErrorClass, type EscapeErrorOptions } from '../../../../errors/EscapeError'

export type UntrustedL2DataProblem =
  | 'malformed'
  | 'block-hash'
  | 'header-fields'
  | 'transactions-root'
  | 'output-root'
  | 'account-proof'
  | 'parent'
  | 'l1-info'
  | 'l1-origin'
  | 'genesis'
  /** Re-executing the node's block (its transactions on its witness) does not give the block it claims. */
  | 'execution'
  | 'witness'

export class UntrustedL2DataError extends EscapeError {
  override name = 'UntrustedL2DataError'
  readonly problem: UntrustedL2DataProblem
  constructor(problem: UntrustedL2DataProblem, shortMessage: string, options: { node?: string | undefined; details?: string; cause?: unknown } = {}) {
    super(options.node ? `${shortMessage} (L2 node ${options.node})` : shortMessage, {
      kind: 'user-action',
      steps: [
        'The L2 node is not trusted: a mismatch means it served wrong data (or is on another chain). Try another L2 node (L2 RPC URL).',
        'Or start derivation from the rollup genesis, which needs no L2 node.',
      ],
      ...(options.details !== undefined ? { details: options.details } : {}),
      cause: options.cause,
    })
    this.problem = problem
  }
}
registerErrorClass('UntrustedL2DataError', UntrustedL2DataError)

export class DerivationStartError extends EscapeError {
  override name = 'DerivationStartError'
  constructor(shortMessage: string, options: EscapeErrorOptions = {}) {
    super(shortMessage, { kind: 'user-action', ...options })
  }
}
registerErrorClass('DerivationStartError', DerivationStartError)
