import { useEffect, useId, useLayoutEffect, useRef, useState, type FormEvent, type RefObject } from 'react'
import { deserializeError } from '../../../shared/errors/EscapeError'
import type { DrillReportView, DrillRunView, DrillScenario, DrillStack, PastDrillView, StartDrillRequest } from '../../../shared/ipc/drillSchemas'
import { drillStepLabel } from '../drillLabels'
import { formatClock, formatDuration, formatEth, formatTime, formatWei, shortHash } from '../format'
import { useAppStore } from '../stores/appStore'
import { useDrillStore } from '../stores/drillStore'
import { ErrorPanel } from './ErrorPanel'

const RUN_STATUS_LABELS = { running: 'Running', cancelling: 'Cancelling…', passed: 'PASSED', failed: 'FAILED', cancelled: 'Cancelled' } as const
const STEP_STATUS_LABELS = { pending: 'Not started', started: 'Running', completed: 'Done', failed: 'Failed', cancelled: 'Cancelled' } as const
const TX_STATUS_LABELS = { signed: 'Signed', sent: 'Sent', mined: 'Included', reverted: 'Reverted', dropped: 'Dropped', replaced: 'Replaced' } as const

/** The drills the app runs (the CLI's `drill --stack … --scenario …`), each with one plain line. */
const DRILLS: readonly { stack: DrillStack; scenario: DrillScenario; title: string; line: string; batches: boolean }[] = [
  {
    stack: 'arbitrum',
    scenario: 'escape',
    title: 'Arbitrum: censored by the sequencer',
    line: 'The sequencer refuses your transactions; your withdrawal goes through the L1 delayed inbox and is paid out on L1.',
    batches: true,
  },
  {
    stack: 'arbitrum',
    scenario: 'retryable',
    title: 'Arbitrum: a retryable ticket never redeemed',
    line: 'A deposit’s ticket was left without its automatic redeem; you redeem it from L1 while the sequencer censors you.',
    batches: false,
  },
  {
    stack: 'op',
    scenario: 'censored',
    title: 'OP Stack: censored by the sequencer',
    line: 'The sequencer drops your transactions; you take ETH and WETH out through L1, proving against a proposer’s dispute game.',
    batches: true,
  },
  {
    stack: 'op',
    scenario: 'operator-gone',
    title: 'OP Stack: the operator is gone',
    line: 'No sequencer, batcher, proposer or L2 node: the app rebuilds the chain from L1 alone and creates its own dispute game.',
    batches: true,
  },
]

function drillTitle(stack: DrillStack | undefined, scenario: DrillScenario | undefined): string {
  return DRILLS.find((d) => d.stack === stack && d.scenario === (scenario ?? (stack === 'op' ? 'censored' : 'escape')))?.title ?? 'Drill'
}

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
  const [choice, setChoice] = useState(0)
  const chosen = DRILLS[choice] ?? DRILLS[0]!
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
    const request: StartDrillRequest =
      chosen.stack === 'op'
        ? { stack: 'op', scenario: chosen.scenario === 'operator-gone' ? 'operator-gone' : 'censored', batchMode }
        : { stack: 'arbitrum', scenario: chosen.scenario === 'retryable' ? 'retryable' : 'escape', batchMode: chosen.batches ? batchMode : 'calldata' }
    if (!(await start(request))) return
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
        A drill rehearses a whole escape on a private test chain on this computer: Ethereum L1 with the real Arbitrum or OP Stack contracts, and an L2
        whose operator fails you. It runs the real escape step by step with a software Ledger, fast-forwards the days of waiting, then checks your test
        balances, that nothing was sent twice, and that the root it trusted matches the chain’s own.
      </p>

      <form className="card drill-start" aria-labelledby="drill-start-heading" onSubmit={(e) => void onStart(e)}>
        <h2 id="drill-start-heading">Run a drill</h2>
        <fieldset className="drill-choice" disabled={running}>
          <legend>What to rehearse</legend>
          {DRILLS.map((drill, i) => (
            <label key={`${drill.stack}-${drill.scenario}`} className="drill-choice-option">
              <input type="radio" name="drill-choice" value={`${drill.stack}-${drill.scenario}`} checked={choice === i} onChange={() => setChoice(i)} aria-labelledby={`drill-title-${i}`} aria-describedby={`drill-line-${i}`} />
              <span className="drill-choice-title" id={`drill-title-${i}`}>
                {drill.title}
              </span>
              <span className="drill-choice-line muted" id={`drill-line-${i}`}>
                {drill.line}
              </span>
            </label>
          ))}
        </fieldset>
        <fieldset className="drill-mode" disabled={running || !chosen.batches}>
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
      <p className="drill-kind">{drillTitle(run.stack, run.scenario)}</p>
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

      {run.report && <DrillAmounts report={run.report} />}
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
      return `Drill PASSED${run.report ? ` in ${formatDuration(run.report.wallTimeMs)}` : ''}: every check passed.`
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

