import { useEffect, useLayoutEffect, useRef, useState, type FormEvent, type RefObject } from 'react'
import { deserializeError } from '../../../shared/errors/EscapeError'
import type { DrillReportView, DrillRunView, PastDrillView, SavedDrillReport, StartDrillRequest } from '../../../shared/ipc/drillSchemas'
import { drillStepLabel } from '../drillLabels'
import { formatClock, formatDuration, formatTime, shortHash, stepLabel } from '../format'
import { useDrillStore } from '../stores/drillStore'
import { ErrorPanel } from './ErrorPanel'

const RUN_STATUS_LABELS = { running: 'Running', cancelling: 'Cancelling…', passed: 'PASSED', failed: 'FAILED', cancelled: 'Cancelled' } as const
const STEP_STATUS_LABELS = { pending: 'Not started', started: 'Running', completed: 'Done', failed: 'Failed', cancelled: 'Cancelled' } as const
const TX_STATUS_LABELS = { signed: 'Signed', sent: 'Sent', mined: 'Included', reverted: 'Reverted', dropped: 'Dropped', replaced: 'Replaced' } as const

/**
 * The drill: what it is, a Start button, the run's live plan with the human messages, its result (checks, hashes,
 * the send-root match) and the drills kept on this computer. Everything shown comes from main (drill store).
 */
export function DrillScreen() {
  const load = useDrillStore((s) => s.load)
  const run = useDrillStore((s) => s.run)
  const status = useDrillStore((s) => s.status)
  const pending = useDrillStore((s) => s.pending)
  const start = useDrillStore((s) => s.start)
  const cancel = useDrillStore((s) => s.cancel)
  const [batchMode, setBatchMode] = useState<StartDrillRequest['batchMode']>('calldata')
  const focusCancelNext = useRef(false)
  const headingRef = useRef<HTMLHeadingElement>(null)
  const cancelRef = useRef<HTMLButtonElement>(null)
  const runHeadingRef = useRef<HTMLHeadingElement>(null)
  const running = run?.status === 'running' || run?.status === 'cancelling'
  const wasRunning = useRef(running)

  useEffect(() => {
    void load()
  }, [load])

  // Land keyboard and screen-reader users on the screen they opened.
  useEffect(() => {
    headingRef.current?.focus()
  }, [])

  // Start → focus the Cancel button that replaced it; end of the run → the result, if focus was left nowhere (the
  // Cancel button it was on is gone). Focus the user moved elsewhere stays where it is.
  useEffect(() => {
    if (running && focusCancelNext.current) cancelRef.current?.focus()
    focusCancelNext.current = false
    if (wasRunning.current && !running && (document.activeElement === document.body || document.activeElement === null)) runHeadingRef.current?.focus()
    wasRunning.current = running
  }, [running])

  const onStart = async (event: FormEvent) => {
    event.preventDefault()
    if (!(await start(batchMode))) return
    // The run's first snapshot may already be on screen (then the button is there), or arrive with the next render.
    if (cancelRef.current) cancelRef.current.focus()
    else focusCancelNext.current = true
  }

  return (
    <article className="drill-screen" aria-labelledby="main-heading">
      <h1 tabIndex={-1} ref={headingRef} id="main-heading">
        Practise an escape with a drill
      </h1>
      <p className="drill-intro">
        A drill rehearses a whole escape on a private test chain on this computer: Ethereum L1 with the real Arbitrum contracts, and an L2 whose sequencer
        refuses your transactions. It runs the real escape step by step with a software Ledger, fast-forwards the days of waiting, then checks your test
        balance, that the withdrawal cannot be replayed, and that the root it trusted matches.
      </p>

      <form className="card drill-start" aria-labelledby="drill-start-heading" onSubmit={(e) => void onStart(e)}>
        <h2 id="drill-start-heading">Run a drill</h2>
        <fieldset className="drill-mode" disabled={running}>
          <legend>How the test chain posts its batches on L1</legend>
          <label>
            <input type="radio" name="batch-mode" value="calldata" checked={batchMode === 'calldata'} onChange={() => setBatchMode('calldata')} /> Calldata
          </label>
          <label>
            <input type="radio" name="batch-mode" value="blob" checked={batchMode === 'blob'} onChange={() => setBatchMode('blob')} /> Blobs (EIP-4844)
          </label>
        </fieldset>
        <div className="drill-controls">
          {!running && (
            <button type="submit" className="button-primary" disabled={pending === 'start' || status === 'loading'}>
              {pending === 'start' ? 'Starting…' : run ? 'Start a new drill' : 'Start drill'}
            </button>
          )}
          {running && run && (
            <button type="button" className="button-secondary" ref={cancelRef} onClick={() => void cancel()} disabled={run.status === 'cancelling' || pending === 'cancel'}>
              {run.status === 'cancelling' ? 'Cancelling…' : 'Cancel drill'}
            </button>
          )}
          <span className="muted">Nothing leaves this computer: the test chain listens on 127.0.0.1 only.</span>
        </div>
      </form>

      {status === 'loading' && !run && (
        <p className="muted" role="status">
          Reading the drill’s state…
        </p>
      )}
      {run && <DrillRun run={run} headingRef={runHeadingRef} />}
      <PastDrills currentDrillId={run?.drillId} />
    </article>
  )
}

