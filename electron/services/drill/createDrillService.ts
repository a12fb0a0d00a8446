/**
 * Runs drills for the window: one at a time, in this process (Electron main or the bridge), cancellable, with
 * structured progress and the final report. A thin layer over the flows (runArbitrumDrill, runRetryableDrill,
 * runOpDrill): the drill itself — devnet, censorship, journaled job, checks — is the flow's, run exactly as the CLI
 * runs it, in the same drills folder.
 *
 * Progress comes from two places the flow already offers: its human messages (`onProgress`), and its escape job's
 * journal, which the service follows from the flow's `onJobStarted` hook (it listens to the store's `changed`
 * event). Step names and times are the journal's. The plan around the job's own steps has
 * two more: `devnet-setup` (until the flow opens the job's journal) and `drill-checks` (from the job's successful end
 * until the report).
 */
import * as path from 'node:path'
import { EscapeError, serializeError, toEscapeError, type SerializedError } from '../../../shared/errors/EscapeError'
import type { EventPayload } from '../../../shared/ipc/contract'
import { DrillAlreadyRunningError, DrillCancelledError, DrillReportNotFoundError } from '../../../shared/ipc/drillErrors'
import {
  DrillIdSchema,
  DrillReportSchema,
  applyDrillProgress,
  drillScenarioOf,
  summarizeDrillReport,
  type DrillListView,
  type DrillProgressEvent,
  type DrillReportView,
  type DrillRunView,
  type DrillScenario,
  type DrillStatusView,
  type DrillStepView,
  type ReportDestination,
  type SavedDrillReport,
  type StartDrillRequest,
} from '../../../shared/ipc/drillSchemas'
import { describeIssues } from '../../../shared/ipc/wire'
import type { JobState } from '../../../shared/journal/reduce'
import { ARBITRUM_ESCAPE_STEPS } from '../flows/arbitrum/arbitrumEscapeJob'
import { RETRYABLE_REDEEM_STEPS } from '../flows/arbitrum/retryable/redeemRetryableJob'
import { OP_ESCAPE_STEPS } from '../flows/op/opEscapeJob'
import type { JournalStore } from '../journal/JournalStore'
import { runArbitrumDrill } from './runArbitrumDrill'
import { runOpDrill } from './runOpDrill'
import { runRetryableDrill } from './runRetryableDrill'
import { diffDrillJob } from './diffDrillJob'
import { drillsDir, reportsDir, runsDir } from '../paths'
import { toDrillReportView, toOpDrillReportView, toRetryableDrillReportView } from './drillReportView'
import { listPastDrills } from './listPastDrills'
import { readDrillReportFile } from './readDrillReportFile'
import { drillReportFileName, saveDrillReportHtml } from './saveDrillReportHtml'
import { renderDrillReportHtml } from './renderDrillReport'
import type { FileDialog } from '../files/fileDialog'
import { FileDialogUnavailableError } from '../files/FileDialogUnavailableError'
import { writeFileAtChosenPath } from '../files/writeFileAtChosenPath'
import { writeDrillReportFile } from './writeDrillReportFile'
import { createRunRegistry, type RunRegistry } from '../jobs/createRunRegistry'

export const DRILL_SETUP_STEP = 'devnet-setup'
export const DRILL_CHECKS_STEP = 'drill-checks'
const MAX_MESSAGES = 500
const MAX_MESSAGE_CHARS = 2000

type DrillEventName = 'drillProgress' | 'drillFinished'

export interface CreateDrillServiceParameters {
  /** The data folder (electron/services/paths.ts): drills go to `<dataDir>/drills`, saved reports to `<dataDir>/reports`. */
  dataDir: string
  /** Send an event to the windows (the IPC router's publish). */
  publish<E extends DrillEventName>(event: E, payload: EventPayload<E>): void
  /** Bugs: a publish that failed, a report that does not match the schema, a report file that could not be kept. */
  onUnexpectedError?(error: unknown, where: string): void
  now?: () => Date
  /** The process's run registry (shared with rebuilds and escapes); a private one when omitted. */
  runs?: RunRegistry
  /** Native save dialogs (the app); behind the bridge there is none and the window sends a typed path. */
  fileDialog?: FileDialog
}