/** What the drill took out (or was to take out), in ETH with the exact wei on hover. */
function DrillAmounts({ report }: { report: DrillReportView }) {
  const amounts =
    report.stack === 'op'
      ? report.assets.map((a) => ({ wei: a.amountWei, symbol: a.symbol }))
      : report.scenario === 'retryable'
        ? [{ wei: report.callValueWei, symbol: 'ETH' }]
        : [{ wei: report.amountWei, symbol: 'ETH' }]
  return (
    <p className="drill-amounts">
      {report.scenario === 'retryable' ? 'The ticket pays ' : 'Taken out to L1: '}
      {amounts.map((a, i) => (
        <span key={i}>
          {i > 0 && ' and '}
          <span className="amount" title={formatWei(a.wei)}>
            {formatEth(a.wei).replace(/ ETH$/, ` ${a.symbol}`)}
          </span>
        </span>
      ))}
      {report.scenario === 'retryable' ? ` to ${report.beneficiary}.` : `, for the test account ${report.user}.`}
    </p>
  )
}

/** Transactions the drill's job did not send on L1 itself: the L2 transactions it carried through L1. */
function carriedL2Txs(report: DrillReportView | undefined): { what: string; hash: string; chainId: number | undefined; status: string }[] {
  if (!report) return []
  if (report.stack === 'op') {
    return (report.result?.withdrawals ?? []).map((w) => ({
      what: `Your ${report.assets[w.asset]?.symbol ?? 'asset'} withdrawal on L2 (a deposit forced from L1)`,
      hash: w.l2TxHash,
      chainId: report.devnet.l2ChainId,
      status: 'Derived from L1',
    }))
  }
  if (report.scenario === 'retryable') {
    const hash = report.result?.redeemL2TxHash
    return hash ? [{ what: 'The redeem on L2 (signed, carried through L1)', hash, chainId: undefined, status: report.result?.redeemedBy ? 'Redeemed' : 'Sent' }] : []
  }
  const r = report.result
  return r ? [{ what: 'Your L2 withdrawal (signed, carried through L1)', hash: r.l2TxHash, chainId: report.devnet.l2ChainId, status: `Executed on L2 in block ${r.l2Block}` }] : []
}

