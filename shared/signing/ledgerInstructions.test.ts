// Every Ledger error class maps to one device state and its instruction, also after crossing IPC (by name).
import { describe, expect, it } from 'vitest'
import { deserializeError, EscapeError, serializeError } from '../errors/EscapeError'
import {
  LedgerAppNotOpenError,
  LedgerAppOutdatedError,
  LedgerBlindSigningDisabledError,
  LedgerBusyError,
  LedgerDeviceError,
  LedgerDisconnectedError,
  LedgerLockedError,
  LedgerNotFoundError,
  LedgerUserRejectedError,
} from './errors'
import { LEDGER_DEVICE_STATES, ledgerInstruction, ledgerInstructionForError, ledgerStateOfError } from './ledgerInstructions'

describe('ledgerInstructions', () => {
  it('maps each Ledger error, serialized and back, to its state and the instruction the screen shows', () => {
    const cases = [
      [new LedgerNotFoundError(), 'not-connected', 'Connect your Ledger and unlock it.'],
      [new LedgerLockedError(), 'locked', 'Your Ledger is locked: unlock it with your PIN.'],
      [new LedgerAppNotOpenError(), 'app-not-open', 'Open the Ethereum app on your Ledger.'],
      [new LedgerBlindSigningDisabledError(), 'blind-signing-off', 'Enable blind signing in the Ethereum app’s Settings.'],
      [new LedgerUserRejectedError(), 'rejected', 'You rejected it on the device; try again.'],
      [new LedgerAppOutdatedError('1.9.0', '1.10.0'), 'app-outdated', 'Update the Ethereum app on your Ledger.'],
      [new LedgerBusyError(), 'busy', 'Your Ledger is busy with another request.'],
      [new LedgerDisconnectedError(), 'disconnected', 'Your Ledger was disconnected before it finished; nothing was signed.'],
      [new LedgerDeviceError(0x6f00), 'unknown', 'Your Ledger answered with an error.'],
    ] as const
    for (const [error, state, title] of cases) {
      const crossed = deserializeError(serializeError(error))
      expect(ledgerStateOfError(crossed)).toBe(state)
      expect(ledgerInstructionForError(crossed)).toMatchObject({ state, title })
    }
    expect(new Set(cases.map((c) => c[1]))).toEqual(new Set(LEDGER_DEVICE_STATES))
  })

  it('is silent for errors that are not the device’s', () => {
    expect(ledgerInstructionForError(new EscapeError('The L1 endpoint is down.'))).toBeUndefined()
    expect(ledgerInstructionForError(new Error('x'))).toBeUndefined()
    expect(ledgerInstructionForError(undefined)).toBeUndefined()
    expect(ledgerInstructionForError('LedgerLockedError')).toBeUndefined()
  })

  it('gives every state steps and a retry label, and hands out copies', () => {
    for (const state of LEDGER_DEVICE_STATES) {
      const i = ledgerInstruction(state)
      expect(i.steps.length).toBeGreaterThan(0)
      expect(i.retry).toMatch(/^(Try|Check) again$/)
      i.steps.push('x')
      expect(ledgerInstruction(state).steps).not.toContain('x')
    }
  })
})
