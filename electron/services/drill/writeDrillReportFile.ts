/**
 * Keeps a drill's report next to its journal (`<drill folder>/drill-report.json`), so the drills list can show the
 * checks of past runs and the report can be saved as HTML later. Written to a temporary name, fsynced, then renamed:
 * a crash leaves the old file or none, never half of one.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { redactUrlsDeep } from '../../../shared/errors/redactUrls'
import type { DrillReportView } from '../../../shared/ipc/drillSchemas'
import { DRILL_REPORT_FILE } from './drillPaths'

export interface DrillReportFile {
  version: 1
  /** The user cancelled the run (the report then carries DrillCancelledError or whatever the abort caused). */
  cancelled: boolean
  report: DrillReportView
}

export function writeDrillReportFile(drillDir: string, content: Omit<DrillReportFile, 'version'>): string {
  return writeReportFile(path.join(drillDir, DRILL_REPORT_FILE), { version: 1, ...content })
}

function writeReportFile(file: string, content: object): string {
  const temporary = `${file}.${process.pid}.tmp`
  // A report leaves the machine: no URL beyond its host in it (issue 14 #4).
  const data = redactUrlsDeep(content)
  const fd = fs.openSync(temporary, 'w', 0o600)
  try {
    fs.writeFileSync(fd, `${JSON.stringify(data, null, 2)}\n`, 'utf8')
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
  fs.renameSync(temporary, file)
  return file
}
