import { useEffect, useRef, useState, type RefObject } from 'react'
import { deserializeError, toEscapeError, type EscapeError } from '../../../shared/errors/EscapeError'
import type { ReportDestination } from '../../../shared/ipc/drillSchemas'
import { invoke } from '../bridge'
import type { JobDetailView } from '../../../shared/ipc/jobSchemas'
import { formatTime, jobStatusLabel, shortHash, stepLabel } from '../format'
import { escapeStepLabel, TIMELINE_STAGES } from '../escapeTimeline'
import { useEscapeRunStore } from '../stores/escapeRunStore'
import { useJobDetailStore } from '../stores/jobDetailStore'
import { When } from './Amount'
import { ErrorPanel } from './ErrorPanel'
import { EscapeTimelineView } from './EscapeTimelineView'
import { SaveReportAs } from './SaveReportAs'

/** Plain step names: the escape's own, else the identifier as words. */
function stepName(name: string): string {
  return escapeStepLabel(name) ?? stepLabel(name)
}

/** L1 chains by name, whatever the job's network looks like (an OP job's transactions are all on L1). */
const L1_CHAIN_NAMES: Readonly<Record<number, string>> = { 1: 'Ethereum', 11155111: 'Sepolia', 17000: 'Holesky', 31337: 'Devnet L1' }

/** A chain id as the job's network names it (L1 or L2), else by its number. */
function chainName(job: JobDetailView, chainId: number): string {
  const params = job.params
  const network = params && typeof params === 'object' && !Array.isArray(params) ? params.network : undefined
  if (network && typeof network === 'object' && !Array.isArray(network)) {
    if (network.l2ChainId === chainId && typeof network.name === 'string') return network.name
    if (network.l1ChainId === chainId) return L1_CHAIN_NAMES[chainId] ?? `L1 (chain ${chainId})`
  }
  return L1_CHAIN_NAMES[chainId] ?? `chain ${chainId}`
}

const JOB_KIND_LABELS: Readonly<Record<string, string>> = { 'arb-escape': 'Escape from an Arbitrum chain', 'op-escape': 'Escape from an OP Stack chain' }
const STEP_STATUS_LABELS = { started: 'In progress', completed: 'Done', failed: 'Failed' } as const
const TX_STATUS_LABELS = {
  signed: 'Signed, not sent',
  sent: 'Sent, waiting for inclusion',
  mined: 'Included',
  reverted: 'Included but reverted',
  dropped: 'Dropped',
  replaced: 'Replaced by a higher-fee copy',
} as const

/** One job as its journal tells it: steps, transactions, notes and any journal problems. */
export function JobDetail({ jobId }: { jobId: string }) {
  const { status, job, error } = useJobDetailStore()
  const show = useJobDetailStore((s) => s.show)
  const headingRef = useRef<HTMLHeadingElement>(null)

  useEffect(() => {
    void show(jobId)
  }, [jobId, show])

  // Move focus to the new screen's heading so keyboard and screen-reader users land on what they opened.
  // An escape opens on its next action (its button takes focus itself).
  const hasTimeline = job !== undefined && TIMELINE_STAGES[job.kind] !== undefined
  useEffect(() => {
    if (status === 'failed' || (status === 'ready' && !hasTimeline)) headingRef.current?.focus()
  }, [status, jobId, hasTimeline])

  if (status === 'failed' && error) {
    return (
      <div className="job-detail">
        <h1 tabIndex={-1} ref={headingRef} id="main-heading">
          Job could not be opened
        </h1>
        <ErrorPanel error={error} context={`Opening job ${jobId}`} level={2} />
      </div>
    )
  }
  if (status !== 'ready' || !job || job.id !== jobId) {
    return (
      <p className="muted" role="status">
        Loading job…
      </p>
    )
  }
  return <JobView job={job} headingRef={headingRef} />
}

