/**
 * Errors of the air-gapped file workflow. Each names the file problem and what to do; a mismatch names the field.
 */
import { EscapeError, registerErrorClass, type EscapeErrorOptions } from '../errors/EscapeError'

type Opts = Omit<EscapeErrorOptions, 'steps' | 'kind'>

export class TxFileInvalidError extends EscapeError {
  override name = 'TxFileInvalidError'
  constructor(what: string, options: Opts = {}) {
    super(`This is not a valid Escape Hatch transaction file: ${what}.`, {
      ...options,
      kind: 'user-action',
      steps: ['Check that you picked the right file (unsigned files are exported by Escape Hatch; signed files come from `escape-hatch sign-file`).', 'Export the unsigned file again if it was edited or damaged.'],
    })
  }
}
registerErrorClass('TxFileInvalidError', TxFileInvalidError)

export class TxFileChecksumError extends EscapeError {
  override name = 'TxFileChecksumError'
  constructor(options: Opts = {}) {
    super('The transaction file was changed after it was written (its checksum does not match).', {
      ...options,
      kind: 'critical',
      steps: ['Do not use this file. Export the unsigned transaction again and sign the new file.', 'If nobody edited it on purpose, treat the machine or USB stick it passed through as suspect.'],
    })
  }
}
registerErrorClass('TxFileChecksumError', TxFileChecksumError)

/** The signed file does not sign exactly the transaction this app asked for. Never broadcast it. */
export class TxFileMismatchError extends EscapeError {
  override name = 'TxFileMismatchError'
  readonly field: string
  constructor(field: string, expected: string, actual: string, options: Opts = {}) {
    super(`The signed transaction does not match the one Escape Hatch prepared: its ${field} differs.`, {
      ...options,
      kind: 'critical',
      details: options.details ?? `${field}: expected ${expected}, found ${actual}`,
      steps: [
        'Nothing was sent. Do not broadcast this file.',
        'Sign the unsigned file exported for this step again, on the offline machine, and import the result.',
        'If you did not change the file, treat the machine it passed through as compromised.',
      ],
    })
    this.field = field
  }
}
registerErrorClass('TxFileMismatchError', TxFileMismatchError)
