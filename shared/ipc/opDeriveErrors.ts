/**
 * Errors of the "rebuild an OP Stack chain from L1" channels. In shared/ so both sides register them: the service
 * throws them, the window re-hydrates them as the same classes (the renderer's store imports this module).
 */
import { EscapeError, registerErrorClass, type EscapeErrorOptions } from '../errors/EscapeError'

type Options = Omit<EscapeErrorOptions, 'steps' | 'kind'>

/** One derivation at a time: it reads a lot from the user's L1 endpoints. */
export class OpDeriveAlreadyRunningError extends EscapeError {
  override name = 'OpDeriveAlreadyRunningError'
  constructor(runningSince: string, options: Options = {}) {
    super('A rebuild from L1 is already running.', {
      ...options,
      kind: 'user-action',
      steps: ['Wait for it to finish, or cancel it, then start the new one.'],
      details: `The running rebuild started at ${runningSince}.`,
    })
  }
}
registerErrorClass('OpDeriveAlreadyRunningError', OpDeriveAlreadyRunningError)

/** The run's error when the user cancelled it. */
export class OpDeriveCancelledError extends EscapeError {
  override name = 'OpDeriveCancelledError'
  constructor(options: Options = {}) {
    super('You cancelled the rebuild.', {
      ...options,
      kind: 'user-action',
      steps: ['Nothing was signed or sent. The L1 data already read is cached (finalized blocks), so running it again is faster.'],
    })
  }
}
registerErrorClass('OpDeriveCancelledError', OpDeriveCancelledError)

/** The L1 endpoint is on another chain than the one this rollup settles on. */
export class OpDeriveWrongL1Error extends EscapeError {
  override name = 'OpDeriveWrongL1Error'
  constructor(endpointChainId: number, rollupL1ChainId: number, options: Options = {}) {
    super(`The L1 endpoint is on chain ${endpointChainId}, but this rollup settles on chain ${rollupL1ChainId}.`, {
      ...options,
      kind: 'user-action',
      steps: ['Use an RPC URL of the right L1 network (Ethereum mainnet for OP Mainnet and Base, Sepolia for OP Sepolia).', 'Or pick the rollup configuration of the chain you meant.'],
    })
  }
}
registerErrorClass('OpDeriveWrongL1Error', OpDeriveWrongL1Error)

/** The requested last L1 block is before the first block derivation reads. */
export class OpDeriveRangeError extends EscapeError {
  override name = 'OpDeriveRangeError'
  constructor(from: number, to: number, options: Options = {}) {
    super(`The last L1 block (${to}) is before the first block to read (${from}).`, {
      ...options,
      kind: 'user-action',
      steps: [`Give a last L1 block at or after ${from}, or use "finalized".`],
    })
  }
}
registerErrorClass('OpDeriveRangeError', OpDeriveRangeError)

/** This process was started without the service (a test router, for instance). */
export class OpDeriveUnavailableError extends EscapeError {
  override name = 'OpDeriveUnavailableError'
  constructor(options: Options = {}) {
    super('Rebuilding from L1 is not available in this window.', {
      ...options,
      kind: 'user-action',
      steps: ['Run it from a terminal: npx escape-hatch op derive --help'],
    })
  }
}
registerErrorClass('OpDeriveUnavailableError', OpDeriveUnavailableError)
