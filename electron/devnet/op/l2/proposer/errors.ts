import { EscapeError, registerErrorClass } from '../../../../../shared/errors/EscapeError'

/** The devnet OP proposer could not create or resolve a dispute game (a refused or reverted L1 transaction); names the step. */
export class OpProposerError extends EscapeError {
  override name = 'OpProposerError'
}
registerErrorClass('OpProposerError', OpProposerError)
