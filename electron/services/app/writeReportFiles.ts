/**
 * Reports the app writes for the user to keep or send to support (job reports, diagnoses): one HTML page and the
 * same facts as JSON, side by side — in the data folder's reports/ directory (the default), or where the user chose
 * (the native save dialog in the app, a typed path behind the loopback bridge; the JSON goes beside the HTML with the
 * same name ending in .json). Both are written by the one atomic writer (files/writeFileAtChosenPath.ts); a chosen
 * path is checked as the drill report's is. Every URL in them is cut to scheme and host on the way out
 * (redactUrlsInText), whatever the caller passed: API keys live in URL paths.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { EscapeError } from '../../../shared/errors/EscapeError'
import { redactUrlsInText } from '../../../shared/errors/redactUrls'
import type { ReportDestination } from '../../../shared/ipc/drillSchemas'
import type { FileDialog } from '../files/fileDialog'
import { FileDialogUnavailableError } from '../files/FileDialogUnavailableError'
import { checkChosenPath, ChosenPathRefusedError, writeFileAtChosenPath, writeFileAtomically } from '../files/writeFileAtChosenPath'

export interface WrittenReport {
  htmlPath: string
  jsonPath: string
  bytes: number
}

function contents(html: string, json: unknown): { html: string; json: string } {
  return { html: redactUrlsInText(html), json: `${redactUrlsInText(JSON.stringify(json, null, 2))}\n` }
}

export function writeReportFiles(dir: string, baseName: string, html: string, json: unknown): WrittenReport {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,150}$/.test(baseName)) throw new RangeError(`bad report name ${baseName}`)
  const text = contents(html, json)
  const htmlPath = path.join(dir, `${baseName}.html`)
  const jsonPath = path.join(dir, `${baseName}.json`)
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
    writeFileAtomically(htmlPath, text.html, 0o600)
    writeFileAtomically(jsonPath, text.json, 0o600)
  } catch (cause) {
    throw new EscapeError(`The report could not be written to ${dir}.`, { kind: 'user-action', steps: ['Check the data folder is writable and has free space, then try again.'], cause })
  }
  return { htmlPath, jsonPath, bytes: Buffer.byteLength(text.html, 'utf8') + Buffer.byteLength(text.json, 'utf8') }
}

/** The JSON's path beside a chosen HTML path: `report.html` → `report.json`, `report` → `report.json`. */
export function jsonPathBeside(htmlPath: string): string {
  const ext = path.extname(htmlPath)
  return /^\.html?$/i.test(ext) ? `${htmlPath.slice(0, -ext.length)}.json` : `${htmlPath}.json`
}

/** The HTML at the user's (untrusted) path, the JSON beside it; both paths checked before either is written. */
export function writeReportFilesAtChosenPath(target: string, html: string, json: unknown): WrittenReport {
  const htmlPath = checkChosenPath(target)
  if (/\.json$/i.test(htmlPath)) throw new ChosenPathRefusedError(target, 'name the .html file (the .json file goes beside it)')
  const jsonPath = checkChosenPath(jsonPathBeside(htmlPath))
  const text = contents(html, json)
  const a = writeFileAtChosenPath(htmlPath, text.html)
  const b = writeFileAtChosenPath(jsonPath, text.json)
  return { htmlPath: a.path, jsonPath: b.path, bytes: a.bytes + b.bytes }
}

export interface SaveReportParameters {
  to: ReportDestination | undefined
  /** The data folder's reports/ directory and the file name there (no extension). */
  dir: string
  baseName: string
  html: string
  json: unknown
  fileDialog: FileDialog | undefined
  /** The save dialog's title, e.g. "Save the diagnosis report". */
  title: string
}

/** Writes the report where `to` says; `{ cancelled: true }` when the user closed the save dialog. */
export async function saveReport(p: SaveReportParameters): Promise<WrittenReport | { cancelled: true }> {
  const to = p.to ?? { kind: 'reports-folder' }
  if (to.kind === 'reports-folder') return writeReportFiles(p.dir, p.baseName, p.html, p.json)
  if (to.kind === 'path') return writeReportFilesAtChosenPath(to.path, p.html, p.json)
  if (!p.fileDialog) throw new FileDialogUnavailableError()
  const chosen = await p.fileDialog.chooseSavePath({ title: p.title, defaultName: `${p.baseName}.html`, filters: [{ name: 'HTML report (the JSON is saved beside it)', extensions: ['html'] }] })
  return chosen === undefined ? { cancelled: true } : writeReportFilesAtChosenPath(chosen, p.html, p.json)
}
