/**
 * Reading and writing air-gapped transaction files. Reads are bounded (an imported file is untrusted); writes are
 * atomic (temp file, fsync, rename) so a half-written file is never carried to the other machine, and never
 * overwrite an existing file unless asked.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { randomBytes } from 'node:crypto'
import { EscapeError } from '../../../../shared/errors/EscapeError'
import { MAX_TX_FILE_BYTES } from '../../../../shared/signing/txFile'
import { TxFileInvalidError } from '../../../../shared/signing/txFileErrors'
import { readUserFile } from '../../files/readUserFile'

export async function readTxFileText(file: string): Promise<string> {
  const text = Buffer.from(await readUserFile(file, { what: 'transaction file', maxBytes: MAX_TX_FILE_BYTES })).toString('utf8')
  if (text.includes('\uFFFD')) throw new TxFileInvalidError('it is not UTF-8 text')
  return text
}

export async function writeTxFile(file: string, text: string, options: { overwrite?: boolean } = {}): Promise<void> {
  if (!options.overwrite && fs.existsSync(file)) {
    throw new EscapeError(`${file} already exists.`, { kind: 'user-action', steps: ['Choose another output file, or pass --force to replace it.'] })
  }
  const dir = path.dirname(path.resolve(file))
  const tmp = path.join(dir, `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`)
  try {
    const fd = fs.openSync(tmp, 'wx', 0o600)
    try {
      fs.writeSync(fd, text)
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
    fs.renameSync(tmp, file)
    try {
      const dfd = fs.openSync(dir, 'r')
      fs.fsyncSync(dfd)
      fs.closeSync(dfd)
    } catch {
      // Directory fsync is not supported everywhere (Windows); the rename is still atomic.
    }
  } catch (cause) {
    fs.rmSync(tmp, { force: true })
    if (cause instanceof EscapeError) throw cause
    throw new EscapeError(`Cannot write ${file}.`, { kind: 'user-action', cause, steps: ['Check that the folder exists and is writable (and the USB stick is not full or read-only).'] })
  }
}
