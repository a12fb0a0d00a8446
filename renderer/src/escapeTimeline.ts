/**
 * A withdrawal's life as the job timeline draws it, and the job's single next action, from what the journal says
 * (the JobDetailView main sends) — never from guesses. Stack-neutral: each job kind maps its steps onto the stages of
 * a withdrawal (forced tx → included → in a root → confirmed → executed for Arbitrum; the OP Stack escape adds its own
 * map: deposit → included → proven → matured → finalized). A kind without a map gets no timeline, only its steps.
 *
 * Dates: a finished stage carries the time its step finished; a paused stage carries the date its step.waiting says
 * (computed by the deadline engine from the L1's measured block time, so an estimate). Paused is paused, with its
 * reason — never "in progress".
 */
import type { JobDetailView, JobStepView } from '../../shared/ipc/jobSchemas'
import { ESCAPE_STEP_LABELS } from '../../shared/journal/stepLabels'

/**
 * 'current': a run is working on it now. 'stopped': started, but no run of the job is going on (the app or its
 * backend was closed or killed mid-step): it must not read as "in progress"; resuming continues it from the journal.
 */
export type StageStatus = 'done' | 'current' | 'stopped' | 'paused' | 'failed' | 'upcoming'

export interface TimelineStage {
  id: string
  label: string
  status: StageStatus
  /** When it happened (done), or from when it can go on (paused). */
  at?: string
  /** Paused: since when it waits (with `at`, the bar of the wait). */
  since?: string
  estimate?: boolean
  /** Why it is paused or failed, in the engine's words. */
  detail?: string
}

interface StageSpec {
  id: string
  label: string
  /** The steps that work towards this stage, in order; the stage is done when the last one is completed. */
  steps: readonly string[]
  /**
   * Optional: done early when the step after it is paused with a reason that says so (the engine's wait text names
   * the covering assertion once one exists on L1).
   */
  doneWhenWaitingSays?: { step: string; pattern: RegExp }
}

const ARBITRUM_STAGES: readonly StageSpec[] = [
  { id: 'forced-tx', label: 'Withdrawal put into the L1 inbox', steps: ['prepare', 'sign-l2-tx', 'send-l2-message'] },
  { id: 'included', label: 'Included on L2 (by the sequencer, or forced from L1)', steps: ['track-message', 'wait-force-inclusion', 'force-inclusion', 'detect-sequencing'] },
  {
    id: 'in-root',
    label: 'In a state root posted on L1 (an assertion)',
    steps: [],
    // stoppingWaiters' words once an assertion on L1 covers it ("no assertion covers your withdrawal yet" does not match).
    doneWhenWaitingSays: { step: 'wait-confirmation', pattern: /assertion 0x[0-9a-fA-F]{64} \(created at L1 block \d+\) covers your withdrawal|can be confirmed now/ },
  },
  { id: 'confirmed', label: 'Confirmed on L1 (challenge period over)', steps: ['wait-confirmation'] },
  { id: 'executed', label: 'Paid out to you on L1', steps: ['execute-withdrawal'] },
]

/**
 * The OP Stack escape (electron/services/flows/op/opEscapeJob.ts, kind 'op-escape'). Its proof-round steps repeat as
 * `<step>#<round>` when a game is lost or retired; the timeline reads the latest round (stepsByBaseName).
 */
const OP_STAGES: readonly StageSpec[] = [
  { id: 'forced-tx', label: 'Withdrawal forced through L1 (a deposit to the L2 message passer)', steps: ['prepare', 'send-forced-withdrawal'] },
  { id: 'included', label: 'Included on L2 (the deposit is derived from L1)', steps: ['track-deposit', 'find-withdrawal'] },
  { id: 'in-root', label: 'In an output root on L1 (a dispute game)', steps: ['choose-game'] },
  { id: 'proven', label: 'Proven on L1', steps: ['prove'] },
  { id: 'matured', label: 'Matured (game resolved, proof delay and airgap over)', steps: ['wait-game', 'resolve', 'wait-finalization'] },
  { id: 'finalized', label: 'Finalized: paid out to you on L1', steps: ['finalize'] },
]

/** Stage maps per job kind. */
export const TIMELINE_STAGES: Readonly<Record<string, readonly StageSpec[]>> = { 'arb-escape': ARBITRUM_STAGES, 'op-escape': OP_STAGES }

