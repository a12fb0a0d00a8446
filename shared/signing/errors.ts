/**
 * Signing errors. Each says what happened in the user's terms and what to do next; Ledger status words become
 * instructions (STYLE.md: "Ledger status words become instructions").
 */
import { EscapeError, registerErrorClass, type EscapeErrorOptions } from '../errors/EscapeError'

type Opts = Omit<EscapeErrorOptions, 'steps' | 'kind'>

export class LedgerNotFoundError extends EscapeError {
  override name = 'LedgerNotFoundError'
  constructor(options: Opts = {}) {
    super('No Ledger found.', {
      ...options,
      kind: 'user-action',
      steps: [
        'Connect your Ledger with a USB cable (not a charge-only cable) and unlock it with your PIN.',
        'Close Ledger Live and any other wallet app that may be using the device.',
        'On Linux, install Ledger\'s udev rules (vendor 2c97) and reconnect the device.',
      ],
    })
  }
}
registerErrorClass('LedgerNotFoundError', LedgerNotFoundError)

export class LedgerLockedError extends EscapeError {
  override name = 'LedgerLockedError'
  constructor(options: Opts = {}) {
    super('Your Ledger is locked.', { ...options, kind: 'user-action', steps: ['Unlock your Ledger with your PIN, open the Ethereum app, then try again.'] })
  }
}
registerErrorClass('LedgerLockedError', LedgerLockedError)

export class LedgerAppNotOpenError extends EscapeError {
  override name = 'LedgerAppNotOpenError'
  constructor(options: Opts = {}) {
    super('The Ethereum app is not open on your Ledger.', {
      ...options,
      kind: 'user-action',
      steps: ['Open the Ethereum app on your Ledger (install it with Ledger Live if it is missing), then try again.'],
    })
  }
}
registerErrorClass('LedgerAppNotOpenError', LedgerAppNotOpenError)

export class LedgerBlindSigningDisabledError extends EscapeError {
  override name = 'LedgerBlindSigningDisabledError'
  constructor(options: Opts = {}) {
    super('Blind signing is turned off in the Ethereum app on your Ledger.', {
      ...options,
      kind: 'user-action',
      steps: [
        'On your Ledger, open the Ethereum app, go to Settings and enable "Blind signing".',
        'Then try again. Before approving, compare the hash on the device with the one shown here.',
      ],
    })
  }
}
registerErrorClass('LedgerBlindSigningDisabledError', LedgerBlindSigningDisabledError)

export class LedgerUserRejectedError extends EscapeError {
  override name = 'LedgerUserRejectedError'
  constructor(options: Opts = {}) {
    super('The request was rejected on your Ledger.', {
      ...options,
      kind: 'user-action',
      steps: ['Nothing was signed. If you rejected it on purpose, there is nothing to do; otherwise try again and approve on the device.'],
    })
  }
}
registerErrorClass('LedgerUserRejectedError', LedgerUserRejectedError)

export class LedgerDisconnectedError extends EscapeError {
  override name = 'LedgerDisconnectedError'
  constructor(options: Opts = {}) {
    super('Your Ledger was disconnected before it finished; nothing was signed.', {
      ...options,
      kind: 'user-action',
      steps: ['Reconnect your Ledger, unlock it, open the Ethereum app, then try again.'],
    })
  }
}
registerErrorClass('LedgerDisconnectedError', LedgerDisconnectedError)

export class LedgerBusyError extends EscapeError {
  override name = 'LedgerBusyError'
  constructor(options: Opts = {}) {
    super('Your Ledger is busy with another request.', {
      ...options,
      kind: 'temporary',
      steps: ['Finish or reject the request shown on the device, close other wallet apps (Ledger Live), then try again.'],
    })
  }
}
registerErrorClass('LedgerBusyError', LedgerBusyError)

export class LedgerAppOutdatedError extends EscapeError {
  override name = 'LedgerAppOutdatedError'
  /** `version`/`minimum` undefined: the app refused a transaction type it does not know (status 0x6501). */
  constructor(version: string | undefined, minimum: string | undefined, options: Opts = {}) {
    super(version !== undefined && minimum !== undefined ? `The Ethereum app on your Ledger is too old (version ${version}; ${minimum} or later is needed).` : 'The Ethereum app on your Ledger is too old for this type of transaction.', {
      ...options,
      kind: 'user-action',
      steps: ['Update the Ethereum app (and the device firmware if asked) in Ledger Live, then try again.'],
    })
  }
}
registerErrorClass('LedgerAppOutdatedError', LedgerAppOutdatedError)

export class LedgerDeviceError extends EscapeError {
  override name = 'LedgerDeviceError'
  constructor(statusWord: number | undefined, options: Opts = {}) {
    // 'user-action', not 'critical': a device answer is no rule of the chain, so it must never end a job (endsJob);
    // the user fixes the device and resumes.
    super(statusWord === undefined ? 'Your Ledger returned an error.' : `Your Ledger returned error 0x${statusWord.toString(16).padStart(4, '0')}.`, {
      ...options,
      kind: 'user-action',
      steps: ['Unlock the device, open the Ethereum app and try again.', 'If it keeps failing, update the Ethereum app and firmware in Ledger Live.'],
    })
  }
}
registerErrorClass('LedgerDeviceError', LedgerDeviceError)

/** The signature does not recover to the account the app expected: never broadcast such a transaction. */
export class SignerAddressMismatchError extends EscapeError {
  override name = 'SignerAddressMismatchError'
  constructor(expected: string, actual: string, options: Opts = {}) {
    super('The signature belongs to a different account than the one selected.', {
      ...options,
      kind: 'critical',
      details: options.details ?? `expected ${expected}, signature recovers to ${actual}`,
      steps: [
        'Check that the right device (or seed) and the right account path are selected.',
        'Nothing was sent. Select the account that holds the funds and sign again.',
      ],
    })
  }
}
registerErrorClass('SignerAddressMismatchError', SignerAddressMismatchError)

/** The drill key refuses real networks unless explicitly overridden. */
export class DrillKeyChainRefusedError extends EscapeError {
  override name = 'DrillKeyChainRefusedError'
  constructor(chainId: number, devnetChainId: number, options: Opts = {}) {
    super(`The drill key only signs for the devnet (chain ID ${devnetChainId}), not chain ID ${chainId}.`, {
      ...options,
      kind: 'critical',
      steps: ['Use your Ledger or an air-gapped file for real networks.', 'If this really is a throwaway test network, pass the explicit override (--allow-any-chain).'],
    })
  }
}
registerErrorClass('DrillKeyChainRefusedError', DrillKeyChainRefusedError)

export class SignerCapabilityError extends EscapeError {
  override name = 'SignerCapabilityError'
  constructor(what: string, signer: string, options: Opts = {}) {
    super(`${signer} cannot ${what}.`, { ...options, kind: 'critical', steps: ['Choose a signer that supports it (see the signer list).'] })
  }
}
registerErrorClass('SignerCapabilityError', SignerCapabilityError)
