/**
 * A fork activation block's upgrade transactions, as an untrusted L2 node served them, did not match the protocol
 * constants (verifyNodeUpgradeTxs.ts). Nothing from such a block is used.
 */
import { EscapeError, registerErrorClass } from '../../../../errors/EscapeError'

export type UpgradeTxProblem =
  | 'prefix'
  | 'count'
  | 'not-deposit'
  | 'source-hash'
  | 'other-spelling'
  | 'fields'
  | 'data'
  | 'init-code-structure'
  | 'code-hash'
  | 'execution'

export class UntrustedUpgradeTxError extends EscapeError {
  override name = 'UntrustedUpgradeTxError'
  readonly problem: UpgradeTxProblem
  constructor(problem: UpgradeTxProblem, shortMessage: string, options: { node: string; details: string; cause?: unknown }) {
    super(`${shortMessage} (L2 node ${options.node})`, {
      kind: 'user-action',
      steps: [
        'The L2 node is not trusted and what it served for this fork activation block does not match the protocol: try another L2 RPC (--l2-rpc).',
        'Or start derivation after the activation block (--start anchor or game:0x… with an anchor past it).',
      ],
      details: options.details,
      cause: options.cause,
    })
    this.problem = problem
  }
}
registerErrorClass('UntrustedUpgradeTxError', UntrustedUpgradeTxError)
