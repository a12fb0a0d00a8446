/**
 * A JSON file the user named on the command line, read with a size bound (a wrong path or a huge file is a clear
 * error, not a crash). Shared by the commands that take input files (`op replay-block`, `op genesis`).
 */
import { readUserTextFile } from '../services/files/readUserFile'
import { EscapeError } from '../../shared/errors/EscapeError'

const MAX_FILE_BYTES = 512 * 1024 * 1024

/** Read and parse `path`; `what` names the file in errors ("block", "genesis"). */
export async function readJsonFile(path: string, what: string): Promise<unknown> {
  const text = await readUserTextFile(path, { what: `${what} file`, maxBytes: MAX_FILE_BYTES })
  try {
    return JSON.parse(text) as unknown
  } catch (cause) {
    throw new EscapeError(`The ${what} file ${path} is not valid JSON.`, { kind: 'user-action', steps: ['Check that this is the right file.'], cause })
  }
}
