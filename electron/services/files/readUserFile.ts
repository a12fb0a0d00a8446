/**
 * The one way to read a file the user names on the command line or picks in the app (a rollup.json, a network file,
 * a batcher transaction, a signed or unsigned transaction file, a witness, a mnemonic file). Such a file is untrusted
 * and may not be a file at all: `/dev/zero`, a pipe or a FIFO report size 0 and never end, so `stat` cannot be
 * trusted for the size. The reader reads at most `maxBytes + 1` bytes whatever `stat` says, refuses folders, stops
 * when the command is interrupted, and fails with an error naming the file and what to do.
 */
import * as fs from 'node:fs'
import { EscapeError, registerErrorClass } from '../../../shared/errors/EscapeError'

export class UserFileError extends EscapeError {
  override name = 'UserFileError'
}
registerErrorClass('UserFileError', UserFileError)

export interface ReadUserFileParameters {
  /** What the file should be, in the user's words: "rollup config", "batcher transaction", "network file". */
  what: string
  /** The most bytes such a file can have; one byte more is refused. */
  maxBytes: number
  /** Aborted when the command is interrupted (SIGINT/SIGTERM): the read stops at the next chunk. */
  signal?: AbortSignal | undefined
}
export type ReadUserFileReturnType = Uint8Array
export type ReadUserFileErrorType = UserFileError

const CHUNK_BYTES = 64 * 1024

/** The file's bytes, at most `maxBytes` of them. */
export async function readUserFile(file: string, { what, maxBytes, signal }: ReadUserFileParameters): Promise<ReadUserFileReturnType> {
  signal?.throwIfAborted()
  let handle: fs.promises.FileHandle
  try {
    handle = await fs.promises.open(file, 'r')
  } catch (cause) {
    throw cannotOpen(file, what, cause)
  }
  try {
    const stats = await handle.stat()
    checkNotFolder(stats, file, what)
    // A regular file's size is a good first guess (no copy at the end); special files say 0, so start small and grow.
    let buffer = new Uint8Array(Math.min(maxBytes + 1, stats.isFile() && stats.size > 0 ? stats.size + 1 : CHUNK_BYTES))
    let total = 0
    for (;;) {
      signal?.throwIfAborted()
      if (total === buffer.length) {
        const grown = new Uint8Array(Math.min(maxBytes + 1, buffer.length * 2))
        grown.set(buffer)
        buffer = grown
      }
      let bytesRead: number
      try {
        // Never more than one byte past the limit: enough to know the file is too large.
        ;({ bytesRead } = await handle.read(buffer, total, Math.min(CHUNK_BYTES * 16, buffer.length - total), null))
      } catch (cause) {
        throw cannotRead(file, what, cause)
      }
      if (bytesRead === 0) break
      total += bytesRead
      if (total > maxBytes) throw tooLarge(file, what, maxBytes)
    }
    return buffer.subarray(0, total)
  } finally {
    await handle.close()
  }
}

/** The file as UTF-8 text; bytes that are not UTF-8 are refused rather than replaced. */
export async function readUserTextFile(file: string, parameters: ReadUserFileParameters): Promise<string> {
  return decodeText(await readUserFile(file, parameters), file, parameters.what)
}

/**
 * The same rules for the few synchronous call sites (small secrets read while a signer is opened). Only for small
 * limits: a synchronous read cannot be interrupted, which is fine for a few kilobytes but not for megabytes.
 */
export function readUserTextFileSync(file: string, { what, maxBytes }: Omit<ReadUserFileParameters, 'signal'>): string {
  let fd: number
  try {
    fd = fs.openSync(file, 'r')
  } catch (cause) {
    throw cannotOpen(file, what, cause)
  }
  try {
    checkNotFolder(fs.fstatSync(fd), file, what)
    const buffer = new Uint8Array(maxBytes + 1)
    let total = 0
    for (;;) {
      let n: number
      try {
        n = fs.readSync(fd, buffer, total, buffer.length - total, null)
      } catch (cause) {
        throw cannotRead(file, what, cause)
      }
      if (n === 0) break
      total += n
      if (total > maxBytes) throw tooLarge(file, what, maxBytes)
    }
    return decodeText(buffer.subarray(0, total), file, what)
  } finally {
    fs.closeSync(fd)
  }
}

function checkNotFolder(stats: fs.Stats, file: string, what: string): void {
  if (stats.isDirectory()) {
    throw new UserFileError(`${file} is a folder, not a ${what}.`, { kind: 'user-action', steps: [`Give the path of the ${what} itself.`] })
  }
}

function cannotOpen(file: string, what: string, cause: unknown): UserFileError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code
  const reason = code === 'ENOENT' ? 'there is no such file' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : 'it cannot be opened'
  return new UserFileError(`Cannot read the ${what} ${file}: ${reason}.`, { kind: 'user-action', cause, steps: ['Check the path and that the file (or USB stick) is readable.'] })
}

function cannotRead(file: string, what: string, cause: unknown): UserFileError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code
  if (code === 'EISDIR') return new UserFileError(`${file} is a folder, not a ${what}.`, { kind: 'user-action', cause, steps: [`Give the path of the ${what} itself.`] })
  return new UserFileError(`Reading the ${what} ${file} failed.`, { kind: 'user-action', cause, steps: ['Check that the file (or USB stick) is still there and readable, then try again.'] })
}

function tooLarge(file: string, what: string, maxBytes: number): UserFileError {
  return new UserFileError(`${file} is larger than ${formatBytes(maxBytes)}, more than a ${what} can be.`, {
    kind: 'user-action',
    steps: [`Check that this is the ${what} you meant. Special files (such as /dev/zero) and endless pipes are refused.`],
    details: `read stopped after ${maxBytes + 1} bytes`,
  })
}

function decodeText(bytes: Uint8Array, file: string, what: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch (cause) {
    throw new UserFileError(`The ${what} ${file} is not UTF-8 text.`, { kind: 'user-action', cause, steps: [`Check that this is the ${what} you meant.`] })
  }
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`
  return `${n} bytes`
}
