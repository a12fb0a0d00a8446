/**
 * Broadcast errors, in shared/ so that the renderer rebuilds them by name after they cross IPC or the journal.
 */
import { EscapeError, registerErrorClass, type EscapeErrorOptions } from '../errors/EscapeError'

type Opts = Omit<EscapeErrorOptions, 'steps' | 'kind'>

/** Another transaction used our nonce: ours can never be mined. Journaled as tx.dropped. */
export class NonceTakenError extends EscapeError {
  override name = 'NonceTakenError'
  constructor(from: string, nonce: number, hashes: readonly string[], options: Opts = {}) {
    super(`Another transaction from ${from} used nonce ${nonce} before ours was mined, so ours never will be.`, {
      ...options,
      kind: 'critical',
      details: options.details ?? `our transaction(s): ${hashes.join(', ')}`,
      steps: [
        'Nothing from this step was executed on chain. Check the account\'s latest transactions in a block explorer: was that transaction yours (another wallet or device using the same account)?',
        'Do not use this account elsewhere while Escape Hatch is working. Then retry the step: it builds and signs a new transaction with the next nonce.',
      ],
    })
  }
}
registerErrorClass('NonceTakenError', NonceTakenError)

/** Every endpoint refused the transaction for a reason that will not go away by waiting. */
export class BroadcastRejectedError extends EscapeError {
  override name = 'BroadcastRejectedError'
  constructor(reason: 'insufficient-funds' | 'invalid' | 'chain-mismatch', details: string, options: Opts = {}) {
    const text = {
      'insufficient-funds': {
        message: 'The account does not have enough ETH to pay for this transaction and its fees.',
        steps: ['Send ETH to the account (value + max fees), then retry; the same signed transaction is sent again.'],
      },
      invalid: {
        message: 'The L1 node refused the signed transaction as invalid.',
        steps: ['Check the details below. Nothing was sent.', 'If the fees are too low for the network now, rebuild and sign the step again.'],
      },
      'chain-mismatch': {
        message: 'The L1 endpoint is on a different chain than the transaction.',
        steps: ['Check the L1 RPC endpoints in the settings: they must all be on the chain the transaction was signed for.'],
      },
    }[reason]
    super(text.message, { ...options, kind: reason === 'insufficient-funds' ? 'user-action' : 'critical', details, steps: text.steps })
  }
}
registerErrorClass('BroadcastRejectedError', BroadcastRejectedError)

export class NoEndpointReachableError extends EscapeError {
  override name = 'NoEndpointReachableError'
  constructor(endpoints: readonly string[], options: Opts = {}) {
    super('No L1 endpoint could be reached to send or watch the transaction.', {
      ...options,
      kind: 'temporary',
      details: options.details ?? `endpoints: ${endpoints.join(', ')}`,
      steps: ['Check your internet connection and the L1 RPC endpoints in the settings.', 'The signed transaction is saved; it is sent again (same hash) when you resume.'],
    })
  }
}
registerErrorClass('NoEndpointReachableError', NoEndpointReachableError)

export class SignedTxMismatchError extends EscapeError {
  override name = 'SignedTxMismatchError'
  constructor(what: string, options: Opts = {}) {
    super(`The signed transaction is not what was expected: ${what}.`, {
      ...options,
      kind: 'critical',
      steps: ['Nothing was sent. Sign the step again with the right account.'],
    })
  }
}
registerErrorClass('SignedTxMismatchError', SignedTxMismatchError)

export class FeeBumpRefusedError extends EscapeError {
  override name = 'FeeBumpRefusedError'
  constructor(reason: string, options: Opts = {}) {
    super(`The fee bump cannot be sent: ${reason}.`, {
      ...options,
      kind: 'user-action',
      steps: ['A replacement is only sent after you approve it, with the same nonce and at least 10% higher fees. Review the new fees and approve, or keep waiting.'],
    })
  }
}
registerErrorClass('FeeBumpRefusedError', FeeBumpRefusedError)
