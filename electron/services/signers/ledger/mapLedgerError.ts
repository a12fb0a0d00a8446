/**
 * Ledger errors → EscapeErrors with instructions (STYLE.md). hw-app-eth and the transports throw errors from
 * @ledgerhq/errors (possibly from another copy of the package), so matching is by `statusCode`, `name` and `id`,
 * never by instanceof.
 */
import { EscapeError } from '../../../../shared/errors/EscapeError'
import {
  LedgerAppNotOpenError,
  LedgerAppOutdatedError,
  LedgerBlindSigningDisabledError,
  LedgerBusyError,
  LedgerDeviceError,
  LedgerDisconnectedError,
  LedgerLockedError,
  LedgerUserRejectedError,
} from '../../../../shared/signing/errors'

export type LedgerOperation = 'get-configuration' | 'get-address' | 'show-address' | 'sign-transaction' | 'sign-message'

/** Status words (app-ethereum src/apdu_constants.h; ledger-secure-sdk for the OS ones). */
const LOCKED = [0x5515, 0x6982] // 0x6982: "security status not satisfied", what older firmware answers when locked
const APP_NOT_OPEN = [0x6e00, 0x6d00, 0x6511, 0x6e01]
// 0x6985 CONDITIONS_OF_USE_NOT_SATISFIED: the Ethereum app's "Reject"; 0x5501 USER_REFUSED_ON_DEVICE: the OS's (@ledgerhq/errors StatusCodes)
const USER_REJECTED = [0x6985, 0x5501]
const INVALID_DATA = 0x6a80
const TX_TYPE_NOT_SUPPORTED = 0x6501

const DISCONNECTED_NAMES = new Set(['DisconnectedDevice', 'DisconnectedDeviceDuringOperation', 'DisconnectedDeviceDuringOperationError'])
const BUSY_IDS = new Set(['TransportLocked', 'TransportRaceCondition', 'TransportRaceConditionError'])

export function ledgerStatusCode(error: unknown): number | undefined {
  const code = (error as { statusCode?: unknown } | null)?.statusCode
  return typeof code === 'number' ? code : undefined
}

/** True when the error means the device went away (cable, app switch re-enumeration, sleep). */
export function isLedgerDisconnect(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false
  const { name, id, message } = error as { name?: unknown; id?: unknown; message?: unknown }
  if (typeof name === 'string' && DISCONNECTED_NAMES.has(name)) return true
  if (typeof id === 'string' && DISCONNECTED_NAMES.has(id)) return true
  // node-hid's own wording when the device vanishes under a read or write
  return typeof message === 'string' && /cannot write to hid device|could not read from hid device|device (was )?disconnected/i.test(message)
}

export function isLedgerAppNotOpen(error: unknown): boolean {
  const code = ledgerStatusCode(error)
  return code !== undefined && APP_NOT_OPEN.includes(code)
}

export function mapLedgerError(error: unknown, operation: LedgerOperation): EscapeError {
  if (error instanceof EscapeError) return error
  const code = ledgerStatusCode(error)
  const name = (error as { name?: unknown } | null)?.name
  const id = (error as { id?: unknown } | null)?.id
  const options = { cause: error }
  if (name === 'LockedDeviceError' || (code !== undefined && LOCKED.includes(code))) return new LedgerLockedError(options)
  if (code !== undefined && APP_NOT_OPEN.includes(code)) return new LedgerAppNotOpenError(options)
  if (code !== undefined && USER_REJECTED.includes(code)) return new LedgerUserRejectedError(options)
  // hw-app-eth turns 0x6a80 during SIGN into EthAppPleaseEnableContractData (its remapTransactionRelatedErrors)
  if (name === 'EthAppPleaseEnableContractData' || (operation === 'sign-transaction' && code === INVALID_DATA)) return new LedgerBlindSigningDisabledError(options)
  if (code === TX_TYPE_NOT_SUPPORTED) return new LedgerAppOutdatedError(undefined, undefined, options)
  if (isLedgerDisconnect(error)) return new LedgerDisconnectedError(options)
  if ((typeof id === 'string' && BUSY_IDS.has(id)) || (typeof name === 'string' && BUSY_IDS.has(name))) return new LedgerBusyError(options)
  return new LedgerDeviceError(code, options)
}
