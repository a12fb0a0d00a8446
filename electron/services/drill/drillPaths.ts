/** The report kept next to a drill's journal (by the CLI and the app, every stack), so the drills list can show its checks later. */
export const DRILL_REPORT_FILE = 'drill-report.json'
