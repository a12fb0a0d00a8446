import { EscapeError, registerErrorClass } from '../../../shared/errors/EscapeError'

/** A step of the OP Stack devnet deployment failed (a reverted tx, a missing artifact, a wiring check); names the step. */
export class OpDeployError extends EscapeError {
  override name = 'OpDeployError'
}
registerErrorClass('OpDeployError', OpDeployError)