/** A proof round's step (`prove#2`) is the step `prove` of a later round: the timeline shows the latest round. */
function baseStepName(name: string): string {
  return name.replace(/#\d+$/, '')
}

/** Plain names for every step of the known job kinds (shared with the reports main writes). */
export { ESCAPE_STEP_LABELS }

/** The plain name of a step of any escape, proof rounds included (`prove#2` → "… (round 2)"). */
export function escapeStepLabel(name: string): string | undefined {
  const base = baseStepName(name)
  const label = ESCAPE_STEP_LABELS[base]
  if (!label) return undefined
  return base === name ? label : `${label} (round ${name.slice(base.length + 1)})`
}

export type NextActionKind = 'resume' | 'stop' | 'export' | 'bump-fee' | 'none'

export interface NextActionView {
  kind: NextActionKind
  /** The button's text. */
  label: string
  /** One or two sentences: why this, and what happens. */
  explanation: string
  /** resume: from when resuming can make progress (before it, a resume only checks again and pauses). */
  availableAt?: string
  ready: boolean
}

export interface EscapeTimeline {
  stages: TimelineStage[] | undefined
  next: NextActionView
}

export interface TimelineContext {
  /** A run of this job is going on in the app now; undefined while the app has not said yet. */
  running: boolean | undefined
  now: Date
  /** How the last run in this app ended ('stuck': a journaled L1 transaction cannot be mined at its fee). */
  lastOutcome?: string
}

export function buildEscapeTimeline(job: JobDetailView, ctx: TimelineContext): EscapeTimeline {
  const specs = TIMELINE_STAGES[job.kind]
  return { stages: specs ? stagesOf(job, specs, ctx.running) : undefined, next: nextActionOf(job, ctx) }
}

function stagesOf(job: JobDetailView, specs: readonly StageSpec[], running: boolean | undefined): TimelineStage[] {
  // Only a run says "in progress"; known not running, a started stage is stopped.
  const working: StageStatus = running === false ? 'stopped' : 'current'
  // Later rounds come later in the journal, so the map keeps the latest round of a repeated step.
  const byName = new Map(job.steps.map((s) => [baseStepName(s.name), s]))
  let blocked = false
  return specs.map((spec): TimelineStage => {
    const base = { id: spec.id, label: spec.label }
    if (blocked) return { ...base, status: 'upcoming' }
    const last = spec.steps.length > 0 ? byName.get(spec.steps[spec.steps.length - 1]!) : undefined
    if (last?.status === 'completed') return { ...base, status: 'done', ...(last.finishedAt ? { at: last.finishedAt } : {}) }
    if (spec.doneWhenWaitingSays) {
      const waiting = byName.get(spec.doneWhenWaitingSays.step)
      if (waiting?.status === 'completed' || (waiting?.waiting && spec.doneWhenWaitingSays.pattern.test(waiting.waiting.reason))) return { ...base, status: 'done' }
      if (waiting?.waiting) {
        blocked = true
        return { ...base, status: 'paused', detail: waiting.waiting.reason, since: waiting.waiting.since, ...(waiting.waiting.until ? { at: waiting.waiting.until, estimate: true } : {}) }
      }
      blocked = true
      return { ...base, status: waiting ? working : 'upcoming' }
    }
    blocked = true
    const active = [...spec.steps].reverse().map((name) => byName.get(name)).find((s): s is JobStepView => s !== undefined)
    if (!active) return { ...base, status: job.status === 'active' && job.steps.length === 0 && spec === specs[0] ? working : 'upcoming' }
    if (active.status === 'failed') return { ...base, status: 'failed', ...(active.error ? { detail: active.error.shortMessage } : {}) }
    if (active.waiting) return { ...base, status: 'paused', detail: active.waiting.reason, since: active.waiting.since, ...(active.waiting.until ? { at: active.waiting.until, estimate: true } : {}) }
    return { ...base, status: job.status === 'active' ? working : 'upcoming' }
  })
}

function nextActionOf(job: JobDetailView, ctx: TimelineContext): NextActionView {
  if (job.damaged) return { kind: 'none', label: 'Nothing to do here', explanation: 'This job’s journal is damaged; Escape Hatch will not act on it until someone has looked at it. Save its report for support.', ready: false }
  if (job.status !== 'active') {
    const done = job.status === 'succeeded'
    return { kind: 'export', label: 'Save the report', explanation: done ? 'This escape is finished. Keep its report: it lists every transaction and date.' : 'This job has ended. Its report says what happened, for you or for support.', ready: true }
  }
  if (ctx.running) return { kind: 'stop', label: 'Pause', explanation: 'Running now. Pausing is safe: everything signed is in the journal, and Resume continues from here (also after a restart).', ready: true }
  if (ctx.lastOutcome === 'stuck') {
    const stuck = [...job.notes].reverse().find((n) => n.text.startsWith('Stopped: L1 transaction'))
    return {
      kind: 'bump-fee',
      label: 'Raise the fee…',
      explanation: `${stuck ? stuck.text.replace(/^Stopped: /, '') : 'An L1 transaction is stuck below the L1 base fee.'} The app proposes a higher fee and shows what it may cost before you approve; nothing is signed without your approval. Or resume later, when L1 fees are lower.`,
      ready: true,
    }
  }
  const current = [...job.steps].reverse().find((s) => s.status !== 'completed')
  if (current?.waiting) {
    const until = current.waiting.until
    const ready = until === undefined || new Date(until).getTime() <= ctx.now.getTime()
    if (current.waiting.wait === 'signature') {
      return { kind: 'resume', label: 'Continue with the signed file', explanation: current.waiting.reason, ready: true }
    }
    return {
      kind: 'resume',
      label: ready ? 'Resume now' : 'Resume',
      explanation: ready
        ? 'The wait is over (or due): resuming checks L1 and takes the next step.'
        : 'Paused on purpose: nothing can move before the date above. You may close the app meanwhile; resuming earlier only checks again.',
      ...(until ? { availableAt: until } : {}),
      ready,
    }
  }
  if (current?.status === 'failed') {
    return { kind: 'resume', label: 'Try again', explanation: `The last attempt stopped: ${current.error?.shortMessage ?? 'see the step below'}. Trying again continues from the journal; nothing is sent twice.`, ready: true }
  }
  return { kind: 'resume', label: 'Resume', explanation: 'This escape is not running. Resuming continues from its journal; nothing signed is signed or sent twice.', ready: true }
}
