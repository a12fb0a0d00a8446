/**
 * Errors of the drill channels. In shared/ so both sides register them: the service throws them, the window
 * re-hydrates them as the same classes (the renderer's drill store imports this module).
 */
import { EscapeError, registerErrorClass, type EscapeErrorOptions } from '../errors/EscapeError'

type Options = Omit<EscapeErrorOptions, 'steps' | 'kind'>

/** A second drill was started while one is running: one devnet at a time. */
export class DrillAlreadyRunningError extends EscapeError {
  override name = 'DrillAlreadyRunningError'
  constructor(runningSince: string, options: Options = {}) {
    super('A drill is already running.', {
      ...options,
      kind: 'user-action',
      steps: ['Wait for it to finish, or cancel it on the Drill screen, then start a new one.'],
      details: `The running drill started at ${runningSince}.`,
    })
  }
}
registerErrorClass('DrillAlreadyRunningError', DrillAlreadyRunningError)

/** The abort reason when the user cancels: the report carries it as the drill's error. */
export class DrillCancelledError extends EscapeError {
  override name = 'DrillCancelledError'
  constructor(options: Options = {}) {
    super('You cancelled the drill.', {
      ...options,
      kind: 'user-action',
      steps: ['Nothing real was touched: the drill runs on a private test chain on this computer. Start it again when you are ready.'],
    })
  }
}
registerErrorClass('DrillCancelledError', DrillCancelledError)

/**
 * No report to save for this drill: it is still running, it ran from the command line (journal only), or its
 * report file is gone.
 */
export class DrillReportNotFoundError extends EscapeError {
  override name = 'DrillReportNotFoundError'
  constructor(drillId: string, reason: 'running' | 'missing', options: Options = {}) {
    super(reason === 'running' ? 'The drill is still running, so it has no report yet.' : 'There is no report for this drill.', {
      ...options,
      kind: 'user-action',
      steps:
        reason === 'running'
          ? ['Wait until it finishes, then save its report.']
          : [
              'Drills run from the command line keep only their journal; run `escape-hatch drill --report FILE.html` there to get a report.',
              'Or run the drill again here and save its report when it finishes.',
            ],
      details: `Drill ${drillId}`,
    })
  }
}
registerErrorClass('DrillReportNotFoundError', DrillReportNotFoundError)

/** A report file in the drills folder is not one the app wrote (damaged, edited, or too large). */
export class DrillReportUnreadableError extends EscapeError {
  override name = 'DrillReportUnreadableError'
  constructor(drillId: string, reason: string, options: Options = {}) {
    super('This drill’s saved report cannot be read.', {
      ...options,
      kind: 'user-action',
      steps: ['The drill’s journal next to it is untouched. Run the drill again for a fresh report.'],
      details: `Drill ${drillId}: ${reason}`,
    })
  }
}
registerErrorClass('DrillReportUnreadableError', DrillReportUnreadableError)

/** The report could not be written to the reports folder. */
export class DrillReportWriteError extends EscapeError {
  override name = 'DrillReportWriteError'
  constructor(dir: string, options: Options = {}) {
    super('The drill report could not be saved.', {
      ...options,
      kind: 'user-action',
      steps: [`Check that ${dir} is writable and that the disk is not full, then save again.`],
    })
  }
}
registerErrorClass('DrillReportWriteError', DrillReportWriteError)

/** This process was started without a drill service (a test router, for instance). */
export class DrillUnavailableError extends EscapeError {
  override name = 'DrillUnavailableError'
  constructor(options: Options = {}) {
    super('Drills are not available in this window.', {
      ...options,
      kind: 'user-action',
      steps: ['Run the drill from a terminal: npx escape-hatch drill --stack arbitrum'],
    })
  }
}
registerErrorClass('DrillUnavailableError', DrillUnavailableError)