function DrillRun({ run, headingRef }: { run: DrillRunView; headingRef: RefObject<HTMLHeadingElement | null> }) {
  const finished = run.status !== 'running' && run.status !== 'cancelling'
  const done = run.steps.filter((s) => s.status === 'completed').length
  const logRef = useRef<HTMLOListElement>(null)
  const followLog = useRef(true)
  const lastMessage = run.messages.length

  // Keep the newest message in view, unless the user scrolled up to read an older one (until they scroll back down).
  useLayoutEffect(() => {
    const log = logRef.current
    if (log && followLog.current) log.scrollTop = log.scrollHeight
  }, [lastMessage])
  const onLogScroll = () => {
    const log = logRef.current
    if (log) followLog.current = log.scrollHeight - log.scrollTop - log.clientHeight < 24
  }

  return (
    <section className="drill-run" aria-labelledby="drill-run-heading">
      <header className="drill-run-header">
        <h2 id="drill-run-heading" tabIndex={-1} ref={headingRef}>
          {finished ? 'Drill result' : 'Drill in progress'}
        </h2>
        <span className={`status drill-status-${run.status}`}>{RUN_STATUS_LABELS[run.status]}</span>
      </header>
      <p role="status" className="drill-summary">
        {summaryLine(run, done)}
      </p>

      <div className="drill-columns">
        <section aria-labelledby="drill-steps-heading">
          <h3 id="drill-steps-heading">Steps</h3>
          <ol className="drill-steps">
            {run.steps.map((step) => (
              <li key={step.name} className={`drill-step drill-step-${step.status}`}>
                <span className="drill-step-name">{drillStepLabel(step.name)}</span>
                <span className={`status status-step-${step.status}`}>{STEP_STATUS_LABELS[step.status]}</span>
                <span className="drill-step-time">{step.durationMs !== undefined ? formatDuration(step.durationMs) : step.attempts > 1 ? `attempt ${step.attempts}` : ''}</span>
              </li>
            ))}
          </ol>
        </section>
        <section aria-labelledby="drill-log-heading">
          <h3 id="drill-log-heading">Progress messages</h3>
          {/* A scrolling region must be reachable by keyboard to be scrolled (tabIndex 0). */}
          <ol className="drill-log" role="log" aria-labelledby="drill-log-heading" ref={logRef} tabIndex={0} onScroll={onLogScroll}>
            {run.messages.map((m, i) => (
              <li key={i}>
                <time dateTime={m.at}>{formatClock(m.at)}</time> {m.text}
              </li>
            ))}
          </ol>
        </section>
      </div>

      {run.error && <ErrorPanel error={deserializeError(run.error)} context="Running the drill" live={false} />}
      {run.report?.error && <ErrorPanel error={deserializeError(run.report.error)} context={run.status === 'cancelled' ? 'Drill cancelled' : 'Running the drill'} live={false} />}

      <DrillTransactions run={run} />
      {run.report && <DrillChecks report={run.report} />}
      {run.report && <SaveReport drillId={run.drillId ?? run.runId} />}
    </section>
  )
}

