/**
 * Read a file the user named, never more than `maxBytes` + 1 bytes whatever it is: the size stat reports is not
 * trusted (special files such as /dev/zero report 0, pipes have none), so the bytes are counted as they stream in
 * and reading stops at the first byte over the limit.
 */
import { open, type FileHandle } from 'node:fs/promises'
import { EscapeError } from '../../../shared/errors/EscapeError'

export interface ReadBoundedFileParameters {
  path: string
  maxBytes: number
  /** How messages name the file (default: the path). */
  label?: string
  /** What the file should be, for the "too large" message, e.g. "a network file". */
  expected?: string
}

export async function readBoundedFile({ path, maxBytes, label = path, expected = 'the file this command reads' }: ReadBoundedFileParameters): Promise<Uint8Array> {
  let handle: FileHandle
  try {
    handle = await open(path, 'r')
  } catch (error) {
    throw cannotRead(label, error)
  }
  try {
    const chunks: Buffer[] = []
    let total = 0
    // `end` is inclusive: at most maxBytes + 1 bytes are read, enough to tell "too large" from "exactly the limit".
    // No `start`: a pipe cannot seek (positioned reads fail with ESPIPE).
    for await (const chunk of handle.createReadStream({ end: maxBytes, autoClose: false, highWaterMark: 64 * 1024 })) {
      const bytes = chunk as Buffer
      total += bytes.length
      if (total > maxBytes) {
        throw new EscapeError(`${label} is too large: more than ${maxBytes} bytes, larger than ${expected} can be.`, {
          kind: 'user-action',
          steps: ['Check the path: give the file itself, not a device, a pipe or a folder.'],
        })
      }
      chunks.push(bytes)
    }
    return new Uint8Array(Buffer.concat(chunks, total))
  } catch (error) {
    if (error instanceof EscapeError) throw error
    throw cannotRead(label, error)
  } finally {
    await handle.close().catch(() => undefined)
  }
}

function cannotRead(label: string, error: unknown): EscapeError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  const why = code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'permission denied' : undefined
  return new EscapeError(`Cannot read ${label}${why ? `: ${why}` : ''}.`, {
    kind: 'user-action',
    steps: ['Check the file path.'],
    details: error instanceof Error ? error.message : String(error),
    cause: error,
  })
}
