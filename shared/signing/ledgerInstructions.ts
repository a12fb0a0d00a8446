/**
 * What the user must do with their Ledger, from what it answered. The status words are turned into errors in main
 * (electron/services/signers/ledger/mapLedgerError: 0x5515 locked, 0x6511/0x6d00/0x6e00 app not open, 0x6a80 during
 * SIGN blind signing off, 0x6985 rejected); errors cross IPC by name, so this maps an error *name* to one device state
 * and one instruction. Pure: the Ledger screen (renderer) and main's signing feed both use it.
 */

export const LEDGER_DEVICE_STATES = ['not-connected', 'locked', 'app-not-open', 'blind-signing-off', 'rejected', 'app-outdated', 'busy', 'disconnected', 'unknown'] as const
export type LedgerDeviceState = (typeof LEDGER_DEVICE_STATES)[number]

export interface LedgerInstruction {
  state: LedgerDeviceState
  /** One line: what to do. */
  title: string
  /** Then, in order. */
  steps: string[]
  /** The retry button's label. */
  retry: string
}

const BY_ERROR_NAME: Readonly<Record<string, LedgerDeviceState>> = {
  LedgerNotFoundError: 'not-connected',
  LedgerLockedError: 'locked',
  LedgerAppNotOpenError: 'app-not-open',
  LedgerBlindSigningDisabledError: 'blind-signing-off',
  LedgerUserRejectedError: 'rejected',
  LedgerAppOutdatedError: 'app-outdated',
  LedgerBusyError: 'busy',
  LedgerDisconnectedError: 'disconnected',
  LedgerDeviceError: 'unknown',
}

/** The device state an error means, or undefined when it is not a Ledger error (an RPC failure, say). */
export function ledgerStateOfError(error: unknown): LedgerDeviceState | undefined {
  const name = (error as { name?: unknown } | null | undefined)?.name
  return typeof name === 'string' ? BY_ERROR_NAME[name] : undefined
}

const INSTRUCTIONS: Readonly<Record<LedgerDeviceState, Omit<LedgerInstruction, 'state'>>> = {
  'not-connected': {
    title: 'Connect your Ledger and unlock it.',
    steps: [
      'Plug the Ledger into this computer with a USB data cable (a charge-only cable will not do).',
      'Unlock it with your PIN.',
      'Close Ledger Live and any other wallet that may be using it.',
      "On Linux, install Ledger's udev rules (vendor 2c97), then plug it in again.",
    ],
    retry: 'Check again',
  },
  locked: {
    title: 'Your Ledger is locked: unlock it with your PIN.',
    steps: ['Type your PIN on the device.', 'Then open the Ethereum app and press the button below.'],
    retry: 'Try again',
  },
  'app-not-open': {
    title: 'Open the Ethereum app on your Ledger.',
    steps: ['On the device, choose the Ethereum app and open it (install it with Ledger Live if it is missing).', 'Wait until it says "Application is ready", then press the button below.'],
    retry: 'Try again',
  },
  'blind-signing-off': {
    title: 'Enable blind signing in the Ethereum app’s Settings.',
    steps: [
      'The escape calls rollup contracts: your Ledger cannot show their details and asks for blind signing.',
      'On the device, in the Ethereum app, open Settings and turn on "Blind signing".',
      'When you approve, compare the hash the device shows with the one shown here.',
    ],
    retry: 'Try again',
  },
  rejected: {
    title: 'You rejected it on the device; try again.',
    steps: ['Nothing was signed or sent.', 'Press the button below and approve on the Ledger once the hash and address match the ones shown here.'],
    retry: 'Try again',
  },
  'app-outdated': {
    title: 'Update the Ethereum app on your Ledger.',
    steps: ['Open Ledger Live, update the device firmware if asked, then the Ethereum app.', 'Open the Ethereum app again and press the button below.'],
    retry: 'Try again',
  },
  busy: {
    title: 'Your Ledger is busy with another request.',
    steps: ['Finish or reject what the device shows now, and close Ledger Live or any other wallet app.', 'Then press the button below.'],
    retry: 'Try again',
  },
  disconnected: {
    title: 'Your Ledger was disconnected before it finished; nothing was signed.',
    steps: ['Plug it in again, unlock it and open the Ethereum app.', 'Then press the button below.'],
    retry: 'Try again',
  },
  unknown: {
    title: 'Your Ledger answered with an error.',
    steps: ['Unlock the device and open the Ethereum app.', 'If it keeps failing, update the Ethereum app and the firmware in Ledger Live.'],
    retry: 'Try again',
  },
}

export function ledgerInstruction(state: LedgerDeviceState): LedgerInstruction {
  const i = INSTRUCTIONS[state]
  return { state, title: i.title, steps: [...i.steps], retry: i.retry }
}

/** The instruction for an error, or undefined when it is not a Ledger error. */
export function ledgerInstructionForError(error: unknown): LedgerInstruction | undefined {
  const state = ledgerStateOfError(error)
  return state === undefined ? undefined : ledgerInstruction(state)
}