function summaryLine(run: DrillRunView, done: number): string {
  const total = run.steps.length
  switch (run.status) {
    case 'running':
      return `Started at ${formatClock(run.startedAt)}. ${done} of ${total} steps done.`
    case 'cancelling':
      return 'Cancelling: stopping the test chain…'
    case 'cancelled':
      return `Cancelled after ${done} of ${total} steps. The test chain was stopped.`
    case 'passed':
      return `Drill PASSED in ${formatDuration(run.report?.wallTimeMs)}: every check passed.`
    case 'failed': {
      const failed = run.report?.checks.filter((c) => !c.ok).length ?? 0
      return `Drill FAILED${run.report ? ` after ${formatDuration(run.report.wallTimeMs)}` : ''}${failed > 0 ? `: ${failed} check${failed === 1 ? '' : 's'} failed` : ''}. See below.`
    }
  }
}

function Hash({ value }: { value: string }) {
  // The short form for the eye, the whole hash for screen readers and copying (as on the job screen).
  return (
    <code title={value}>
      <span aria-hidden="true">{shortHash(value)}</span>
      <span className="visually-hidden">{value}</span>
    </code>
  )
}

function DrillTransactions({ run }: { run: DrillRunView }) {
  const l2 = run.report?.result?.l2TxHash
  if (run.txs.length === 0 && !l2) return null
  return (
    <section aria-labelledby="drill-txs-heading">
      <h3 id="drill-txs-heading">Transactions</h3>
      <table className="txs">
        <caption className="visually-hidden">Transactions of this drill, in the order they were signed</caption>
        <thead>
          <tr>
            <th scope="col">What</th>
            <th scope="col">Hash</th>
            <th scope="col">Chain</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {l2 && (
            <tr>
              <td>Your L2 withdrawal (signed, carried through L1)</td>
              <td>
                <Hash value={l2} />
              </td>
              <td>{run.report?.devnet.l2ChainId}</td>
              <td>Executed on L2 in block {run.report?.result?.l2Block}</td>
            </tr>
          )}
          {run.txs.map((tx) => (
            <tr key={tx.hash}>
              <td>{stepLabel(tx.step)}</td>
              <td>
                <Hash value={tx.hash} />
              </td>
              <td>{tx.chainId}</td>
              <td>
                {TX_STATUS_LABELS[tx.status]}
                {tx.blockNumber ? ` in block ${tx.blockNumber}` : ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}

function DrillChecks({ report }: { report: DrillReportView }) {
  const { roots } = report
  return (
    <>
      <section aria-labelledby="drill-checks-heading">
        <h3 id="drill-checks-heading">Checks</h3>
        {report.checks.length === 0 ? (
          <p className="muted">The drill stopped before its checks ran.</p>
        ) : (
          <ul className="drill-checks">
            {report.checks.map((check) => (
              <li key={check.name} className={check.ok ? 'check-ok' : 'check-fail'}>
                <span className={`check-badge ${check.ok ? 'check-badge-ok' : 'check-badge-fail'}`}>{check.ok ? 'ok' : 'FAIL'}</span>
                <span className="check-name">{check.name}</span>
                <span className="check-detail">{check.detail}</span>
              </li>
            ))}
          </ul>
        )}
      </section>
      {(roots.confirmedSendRoot || roots.recomputedFromL2SendList) && (
        <section aria-labelledby="drill-root-heading">
          <h3 id="drill-root-heading">Send root</h3>
          <dl className="drill-roots">
            <dt>Confirmed on L1</dt>
            <dd>
              <code>{roots.confirmedSendRoot ?? '—'}</code>
            </dd>
            <dt>Recomputed from the L2 node’s send list</dt>
            <dd>
              <code>{roots.recomputedFromL2SendList ?? '—'}</code>
            </dd>
            <dt>Result</dt>
            <dd>
              <span className={`check-badge ${roots.matched ? 'check-badge-ok' : 'check-badge-fail'}`}>{roots.matched ? 'Matched' : 'NOT matched'}</span>
            </dd>
          </dl>
        </section>
      )}
    </>
  )
}

function SaveReport({ drillId }: { drillId: string }) {
  const saved = useDrillStore((s) => s.saved[drillId])
  const pending = useDrillStore((s) => s.pending)
  const saveReport = useDrillStore((s) => s.saveReport)
  return (
    <div className="drill-save">
      <button type="button" className="button-primary" onClick={() => void saveReport(drillId)} disabled={pending === 'save'}>
        {saved ? 'Save report again' : 'Save report'}
      </button>
      <SavedPath saved={saved} />
    </div>
  )
}

function SavedPath({ saved }: { saved: SavedDrillReport | undefined }) {
  return (
    <p role="status" className="drill-saved">
      {saved && (
        <>
          Report saved to <code className="drill-saved-path">{saved.path}</code>
        </>
      )}
    </p>
  )
}

function PastDrills({ currentDrillId }: { currentDrillId: string | undefined }) {
  const past = useDrillStore((s) => s.past)
  const saved = useDrillStore((s) => s.saved)
  const pending = useDrillStore((s) => s.pending)
  const saveReport = useDrillStore((s) => s.saveReport)
  return (
    <section className="drill-past" aria-labelledby="drill-past-heading">
      <h2 id="drill-past-heading">Past drills</h2>
      {past.status === 'loading' && (
        <p className="muted" role="status">
          Reading the drills folder…
        </p>
      )}
      {past.status === 'failed' && <p className="muted">The drills folder could not be read (see the message above).</p>}
      {past.status === 'ready' && past.drills.length === 0 && <p className="muted">No drill has run on this computer yet.</p>}
      {past.drills.length > 0 && (
        <ul className="drill-past-list">
          {past.drills.map((drill) => (
            <li key={drill.drillId}>
              <div className="drill-past-line">
                <span className="drill-past-time">{drill.startedAt ? formatTime(drill.startedAt) : drill.drillId}</span>
                <PastOutcome drill={drill} />
                {drill.drillId === currentDrillId && <span className="muted">(shown above)</span>}
                {drill.summary && drill.drillId !== currentDrillId && (
                  <button
                    type="button"
                    className="button-secondary button-small"
                    onClick={() => void saveReport(drill.drillId)}
                    disabled={pending === 'save'}
                    aria-label={`Save report of the drill of ${drill.startedAt ? formatTime(drill.startedAt) : drill.drillId}`}
                  >
                    Save report
                  </button>
                )}
              </div>
              <p className="drill-past-detail">{pastDetail(drill)}</p>
              {drill.problem && <p className="drill-past-problem">{drill.problem}</p>}
              {saved[drill.drillId] && drill.drillId !== currentDrillId && <SavedPath saved={saved[drill.drillId]} />}
            </li>
          ))}
        </ul>
      )}
      {past.truncated && <p className="muted">Older drills are not listed.</p>}
    </section>
  )
}

function PastOutcome({ drill }: { drill: PastDrillView }) {
  if (drill.summary) {
    const s = drill.summary
    const label = s.ok ? 'PASSED' : s.cancelled ? 'Cancelled' : 'FAILED'
    return <span className={`status drill-status-${s.ok ? 'passed' : s.cancelled ? 'cancelled' : 'failed'}`}>{label}</span>
  }
  return <span className="status drill-status-unknown">{drill.job ? 'Command line' : 'Incomplete'}</span>
}

function pastDetail(drill: PastDrillView): string {
  if (drill.summary) {
    const s = drill.summary
    const passed = s.checks.filter((c) => c.ok).length
    return `${passed} of ${s.checks.length} checks passed · send root ${s.sendRootMatched ? 'matched' : 'not matched'} · ${formatDuration(s.wallTimeMs)}${s.error ? ` · ${s.error.shortMessage}` : ''}`
  }
  if (drill.job) {
    const outcome = { active: 'did not finish', succeeded: 'succeeded', failed: 'failed', abandoned: 'was abandoned' }[drill.job.status]
    return `Run from the command line: the escape ${outcome} (${drill.job.stepsCompleted} steps done); its checks are in that command’s output, not saved here.`
  }
  return 'The drill stopped before its escape job started.'
}
