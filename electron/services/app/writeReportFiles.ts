/**
 * Reports the app writes for the user to keep or send to support (job reports, diagnoses): one HTML page and the
 * same facts as JSON, side by side in the data folder's reports/ directory, written atomically. Every URL in them is
 * cut to scheme and host on the way out (redactUrlsInText), whatever the caller passed: API keys live in URL paths.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { EscapeError } from '../../../shared/errors/EscapeError'
import { redactUrlsInText } from '../../../shared/errors/redactUrls'

export interface WrittenReport {
  htmlPath: string
  jsonPath: string
  bytes: number
}

export function writeReportFiles(dir: string, baseName: string, html: string, json: unknown): WrittenReport {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,150}$/.test(baseName)) throw new RangeError(`bad report name ${baseName}`)
  const files = [
    { file: path.join(dir, `${baseName}.html`), text: redactUrlsInText(html) },
    { file: path.join(dir, `${baseName}.json`), text: `${redactUrlsInText(JSON.stringify(json, null, 2))}\n` },
  ]
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
    for (const { file, text } of files) {
      const temporary = `${file}.${process.pid}.tmp`
      const fd = fs.openSync(temporary, 'w', 0o600)
      try {
        fs.writeFileSync(fd, text, 'utf8')
        fs.fsyncSync(fd)
      } finally {
        fs.closeSync(fd)
      }
      fs.renameSync(temporary, file)
    }
  } catch (cause) {
    throw new EscapeError(`The report could not be written to ${dir}.`, { kind: 'user-action', steps: ['Check the data folder is writable and has free space, then try again.'], cause })
  }
  return { htmlPath: files[0]!.file, jsonPath: files[1]!.file, bytes: files.reduce((n, f) => n + Buffer.byteLength(f.text, 'utf8'), 0) }
}