/** The registry key of drills: one at a time per process, and across processes through its lock. */
export const DRILL_RUN_KEY = 'drill'

export interface DrillService {
  /** Start a drill; throws DrillAlreadyRunningError while one runs. Returns at once; progress comes as events. */
  start(request: StartDrillRequest): { runId: string; startedAt: string }
  /** Ask the run to stop (its devnet is stopped before `drillFinished`). A run that is not the current one is 'unknown'. */
  cancel(runId: string): { status: DrillRunView['status'] | 'unknown' }
  /** The current run, or the last one since this process started. */
  status(): DrillStatusView
  list(): Promise<DrillListView>
  /**
   * Write a drill's report (this process's run, or one saved in the drills folder) as HTML: into reports/ by default,
   * where the user chooses in the save dialog, or at a typed path (checked: never a folder, a link or a device).
   */
  saveReport(drillId: string, to?: ReportDestination): Promise<SavedDrillReport>
  /** Resolves when no drill is running (at once when none is). */
  idle(): Promise<void>
  /** Cancel a running drill and wait until its devnet has stopped. */
  stop(): Promise<void>
}

export function createDrillService({ dataDir, publish, onUnexpectedError = () => {}, now = () => new Date(), runs: sharedRuns, fileDialog }: CreateDrillServiceParameters): DrillService {
  const dir = drillsDir(dataDir)
  const runs = sharedRuns ?? createRunRegistry({ lockDir: runsDir(dataDir), now, onUnexpectedError })
  let run: DrillRunView | undefined

  const safePublish = <E extends DrillEventName>(event: E, payload: EventPayload<E>) => {
    try {
      publish(event, payload)
    } catch (error) {
      onUnexpectedError(error, `drill event ${event}`)
    }
  }

  /** Fold one update into the snapshot and send it; the snapshot and the events can never disagree. */
  const emit = (runId: string, update: DrillProgressEvent['update']) => {
    if (!run || run.runId !== runId) return
    const event: DrillProgressEvent = { runId, seq: run.seq + 1, update }
    run = applyDrillProgress(run, event, MAX_MESSAGES)
    safePublish('drillProgress', event)
    runs.publish(runId, event)
  }

  const setStep = (runId: string, name: string, patch: Partial<DrillStepView>) => {
    const current = run?.steps.find((s) => s.name === name)
    if (!current) return
    const step = { ...current, ...patch }
    if (step.startedAt && step.finishedAt) step.durationMs = Math.max(0, Date.parse(step.finishedAt) - Date.parse(step.startedAt))
    emit(runId, { kind: 'step', step })
  }

  /** Listeners run inside the journal's append: they must never throw into the flow. */
  const guard = (where: string, f: () => void) => {
    try {
      f()
    } catch (error) {
      onUnexpectedError(error, where)
    }
  }

  const followJob = (runId: string, jobId: string, state: JobState) => {
    if (!run || run.runId !== runId) return
    if (run.jobId !== jobId) emit(runId, { kind: 'started', jobId })
    const diff = diffDrillJob(run, state)
    for (const step of diff.steps) emit(runId, { kind: 'step', step })
    for (const tx of diff.txs) emit(runId, { kind: 'tx', tx })
    // The flow runs its checks right after the job ends well (runArbitrumDrill.ts).
    if (state.status === 'succeeded' && run.steps.find((s) => s.name === DRILL_CHECKS_STEP)?.status === 'pending') {
      setStep(runId, DRILL_CHECKS_STEP, { status: 'started', startedAt: state.updatedAt, attempts: 1 })
    }
  }

  const execute = async (runId: string, request: StartDrillRequest, signal: AbortSignal, release: () => void): Promise<void> => {
    const t0 = performance.now()
    let drillDir: string | undefined
    let flowReport: DrillReportView | undefined
    let failure: unknown
    try {
      flowReport = await runFlow(request, {
        workDir: dir,
        signal,
        onProgress: (message) =>
          guard('drill progress', () => emit(runId, { kind: 'message', message: { at: now().toISOString(), text: clip(message) } })),
        onJobStarted: ({ store }) =>
          guard('drill journal', () => {
            drillDir = store.dir
            setStep(runId, DRILL_SETUP_STEP, { status: 'completed', finishedAt: now().toISOString() })
            const name = path.basename(store.dir)
            emit(runId, { kind: 'started', drillId: DrillIdSchema.safeParse(name).success ? name : undefined })
            store.on('changed', (jobId, state) => guard('drill journal', () => followJob(runId, jobId, state)))
          }),
      })
    } catch (error) {
      // The flow reports its failures in the report; a throw is a bug in it, shown as the run's error.
      failure = error
    }
    const cancelled = signal.aborted
    let report: DrillReportView | undefined
    let error: SerializedError | undefined
    if (flowReport) {
      const parsed = DrillReportSchema.safeParse(flowReport)
      if (parsed.success) report = parsed.data
      else {
        const malformed = new EscapeError('The drill finished, but its report could not be read.', {
          kind: 'critical',
          steps: [`Run the drill from a terminal (npx escape-hatch drill --stack ${request.stack} --scenario ${drillScenarioOf(request)}) to see its full report, and report this problem.`],
          details: describeIssues(parsed.error).join('\n'),
        })
        onUnexpectedError(malformed, 'drill report')
        error = serializeError(malformed)
      }
    } else {
      error = serializeError(toEscapeError(failure, 'The drill stopped unexpectedly.', { steps: ['Try again. If it fails again, run it from a terminal to see more, and report the details below.'] }))
    }
    const finishedAt = report?.finishedAt ?? now().toISOString()
    const status = report?.ok ? 'passed' : cancelled ? 'cancelled' : 'failed'

    // The journal on disk has the last word on the escape's steps.
    for (const s of report?.steps ?? []) {
      const known = run?.steps.find((k) => k.name === s.name)
      const stepStatus = s.status === 'completed' || s.status === 'failed' || s.status === 'started' ? s.status : undefined
      if (!stepStatus) continue
      const view: DrillStepView = { name: s.name, status: stepStatus, startedAt: s.startedAt, finishedAt: s.finishedAt, durationMs: s.durationMs, attempts: s.attempts }
      if (!known || known.status !== view.status || known.finishedAt !== view.finishedAt) emit(runId, { kind: 'step', step: view })
    }
    const checks = run?.steps.find((s) => s.name === DRILL_CHECKS_STEP)
    if (checks?.status === 'started' && report && !cancelled) {
      setStep(runId, DRILL_CHECKS_STEP, { status: report.checks.every((c) => c.ok) ? 'completed' : 'failed', finishedAt })
    }
    for (const s of run?.steps ?? []) {
      if (s.status === 'started') setStep(runId, s.name, { status: cancelled ? 'cancelled' : 'failed', finishedAt })
    }

    if (drillDir && report) {
      try {
        writeDrillReportFile(drillDir, { cancelled, report })
      } catch (writeError) {
        onUnexpectedError(writeError, 'drill report file')
        emit(runId, { kind: 'message', message: { at: now().toISOString(), text: `The report could not be kept next to the drill’s journal (${clip(String(writeError), 300)}); save it as HTML now if you need it.` } })
      }
    }
    if (run?.runId === runId) run = { ...run, report, error, finishedAt }
    emit(runId, { kind: 'status', status })
    release()
    safePublish('drillFinished', {
      runId,
      drillId: run?.drillId,
      status,
      summary: report
        ? summarizeDrillReport(report, cancelled)
        : { stack: request.stack, scenario: drillScenarioOf(request), ok: false, cancelled, wallTimeMs: Math.round(performance.now() - t0), checks: [], error },
    })
  }

  return {
    start(request) {
      const { stack, batchMode } = request
      const scenario = drillScenarioOf(request)
      const { runId, startedAt } = runs.start({
        key: DRILL_RUN_KEY,
        idPrefix: 'drill-run',
        alreadyRunning: (other) =>
          new DrillAlreadyRunningError(other.startedAt ?? run?.startedAt ?? `an unknown time, in another Escape Hatch window or command (process ${other.pid ?? 'unknown'})`),
        onStart: ({ runId, startedAt, interrupted }) => {
          run = { runId, stack, scenario, batchMode, status: 'running', startedAt, seq: 0, steps: plan(scenario), txs: [], messages: [] }
          setStep(runId, DRILL_SETUP_STEP, { status: 'started', startedAt, attempts: 1 })
          if (interrupted) {
            // A drill is not resumed: its devnet died with the process that ran it.
            emit(runId, {
              kind: 'message',
              message: { at: now().toISOString(), text: `An earlier drill (process ${interrupted.pid}) was stopped before it finished. A drill does not resume: this one starts from the beginning, on a new devnet.` },
            })
          }
        },
        // execute handles the flow's failures; the registry reports anything past it and frees the key.
        work: ({ runId, signal, release }) => execute(runId, request, signal, release),
      })
      return { runId, startedAt }
    },

    cancel(runId) {
      if (!run || run.runId !== runId) return { status: 'unknown' }
      if (run.status === 'running' && runs.cancel(runId, new DrillCancelledError())) {
        emit(runId, { kind: 'status', status: 'cancelling' })
        emit(runId, { kind: 'message', message: { at: now().toISOString(), text: 'Cancelling: stopping the devnet…' } })
      }
      return { status: run.status }
    },

    status: () => ({ run }),

    list: () => listPastDrills({ dir }),

    async saveReport(drillId, to = { kind: 'reports-folder' }) {
      if (!DrillIdSchema.safeParse(drillId).success) throw new DrillReportNotFoundError(drillId.slice(0, 100), 'missing')
      let source: { report: DrillReportView; cancelled: boolean } | undefined
      if (run && (run.runId === drillId || run.drillId === drillId)) {
        if (runs.get(run.runId)) throw new DrillReportNotFoundError(drillId, 'running')
        if (run.report) source = { report: run.report, cancelled: run.status === 'cancelled' }
      }
      source ??= readDrillReportFile(path.join(dir, drillId), drillId)
      if (!source) throw new DrillReportNotFoundError(drillId, 'missing')
      if (to.kind === 'reports-folder') return saveDrillReportHtml({ dir: reportsDir(dataDir), report: source.report, cancelled: source.cancelled })
      let target = to.kind === 'path' ? to.path : undefined
      if (to.kind === 'choose') {
        if (!fileDialog) throw new FileDialogUnavailableError()
        target = await fileDialog.chooseSavePath({ title: 'Save the drill report', defaultName: drillReportFileName(source.report, source.cancelled), filters: [{ name: 'HTML report', extensions: ['html'] }] })
        if (target === undefined) return { cancelled: true }
      }
      return writeFileAtChosenPath(target!, renderDrillReportHtml(source.report))
    },

    idle: () => runs.idle(DRILL_RUN_KEY),

    stop: () => runs.stop(new DrillCancelledError(), DRILL_RUN_KEY),
  }
}

