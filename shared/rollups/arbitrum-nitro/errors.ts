/**
 * The errors of the Arbitrum Nitro side. Each says what went wrong in the user's terms, what to do next, and which
 * source is at fault when one is (DESIGN.md trust model: a mismatch is loud and names the source that lied).
 */
import { EscapeError, registerErrorClass, type EscapeErrorOptions } from '../../errors/EscapeError'

/** Input bytes that are not a sequencer batch we can read (bad calldata, a truncated header, a bad file). */
export class ArbBatchFormatError extends EscapeError {
  override name = 'ArbBatchFormatError'
  constructor(shortMessage: string, options: EscapeErrorOptions = {}) {
    super(shortMessage, {
      kind: 'user-action',
      steps: ['Check that the input is the calldata of a SequencerInbox batch, or the batch data itself, as hex or JSON {"data": "0x…"}.'],
      ...options,
    })
  }
}
registerErrorClass('ArbBatchFormatError', ArbBatchFormatError)

/** An AnyTrust (DAS) or custom-DA batch: its transactions are held by a committee, not posted to Ethereum. */
export class ArbDataNotOnL1Error extends EscapeError {
  override name = 'ArbDataNotOnL1Error'
  constructor(shortMessage: string, options: EscapeErrorOptions = {}) {
    super(shortMessage, {
      kind: 'critical',
      steps: [
        'This chain keeps its transaction data off Ethereum (AnyTrust / data availability committee). Escape Hatch cannot rebuild it from L1 alone.',
        'Your forced transaction and withdrawal can still go through the delayed inbox and the Outbox: those are on L1.',
        'To see other users’ transactions in this batch you need the data from a committee member or a DAS mirror.',
      ],
      ...options,
    })
  }
}
registerErrorClass('ArbDataNotOnL1Error', ArbDataNotOnL1Error)

/** The send list from an L2 node does not hash to the sendRoot confirmed on L1: the node lied or is on another chain. */
export class ArbSendRootMismatchError extends EscapeError {
  override name = 'ArbSendRootMismatchError'
  constructor(shortMessage: string, options: EscapeErrorOptions = {}) {
    super(shortMessage, {
      kind: 'critical',
      steps: [
        'The L2 RPC returned a list of withdrawals that does not match what Ethereum confirmed. It may be lying, out of sync, or on another chain.',
        'Nothing was signed. Try another L2 RPC endpoint.',
      ],
      ...options,
    })
  }
}
registerErrorClass('ArbSendRootMismatchError', ArbSendRootMismatchError)

/** An answer from an untrusted source (L2 RPC, imported file) that fails a check against L1. */
export class ArbUntrustedDataError extends EscapeError {
  override name = 'ArbUntrustedDataError'
  constructor(shortMessage: string, options: EscapeErrorOptions = {}) {
    super(shortMessage, {
      kind: 'critical',
      steps: ['The data did not pass its check against Ethereum L1 and was not used. Try another endpoint.'],
      ...options,
    })
  }
}
registerErrorClass('ArbUntrustedDataError', ArbUntrustedDataError)

/** A Merkle proof that does not verify locally. Never sent: the Outbox would revert and the user would pay for it. */
export class ArbProofError extends EscapeError {
  override name = 'ArbProofError'
  constructor(shortMessage: string, options: EscapeErrorOptions = {}) {
    super(shortMessage, { kind: 'critical', ...options })
  }
}
registerErrorClass('ArbProofError', ArbProofError)

/** Force inclusion asked for before the delay has passed. */
export class ArbForceInclusionTooSoonError extends EscapeError {
  override name = 'ArbForceInclusionTooSoonError'
  constructor(shortMessage: string, options: EscapeErrorOptions = {}) {
    super(shortMessage, { kind: 'temporary', steps: ['Wait until the deadline has passed, then try again.'], ...options })
  }
}
registerErrorClass('ArbForceInclusionTooSoonError', ArbForceInclusionTooSoonError)

/** The L2→L1 message was already executed on the Outbox. */
export class ArbAlreadySpentError extends EscapeError {
  override name = 'ArbAlreadySpentError'
  constructor(shortMessage: string, options: EscapeErrorOptions = {}) {
    super(shortMessage, {
      kind: 'user-action',
      steps: ['This withdrawal was already executed; the funds were paid out on L1. Check the destination address balance.'],
      ...options,
    })
  }
}
registerErrorClass('ArbAlreadySpentError', ArbAlreadySpentError)

/** A network description (built in or from a custom Orbit config file) that is missing, invalid or inconsistent with L1. */
export class ArbNetworkConfigError extends EscapeError {
  override name = 'ArbNetworkConfigError'
  constructor(shortMessage: string, options: EscapeErrorOptions = {}) {
    super(shortMessage, { kind: 'user-action', steps: ['Check the network name or the Orbit chain config file.'], ...options })
  }
}
registerErrorClass('ArbNetworkConfigError', ArbNetworkConfigError)

/** Something expected on L1 (a delayed message, an assertion, a log) was not found. */
export class ArbNotFoundError extends EscapeError {
  override name = 'ArbNotFoundError'
  constructor(shortMessage: string, options: EscapeErrorOptions = {}) {
    super(shortMessage, { kind: 'temporary', ...options })
  }
}
registerErrorClass('ArbNotFoundError', ArbNotFoundError)

/** No DAS endpoint served the data behind an AnyTrust certificate (none reachable, none had it, or the ones that answered lied). */
export class ArbDasDataUnavailableError extends EscapeError {
  override name = 'ArbDasDataUnavailableError'
  constructor(shortMessage: string, options: EscapeErrorOptions = {}) {
    super(shortMessage, { kind: 'temporary', ...options })
  }
}
registerErrorClass('ArbDasDataUnavailableError', ArbDasDataUnavailableError)
