/** The report kept next to a drill's journal (by the CLI and the app), so the drills list can show its checks later. */
export const DRILL_REPORT_FILE = 'drill-report.json'
/** The OP drill's report, kept the same way (its own shape: the app's drill screen runs the Arbitrum drill). */
export const OP_DRILL_REPORT_FILE = 'op-drill-report.json'