/** The job steps each drill runs between its setup and its checks (an OP re-prove adds `<step>#2` lines as it goes). */
const JOB_STEPS: Record<DrillScenario, readonly string[]> = {
  escape: ARBITRUM_ESCAPE_STEPS,
  retryable: RETRYABLE_REDEEM_STEPS,
  censored: OP_ESCAPE_STEPS,
  'operator-gone': OP_ESCAPE_STEPS,
}

function plan(scenario: DrillScenario): DrillStepView[] {
  return [DRILL_SETUP_STEP, ...JOB_STEPS[scenario], DRILL_CHECKS_STEP].map((name) => ({ name, status: 'pending', attempts: 0 }))
}

interface FlowHooks {
  workDir: string
  signal: AbortSignal
  onProgress(message: string): void
  onJobStarted(started: { store: JournalStore; jobId: string }): void
}

/** The flow the request names, run as the CLI runs it; its report as the window's view. */
async function runFlow(request: StartDrillRequest, hooks: FlowHooks): Promise<DrillReportView> {
  const scenario = drillScenarioOf(request)
  if (request.stack === 'op') {
    const op = await runOpDrill({ ...hooks, scenario: scenario === 'operator-gone' ? 'operator-gone' : 'censored', dataAvailability: request.batchMode === 'blob' ? 'blobs' : 'calldata' })
    return toOpDrillReportView(op)
  }
  if (scenario === 'retryable') return toRetryableDrillReportView(await runRetryableDrill(hooks))
  return toDrillReportView(await runArbitrumDrill({ ...hooks, batchMode: request.batchMode }))
}

function clip(text: string, max = MAX_MESSAGE_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`
}
