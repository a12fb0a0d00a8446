/**
 * Errors of OP derivation.
 *
 * `MalformedBatcherDataError` is the *classified* failure for bad bytes published on L1 (blobs, frames, channels,
 * batches): the spec says to drop such data, so stages catch exactly this class and drop. Any other exception escaping
 * a decoder is a bug (the fuzz tests enforce this).
 */
import { EscapeError, registerErrorClass } from '../../../errors/EscapeError'

export type MalformedDataStage = 'blob' | 'calldata' | 'frame' | 'channel' | 'batch' | 'span-batch' | 'deposit' | 'l1-info' | 'config-update'

export class MalformedBatcherDataError extends EscapeError {
  override name = 'MalformedBatcherDataError'
  readonly stage: MalformedDataStage
  readonly reason: string
  constructor(stage: MalformedDataStage, reason: string, cause?: unknown) {
    super(`Invalid ${stage} data on L1 was ignored, as the protocol requires.`, {
      kind: 'critical',
      steps: ['Nothing to do: the OP Stack derivation rules drop invalid data. This is reported for diagnostics.'],
      details: reason,
      cause,
    })
    this.stage = stage
    this.reason = reason
  }
}
registerErrorClass('MalformedBatcherDataError', MalformedBatcherDataError)

/** Derivation cannot continue exactly (e.g. the L1 chain changed under us, or a needed input is missing). */
export class DerivationError extends EscapeError {
  override name = 'DerivationError'
}
registerErrorClass('DerivationError', DerivationError)

/** A chain feature this app does not derive (e.g. alt-DA commitments). */
export class UnsupportedChainFeatureError extends EscapeError {
  override name = 'UnsupportedChainFeatureError'
  constructor(feature: string, details?: string) {
    super(`This chain uses ${feature}, which Escape Hatch cannot rebuild from L1.`, {
      kind: 'user-action',
      steps: ['Use a chain that posts its data to L1 (calldata or blobs).', 'Or rebuild with a trusted L2 node instead.'],
      details,
    })
  }
}
registerErrorClass('UnsupportedChainFeatureError', UnsupportedChainFeatureError)
