/**
 * Where drills keep their files inside the data folder. The drills folder is the one the CLI uses
 * (electron/cli/commands/drill.ts passes `<dataDir>/drills` to the flow), so drills run from either show up in both.
 */
import * as path from 'node:path'

/** One sub-folder per drill run (named by the flow), holding its journal and, for app runs, its report. */
export function drillsDir(dataDir: string): string {
  return path.join(dataDir, 'drills')
}

/** Reports the user saved as HTML. */
export function reportsDir(dataDir: string): string {
  return path.join(dataDir, 'reports')
}

/** The report the app keeps next to a drill's journal, so the drills list can show its checks later. */
export const DRILL_REPORT_FILE = 'drill-report.json'
