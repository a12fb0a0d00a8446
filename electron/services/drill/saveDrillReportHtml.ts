/**
 * Writes a drill report as the flow's self-contained HTML page (renderDrillReport.ts) into the data folder's
 * reports/ directory. The name says what it is and when it ran; saving the same report again writes the same file.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { DrillReportWriteError } from '../../../shared/ipc/drillErrors'
import type { DrillReportView } from '../../../shared/ipc/drillSchemas'
import { renderDrillReportHtml } from './renderDrillReport'
import { writeFileAtomically } from '../files/writeFileAtChosenPath'

export interface SaveDrillReportHtmlParameters {
  dir: string
  report: DrillReportView
  cancelled: boolean
}

/** The report's file name: what it is, when it ran, how it ended. */
export function drillReportFileName(report: DrillReportView, cancelled: boolean): string {
  const outcome = report.ok ? 'passed' : cancelled ? 'cancelled' : 'failed'
  return `drill-${report.stack}-${report.scenario ?? 'escape'}-${report.startedAt.replace(/[:.]/g, '-')}-${outcome}.html`
}

export function saveDrillReportHtml({ dir, report, cancelled }: SaveDrillReportHtmlParameters): { path: string; bytes: number } {
  const file = path.join(dir, drillReportFileName(report, cancelled))
  const html = renderDrillReportHtml(report)
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
    return writeFileAtomically(file, html, 0o644)
  } catch (cause) {
    throw new DrillReportWriteError(dir, { cause })
  }
}
