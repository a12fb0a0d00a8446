import { EscapeError, registerErrorClass } from '../../../../../shared/errors/EscapeError'

/** The devnet OP batcher could not post a batch (a refused or reverted L1 transaction, a dead L1 node); names the step. */
export class OpBatcherError extends EscapeError {
  override name = 'OpBatcherError'
}
registerErrorClass('OpBatcherError', OpBatcherError)
