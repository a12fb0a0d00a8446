import { EscapeError, registerErrorClass, type EscapeErrorOptions } from '../../../shared/errors/EscapeError'

/** A step of the Arbitrum devnet deployment failed (a reverted tx, a missing artifact, a wiring check); names the step. */
export class ArbitrumDeployError extends EscapeError {
  override name = 'ArbitrumDeployError'
}
registerErrorClass('ArbitrumDeployError', ArbitrumDeployError)

/** The devnet Arbitrum L2 (sequencer, L1 follower, validator) could not do a step; names the step. */
export class ArbitrumDevnetL2Error extends EscapeError {
  override name = 'ArbitrumDevnetL2Error'
  constructor(shortMessage: string, options: EscapeErrorOptions = {}) {
    super(shortMessage, { kind: 'critical', ...options })
  }
}
registerErrorClass('ArbitrumDevnetL2Error', ArbitrumDevnetL2Error)

/** The devnet L2's sequencer refused a transaction (bad signature, wrong chain, nonce, funds, censored sender). */
export class ArbitrumDevnetTxRejectedError extends EscapeError {
  override name = 'ArbitrumDevnetTxRejectedError'
  constructor(shortMessage: string, options: EscapeErrorOptions = {}) {
    super(shortMessage, { kind: 'user-action', ...options })
  }
}
registerErrorClass('ArbitrumDevnetTxRejectedError', ArbitrumDevnetTxRejectedError)
