/**
 * Writes a report where the user chose (a native dialog's answer or a path typed in the window). The path is
 * untrusted: it must be absolute, its folder an existing directory, and the target either absent or a regular file —
 * never a directory, a symbolic link, a device, a FIFO or a socket (writing to /dev/… or through a link somewhere
 * else is refused). Written to a temporary file in the same folder (created exclusively, 0600), fsynced, then
 * renamed over the target: a crash leaves the old file or none, never half of one. The caller passes content that
 * is already free of credentials (reports cut every URL to its host).
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { randomBytes } from 'node:crypto'
import { EscapeError } from '../../../shared/errors/EscapeError'

export const MAX_CHOSEN_PATH_CHARS = 4096

export class ChosenPathRefusedError extends EscapeError {
  constructor(target: string, why: string, options: { cause?: unknown } = {}) {
    super(`The report cannot be saved there: ${why}.`, {
      kind: 'user-action',
      steps: ['Choose a new file name in a folder you can write to (not a folder, a link or a device).'],
      details: target.slice(0, 300),
      ...(options.cause === undefined ? {} : { cause: options.cause }),
    })
    this.name = 'ChosenPathRefusedError'
  }
}

/** The checked, absolute path (throws ChosenPathRefusedError). */
export function checkChosenPath(target: string): string {
  if (typeof target !== 'string' || target.length === 0 || target.length > MAX_CHOSEN_PATH_CHARS || target.includes('\0')) throw new ChosenPathRefusedError(String(target), 'that is not a file path')
  if (!path.isAbsolute(target)) throw new ChosenPathRefusedError(target, 'give the full path, starting from the root of the disk')
  const file = path.normalize(target)
  if (file.endsWith(path.sep) || path.basename(file) === '') throw new ChosenPathRefusedError(target, 'that is a folder, not a file')
  let folder: fs.Stats
  try {
    folder = fs.statSync(path.dirname(file))
  } catch (cause) {
    throw new ChosenPathRefusedError(target, 'its folder does not exist', { cause })
  }
  if (!folder.isDirectory()) throw new ChosenPathRefusedError(target, 'its folder is not a folder')
  let existing: fs.Stats | undefined
  try {
    existing = fs.lstatSync(file)
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== 'ENOENT') throw new ChosenPathRefusedError(target, 'it cannot be checked', { cause })
  }
  if (existing) {
    if (existing.isDirectory()) throw new ChosenPathRefusedError(target, 'that is a folder, not a file')
    if (existing.isSymbolicLink()) throw new ChosenPathRefusedError(target, 'that is a link to another file')
    if (!existing.isFile()) throw new ChosenPathRefusedError(target, 'that is a device or another special file, not a regular file')
  }
  return file
}

export function writeFileAtChosenPath(target: string, content: string): { path: string; bytes: number } {
  const file = checkChosenPath(target)
  try {
    return writeFileAtomically(file, content, 0o600)
  } catch (cause) {
    throw new ChosenPathRefusedError(target, 'the file could not be written', { cause })
  }
}

/** Temporary file in the same folder (created exclusively), fsynced, renamed over `file`; the temporary is removed on failure. */
export function writeFileAtomically(file: string, content: string, mode: number): { path: string; bytes: number } {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  try {
    const fd = fs.openSync(temporary, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, mode)
    try {
      fs.writeFileSync(fd, content, 'utf8')
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
    fs.renameSync(temporary, file)
  } catch (error) {
    fs.rmSync(temporary, { force: true })
    throw error
  }
  return { path: file, bytes: Buffer.byteLength(content, 'utf8') }
}