function DrillTransactions({ run }: { run: DrillRunView }) {
  const carried = carriedL2Txs(run.report)
  if (run.txs.length === 0 && carried.length === 0) return null
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
          {carried.map((tx) => (
            <tr key={tx.hash}>
              <td>{tx.what}</td>
              <td>
                <Hash value={tx.hash} />
              </td>
              <td>{tx.chainId ?? 'L2'}</td>
              <td>{tx.status}</td>
            </tr>
          ))}
          {run.txs.map((tx) => (
            <tr key={tx.hash}>
              <td>{drillStepLabel(tx.step)}</td>
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
      <DrillRoots report={report} />
    </>
  )
}

function DrillRoots({ report }: { report: DrillReportView }) {
  if (report.stack === 'arbitrum' && report.scenario === 'retryable') return null
  const rows =
    report.stack === 'op'
      ? {
          heading: 'Output root',
          first: ['The dispute game’s root claim', report.roots.gameRootClaim],
          second: ['The test chain’s own output root at that block', report.roots.devnetChainOutputRoot],
          note: report.result ? `Game ${report.result.game.address} at L2 block ${report.result.game.l2Block}, ${report.result.game.createdByUs ? 'created by the escape' : 'a proposer’s'}; the escape checked it against ${report.result.rootSource}.` : undefined,
        }
      : {
          heading: 'Send root',
          first: ['Confirmed on L1', report.roots.confirmedSendRoot],
          second: ['Recomputed from the L2 node’s send list', report.roots.recomputedFromL2SendList],
          note: undefined,
        }
  if (!rows.first[1] && !rows.second[1]) return null
  const matched = report.roots.matched
  return (
    <section aria-labelledby="drill-root-heading">
      <h3 id="drill-root-heading">{rows.heading}</h3>
      <dl className="drill-roots">
        <dt>{rows.first[0]}</dt>
        <dd>
          <code>{rows.first[1] ?? '—'}</code>
        </dd>
        <dt>{rows.second[0]}</dt>
        <dd>
          <code>{rows.second[1] ?? '—'}</code>
        </dd>
        <dt>Result</dt>
        <dd>
          <span className={`check-badge ${matched ? 'check-badge-ok' : 'check-badge-fail'}`}>{matched ? 'Matched' : 'NOT matched'}</span>
        </dd>
      </dl>
      {rows.note && <p className="muted">{rows.note}</p>}
    </section>
  )
}

function SaveReport({ drillId }: { drillId: string }) {
  const saved = useDrillStore((s) => s.saved[drillId])
  const pending = useDrillStore((s) => s.pending)
  const saveReport = useDrillStore((s) => s.saveReport)
  const fileDialog = useAppStore((s) => s.info?.fileDialog === true)
  const [typing, setTyping] = useState(false)
  const [typed, setTyped] = useState('')
  const pathId = useId()
  const onSaveAs = () => {
    // The app asks where with the system's save dialog; a window without one (the loopback bridge) takes a typed path.
    if (fileDialog) void saveReport(drillId, { kind: 'choose' })
    else setTyping(true)
  }
  const onSaveTyped = (event: FormEvent) => {
    event.preventDefault()
    void saveReport(drillId, { kind: 'path', path: typed.trim() })
  }
  return (
    <div className="drill-save">
      <div className="drill-save-buttons">
        <button type="button" className="button-primary" onClick={() => void saveReport(drillId)} disabled={pending === 'save'}>
          {saved ? 'Save report again' : 'Save report'}
        </button>
        <button type="button" className="button-secondary" onClick={onSaveAs} disabled={pending === 'save'} aria-expanded={fileDialog ? undefined : typing}>
          Save report as…
        </button>
      </div>
      {typing && !fileDialog && (
        <form className="drill-save-path" onSubmit={onSaveTyped}>
          <label htmlFor={pathId}>Save the report to (the full path of a new or existing .html file)</label>
          <input id={pathId} type="text" autoComplete="off" spellCheck={false} value={typed} onChange={(e) => setTyped(e.target.value)} placeholder="/home/you/Documents/drill-report.html" />
          <button type="submit" className="button-primary" disabled={pending === 'save' || typed.trim() === ''}>
            Save here
          </button>
        </form>
      )}
      <SavedPath saved={saved} />
    </div>
  )
}

function SavedPath({ saved }: { saved: { path: string } | undefined }) {
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
                <span className="drill-past-kind">{drillTitle(drill.stack, drill.scenario)}</span>
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
    const root = s.rootMatched === undefined ? '' : ` · ${s.stack === 'op' ? 'output' : 'send'} root ${s.rootMatched ? 'matched' : 'not matched'}`
    return `${passed} of ${s.checks.length} checks passed${root} · ${formatDuration(s.wallTimeMs)}${s.error ? ` · ${s.error.shortMessage}` : ''}`
  }
  if (drill.job) {
    const outcome = { active: 'did not finish', succeeded: 'succeeded', failed: 'failed', abandoned: 'was abandoned' }[drill.job.status]
    return `Run from the command line: the escape ${outcome} (${drill.job.stepsCompleted} steps done); its checks are in that command’s output, not saved here.`
  }
  return 'The drill stopped before its escape job started.'
}