function JobView({ job, headingRef }: { job: JobDetailView; headingRef: RefObject<HTMLHeadingElement | null> }) {
  // Escape jobs run in this app: with no run going on, a started step is stopped, not "in progress" (killed or closed mid-step).
  const running = useEscapeRunStore((s) => (TIMELINE_STAGES[job.kind] ? s.runs[job.id]?.running : undefined))
  const notRunning = job.status === 'active' && running === false
  return (
    <article className="job-detail" aria-labelledby="main-heading">
      <header className="job-header">
        <h1 tabIndex={-1} ref={headingRef} id="main-heading">
          {job.title}
        </h1>
        {job.status === 'active' && job.steps.some((step) => step.status === 'started' && step.waiting) ? (
          <span className="status status-paused">Paused</span>
        ) : notRunning ? (
          <span className="status status-stopped">Not running</span>
        ) : (
          <span className={`status status-${job.status}`}>{jobStatusLabel(job.status)}</span>
        )}
      </header>
      <dl className="job-facts">
        <dt>Kind</dt>
        <dd>{JOB_KIND_LABELS[job.kind] ?? job.kind}</dd>
        <dt>Job id</dt>
        <dd>
          <code>{job.id}</code>
        </dd>
        <dt>Started</dt>
        <dd>{formatTime(job.createdAt)}</dd>
        <dt>Last change</dt>
        <dd>{formatTime(job.updatedAt)}</dd>
      </dl>
      {job.summary && <p className="job-summary">{job.summary}</p>}
      {TIMELINE_STAGES[job.kind] && <EscapeTimelineView job={job} focusAction />}
      <JobReport jobId={job.id} timeline={TIMELINE_STAGES[job.kind] !== undefined} />

      {(job.damaged || job.problems.length > 0) && (
        <section className={job.damaged ? 'journal-problems damaged' : 'journal-problems'} aria-labelledby="problems-heading">
          <h2 id="problems-heading">{job.damaged ? 'This job’s journal is damaged' : 'Journal notes'}</h2>
          {job.damaged && <p>Escape Hatch will not act on this job until someone has looked at it. Nothing was deleted: the damaged lines were copied next to the journal file.</p>}
          <ul>
            {job.problems.map((problem, i) => (
              <li key={i}>{problem}</li>
            ))}
          </ul>
        </section>
      )}

      <section aria-labelledby="steps-heading">
        <h2 id="steps-heading">Steps</h2>
        {job.steps.length === 0 ? (
          <p className="muted">No step has started yet.</p>
        ) : (
          <ol className="steps">
            {job.steps.map((step) => (
              <li key={step.name} className={`step step-${step.status}`}>
                <div className="step-line">
                  <span className="step-name">{stepName(step.name)}</span>
                  {step.waiting && step.status === 'started' ? (
                    <span className="status status-step-paused">Paused</span>
                  ) : notRunning && step.status === 'started' ? (
                    <span className="status status-step-stopped">Not running</span>
                  ) : (
                    <span className={`status status-step-${step.status}`}>{STEP_STATUS_LABELS[step.status]}</span>
                  )}
                  {step.attempts > 1 && <span className="muted">attempt {step.attempts}</span>}
                  <span className="muted">
                    {step.finishedAt ? `finished ${formatTime(step.finishedAt)}` : `started ${formatTime(step.startedAt)}`}
                  </span>
                </div>
                {step.waiting && step.status === 'started' && (
                  <p className="step-waiting">
                    {step.waiting.reason}
                    {step.waiting.until && (
                      <>
                        {' '}
                        Until <When iso={step.waiting.until} estimate />.
                      </>
                    )}
                  </p>
                )}
                {step.error && <ErrorPanel error={deserializeError(step.error)} live={false} level={3} />}
              </li>
            ))}
          </ol>
        )}
      </section>

      <section aria-labelledby="txs-heading">
        <h2 id="txs-heading">Transactions</h2>
        {job.txs.length === 0 ? (
          <p className="muted">No transaction has been signed for this job.</p>
        ) : (
          <table className="txs">
            <caption className="visually-hidden">Transactions of this job, in the order they were signed</caption>
            <thead>
              <tr>
                <th scope="col">Hash</th>
                <th scope="col">Step</th>
                <th scope="col">Chain</th>
                <th scope="col">Nonce</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {job.txs.map((tx) => (
                <tr key={tx.hash}>
                  <td>
                    {/* The short form for the eye, the whole hash for screen readers and copying. */}
                    <code title={tx.hash}>
                      <span aria-hidden="true">{shortHash(tx.hash)}</span>
                      <span className="visually-hidden">{tx.hash}</span>
                    </code>
                  </td>
                  <td>{stepName(tx.step)}</td>
                  <td>{chainName(job, tx.chainId)}</td>
                  <td>{tx.nonce}</td>
                  <td>
                    {TX_STATUS_LABELS[tx.status]}
                    {tx.blockNumber ? ` in block ${tx.blockNumber}` : ''}
                    {tx.droppedReason ? ` — ${tx.droppedReason}` : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {job.notes.length > 0 && (
        <section aria-labelledby="notes-heading">
          <h2 id="notes-heading">Notes</h2>
          <ul className="notes">
            {job.notes.map((note, i) => (
              <li key={i}>
                <span className="muted">{formatTime(note.at)}</span> {note.text}
              </li>
            ))}
          </ul>
        </section>
      )}

      {job.files.length > 0 && (
        <section aria-labelledby="files-heading">
          <h2 id="files-heading">Exported files</h2>
          <ul className="files">
            {job.files.map((file, i) => (
              <li key={i}>
                {file.purpose}: <code>{file.path}</code> <span className="muted">sha256 {shortHash(file.sha256)}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </article>
  )
}

/**
 * The job's report (HTML + JSON, RPC addresses cut to their host) saved where the user chooses: the save dialog in
 * the app, a typed path in a window without one. An escape's timeline has its own "Save the report" (into reports/);
 * other jobs get that button here.
 */
function JobReport({ jobId, timeline }: { jobId: string; timeline: boolean }) {
  const [busy, setBusy] = useState(false)
  const [saved, setSaved] = useState<{ htmlPath: string; jsonPath: string } | undefined>()
  const [error, setError] = useState<EscapeError | undefined>()
  async function save(to?: ReportDestination) {
    setBusy(true)
    setSaved(undefined)
    setError(undefined)
    try {
      const written = await invoke('saveJobReport', { jobId, ...(to ? { to } : {}) })
      if (!('cancelled' in written)) setSaved(written)
    } catch (caught) {
      setError(toEscapeError(caught, 'The report could not be saved.'))
    } finally {
      setBusy(false)
    }
  }
  return (
    <section className="job-report" aria-labelledby="job-report-heading">
      <h2 id="job-report-heading">Report</h2>
      <div className="report-buttons">
        {!timeline && (
          <button type="button" className="button-primary" disabled={busy} onClick={() => void save()}>
            Save the report
          </button>
        )}{' '}
        <SaveReportAs save={(to) => void save(to)} busy={busy} example="/home/you/Documents/escape-report.html" />
      </div>
      {error && <ErrorPanel error={error} level={3} />}
      {saved && (
        <p className="report-saved" role="status">
          Report saved: <code className="job-report-path">{saved.htmlPath}</code> and <code>{saved.jsonPath}</code> (RPC addresses cut to their host).
        </p>
      )}
    </section>
  )
}
