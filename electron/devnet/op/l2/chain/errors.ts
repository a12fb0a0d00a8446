import { EscapeError, registerErrorClass } from '../../../../../shared/errors/EscapeError'

/** The devnet L2 genesis could not be built (a reverted constructor or initializer, a wiring check); names the step. */
export class OpL2GenesisError extends EscapeError {
  override name = 'OpL2GenesisError'
  constructor(shortMessage: string, details?: string, cause?: unknown) {
    super(shortMessage, {
      kind: 'critical',
      steps: ['This is a devnet bug or an incomplete @eth-optimism/contracts-bedrock install: reinstall dependencies (npm install) and report it with the details.'],
      details,
      cause,
    })
  }
}
registerErrorClass('OpL2GenesisError', OpL2GenesisError)

/**
 * The devnet L2 sequencer stopped: its L1 could not be read, or a block it built (deposits only, or with pool txs
 * already checked) failed to execute. The chain keeps its last good head.
 */
export class OpL2SequencerError extends EscapeError {
  override name = 'OpL2SequencerError'
  constructor(shortMessage: string, options: { details?: string; cause?: unknown; kind?: 'temporary' | 'critical' } = {}) {
    super(shortMessage, {
      kind: options.kind ?? 'critical',
      steps:
        options.kind === 'temporary'
          ? ['Check that the devnet L1 (anvil) is still running, then tick the sequencer again.']
          : ['Restart the devnet (escape-hatch devnet down, then up); if it repeats, report it with the details.'],
      details: options.details,
      cause: options.cause,
    })
  }
}
registerErrorClass('OpL2SequencerError', OpL2SequencerError)
