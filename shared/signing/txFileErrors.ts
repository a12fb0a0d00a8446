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

/**
 * An unsigned request file whose own description (its `intent`) says something its transaction bytes do not: refused
 * on the offline machine before anything is signed. Names the field, what the file says, and what the bytes say.
 */
export class TxFileDescriptionMismatchError extends EscapeError {
  override name = 'TxFileDescriptionMismatchError'
  readonly field: string
  readonly described: string
  readonly decoded: string
  constructor(field: string, described: string, decoded: string, options: Opts = {}) {
    super(`This request file describes a different transaction from the one it would sign: its ${field} says ${described}, but the transaction bytes say ${decoded}.`, {
      ...options,
      kind: 'critical',
      details: options.details ?? `${field}: described ${described}, decoded from the bytes ${decoded}`,
      steps: [
        'Nothing was signed. Do not sign this file.',
        'On the online machine, create the request again (resume the job, or export the step again) and carry the new file.',
        'If you did not change the file, treat the machine or USB stick it passed through as compromised.',
      ],
    })
    this.field = field
    this.described = described
    this.decoded = decoded
  }
}
registerErrorClass('TxFileDescriptionMismatchError', TxFileDescriptionMismatchError)

/** Escape Hatch cannot say what the transaction does (unknown chain, contract or function): signing it is blind. */
export class TxFileBlindSigningError extends EscapeError {
  override name = 'TxFileBlindSigningError'
  constructor(problems: readonly string[], options: Opts = {}) {
    super('Escape Hatch cannot tell what this transaction does, so signing it would be blind. Nothing was signed (--blind signs it anyway).', {
      ...options,
      kind: 'user-action',
      details: options.details ?? problems.join(' '),
      steps: [
        'If the request is for a devnet or a custom chain, name its network so its contracts are recognised: --network ID|FILE.',
        'Sign it anyway only if you know exactly what it does and who made it: add --blind.',
      ],
    })
  }
}
registerErrorClass('TxFileBlindSigningError', TxFileBlindSigningError)
