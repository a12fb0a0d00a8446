import { EscapeError } from '../../../shared/errors/EscapeError'

/** A window asked main to open a save dialog where there is none (behind the loopback bridge): it should send a typed path. */
export class FileDialogUnavailableError extends EscapeError {
  constructor() {
    super('This window cannot open a file dialog.', { kind: 'user-action', steps: ['Type the full path of the file to save, then save again.'] })
    this.name = 'FileDialogUnavailableError'
  }
}
