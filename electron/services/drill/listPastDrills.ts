/**
 * The drills kept in the drills folder, newest first: for each run folder, its saved report's summary when the app
 * ran it, and what its escape job's journal says (CLI runs have only the journal). A folder that cannot be read
 * becomes an entry with a one-sentence problem, never a failure of the whole list.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { summarizeDrillReport, type DrillListView, type DrillScenario, type DrillStack, type PastDrillView } from '../../../shared/ipc/drillSchemas'
import { EscapeError } from '../../../shared/errors/EscapeError'
import { JournalStore } from '../journal/JournalStore'
import { readDrillReportFile } from './readDrillReportFile'

/**
 * Folders the flows create, with the start time (`:` and `.` as `-`): `arbitrum-drill-<time>` (runArbitrumDrill.ts),
 * `arbitrum-retryable-drill-<time>` (runRetryableDrill.ts), `op-drill-<scenario>-<time>` (runOpDrill.ts).
 */
const DRILL_FOLDER = /^(arbitrum-drill|arbitrum-retryable-drill|op-drill-censored|op-drill-operator-gone)-(\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z)$/
const FOLDER_KIND: Record<string, { stack: DrillStack; scenario: DrillScenario }> = {
  'arbitrum-drill': { stack: 'arbitrum', scenario: 'escape' },
  'arbitrum-retryable-drill': { stack: 'arbitrum', scenario: 'retryable' },
  'op-drill-censored': { stack: 'op', scenario: 'censored' },
  'op-drill-operator-gone': { stack: 'op', scenario: 'operator-gone' },
}

export interface ListPastDrillsParameters {
  dir: string
  /** Newest first, at most this many (each is a few small file reads). */
  limit?: number
}

export async function listPastDrills({ dir, limit = 100 }: ListPastDrillsParameters): Promise<DrillListView> {
  let names: string[]
  try {
    names = fs.readdirSync(dir, { withFileTypes: true }).filter((e) => e.isDirectory() && DRILL_FOLDER.test(e.name)).map((e) => e.name)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { drills: [], truncated: false }
    throw new EscapeError('The drills folder cannot be read.', { kind: 'user-action', steps: [`Check that ${dir} is readable.`], cause: error })
  }
  // The folder name carries the start time in a sortable form (after the drill's kind).
  const time = (name: string) => DRILL_FOLDER.exec(name)?.[2] ?? ''
  names.sort((a, b) => (time(a) < time(b) ? 1 : time(a) > time(b) ? -1 : a < b ? 1 : -1))
  const drills: PastDrillView[] = []
  for (const name of names.slice(0, limit)) drills.push(await readPastDrill(dir, name))
  return { drills, truncated: names.length > limit }
}

async function readPastDrill(dir: string, drillId: string): Promise<PastDrillView> {
  const drillDir = path.join(dir, drillId)
  const entry: PastDrillView = { drillId, startedAt: startTimeOf(drillId), ...FOLDER_KIND[DRILL_FOLDER.exec(drillId)?.[1] ?? ''] }
  const problems: string[] = []
  try {
    const file = readDrillReportFile(drillDir, drillId)
    if (file) {
      entry.summary = summarizeDrillReport(file.report, file.cancelled)
      entry.startedAt = file.report.startedAt
    }
  } catch (error) {
    problems.push(error instanceof EscapeError ? `${error.shortMessage} ${error.details ?? ''}`.trim() : String(error))
  }
  const store = await JournalStore.open(drillDir)
  try {
    const { jobs, problems: journalProblems } = await store.list()
    const job = jobs[jobs.length - 1] // one escape job per drill; if there were more, the oldest is the drill's
    if (job) {
      const { state } = await store.load(job.id)
      entry.job = { jobId: job.id, status: job.status, stepsCompleted: state.steps.filter((s) => s.status === 'completed').length }
    }
    if (journalProblems.length > 0) problems.push('Its journal has defects; open it from the command line to see them.')
  } catch (error) {
    problems.push(error instanceof EscapeError ? error.shortMessage : String(error))
  } finally {
    store.close()
  }
  if (problems.length > 0) entry.problem = problems.join(' ').slice(0, 2000)
  return entry
}

function startTimeOf(drillId: string): string | undefined {
  const m = DRILL_FOLDER.exec(drillId)?.[2]
  if (!m) return undefined
  // 2026-11-21T20-44-58-971Z → 2026-11-21T20:44:58.971Z
  const iso = `${m.slice(0, 13)}:${m.slice(14, 16)}:${m.slice(17, 19)}.${m.slice(20)}`
  return Number.isNaN(Date.parse(iso)) ? undefined : iso
}
