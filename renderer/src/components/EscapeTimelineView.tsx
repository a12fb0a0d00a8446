import { useEffect, useRef, useState } from 'react'
import { countdownText } from '../../../shared/deadlines/countdown'
import type { JobDetailView } from '../../../shared/ipc/jobSchemas'
import { invoke } from '../bridge'
import { buildEscapeTimeline, escapeStepLabel, type NextActionView, type TimelineStage } from '../escapeTimeline'
import { formatGwei } from 'viem'
import type { FeeBumpProposalView } from '../../../shared/ipc/escapeSchemas'
import { shortHash, urlLabel } from '../format'
import { etaText, remainingMs, waitFraction, type ProgressMeter } from '../progressEta'
import { useEscapeRunStore } from '../stores/escapeRunStore'
import { toEscapeError, type EscapeError } from '../../../shared/errors/EscapeError'
import { Eth, When } from './Amount'
import { ErrorPanel } from './ErrorPanel'
import { SecretInput } from './SecretInput'

const STAGE_STATUS_LABELS: Record<TimelineStage['status'], string> = {
  done: 'Done',
  current: 'In progress',
  stopped: 'Not running',
  paused: 'Paused',
  failed: 'Stopped',
  upcoming: 'Not yet',
}

/** Re-render every `everyMs` so countdowns and ETAs move and a wait that ends shows its action. */
function useNow(everyMs: number): Date {
  const [now, setNow] = useState(() => new Date())
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), everyMs)
    return () => clearInterval(timer)
  }, [everyMs])
  return now
}

/** The proposed fee bump, in ETH (wei on hover) and gwei, and the user's answer: nothing is signed before "Approve". */
function FeeBumpConsent({ proposal, busy, onApprove, onCancel }: { proposal: FeeBumpProposalView; busy: boolean; onApprove(): void; onCancel(): void }) {
  const gwei = (wei: string) => `${formatGwei(BigInt(wei))} gwei`
  const extra = (BigInt(proposal.newMaxCostWei) - BigInt(proposal.oldMaxCostWei)).toString()
  return (
    <section className="fee-bump" aria-labelledby="fee-bump-heading">
      <h3 id="fee-bump-heading">Raise the fee of transaction {shortHash(proposal.txHash)}?</h3>
      <p>
        The same transaction ({escapeStepLabel(proposal.step) ?? proposal.step}, nonce {proposal.nonce}) with a higher fee replaces it; whichever is mined first counts, never both.
      </p>
      <dl className="facts" aria-label="The new fee">
        <dt>Max fee per gas</dt>
        <dd>
          {gwei(proposal.oldMaxFeePerGasWei)} → <strong>{gwei(proposal.newMaxFeePerGasWei)}</strong>
        </dd>
        {!proposal.legacy && (
          <>
            <dt>Priority fee (tip)</dt>
            <dd>
              {gwei(proposal.oldMaxPriorityFeePerGasWei)} → {gwei(proposal.newMaxPriorityFeePerGasWei)}
            </dd>
          </>
        )}
        <dt>It may cost at most</dt>
        <dd>
          <Eth wei={proposal.newMaxCostWei} /> (was <Eth wei={proposal.oldMaxCostWei} />; at most <Eth wei={extra} /> more), for {BigInt(proposal.gas).toLocaleString('en')} gas
        </dd>
        {proposal.nextBaseFeeWei && (
          <>
            <dt>L1 base fee now</dt>
            <dd>{gwei(proposal.nextBaseFeeWei)}</dd>
          </>
        )}
      </dl>
      {proposal.warnings.length > 0 && (
        <ul className="warnings">
          {proposal.warnings.map((w, i) => (
            <li key={i}>{w}</li>
          ))}
        </ul>
      )}
      <p className="next-buttons">
        <button type="button" className="button-primary" disabled={busy} onClick={onApprove}>
          Approve and sign the replacement
        </button>
        <button type="button" className="button-secondary" disabled={busy} onClick={onCancel}>
          Not now
        </button>
      </p>
    </section>
  )
}

/** The bar of a step that counts its work: done of total, and the ETA from the rate measured in this window. */
function StepMeter({ meter, now }: { meter: ProgressMeter; now: Date }) {
  const last = meter.samples[meter.samples.length - 1]!
  return (
    <div className="progress-meter" role="group" aria-label="Progress of this step">
      <progress max={meter.total} value={last.done} aria-label={`${meter.unit} done`} />
      <span>
        {last.done.toLocaleString()} of {meter.total.toLocaleString()} {meter.unit} ({Math.floor((last.done * 100) / meter.total)} %) · {etaText(remainingMs(meter, now.getTime()))}
      </span>
    </div>
  )
}

/**
 * The job's timeline (the withdrawal's life with real dates) and its single next action as a button. The button
 * gets focus when the page opens, so "resume in one click" from the start screen lands on it.
 */
export function EscapeTimelineView({ job, focusAction }: { job: JobDetailView; focusAction: boolean }) {
  const run = useEscapeRunStore((s) => s.runs[job.id])
  const progress = useEscapeRunStore((s) => s.progress[job.id])
  const meter = useEscapeRunStore((s) => s.meters[job.id])
  const now = useNow(meter ? 2_000 : 30_000)
  const { stages, next } = buildEscapeTimeline(job, { running: run?.running, now, ...(run?.lastOutcome ? { lastOutcome: run.lastOutcome } : {}) })
  const buttonRef = useRef<HTMLButtonElement>(null)
  const [actionError, setActionError] = useState<EscapeError | undefined>()
  const [saved, setSaved] = useState<{ htmlPath: string; jsonPath: string } | undefined>()
  const [urls, setUrls] = useState({ l1: '', l2: '' })
  const [busy, setBusy] = useState(false)
  const [bump, setBump] = useState<FeeBumpProposalView | undefined>()
  const notified = useRef<string | undefined>(undefined)

  useEffect(() => {
    void invoke('getEscapeRunState', { jobId: job.id }).then(
      (state) => useEscapeRunStore.getState().setRun(state),
      () => undefined, // a job this version cannot run: the next action still says what to do
    )
  }, [job.id])

  useEffect(() => {
    if (focusAction) buttonRef.current?.focus()
  }, [focusAction])

  // A notification when the wait ends while the app is open (and a visible line for those without notifications).
  const availableAt = next.availableAt
  const becameReady = next.kind === 'resume' && next.ready && availableAt !== undefined
  useEffect(() => {
    if (!becameReady || notified.current === availableAt) return
    notified.current = availableAt
    if (typeof Notification !== 'undefined' && Notification.permission === 'granted') {
      new Notification('Escape Hatch: you can continue', { body: `${job.title}: the wait is over. Open the job and press “Resume now”.` })
    }
  }, [becameReady, availableAt, job.title])

  // …and when a run stops on an action that is the user's to take (the fee bump, the report, a wait already over).
  const wasRunning = useRef(run?.running === true)
  const actionable = next.kind !== 'stop' && next.kind !== 'none' && next.ready
  useEffect(() => {
    const running = run?.running === true
    const ended = wasRunning.current && !running
    wasRunning.current = running
    if (!ended || !actionable) return
    if (typeof Notification !== 'undefined' && Notification.permission === 'granted') {
      new Notification('Escape Hatch: your escape needs you', { body: `${job.title}: ${next.label.replace(/…$/, '')}.` })
    }
  }, [run?.running, actionable, next.label, job.title])

  const needsUrls = next.kind === 'resume' && run !== undefined && !run.endpointsKnown

  async function act(action: NextActionView) {
    setActionError(undefined)
    setSaved(undefined)
    setBusy(true)
    try {
      if (action.kind === 'resume') {
        useEscapeRunStore.getState().clearProgress(job.id)
        if (typeof Notification !== 'undefined' && Notification.permission === 'default') void Notification.requestPermission().catch(() => undefined)
        const state = await invoke('resumeEscape', {
          jobId: job.id,
          ...(needsUrls && urls.l1.trim() ? { l1Urls: urls.l1.split(/\s+/).filter(Boolean) } : {}),
          ...(needsUrls && urls.l2.trim() ? { l2Url: urls.l2.trim() } : {}),
        })
        useEscapeRunStore.getState().setRun(state)
        setUrls({ l1: '', l2: '' })
      } else if (action.kind === 'stop') {
        useEscapeRunStore.getState().setRun(await invoke('stopEscape', { jobId: job.id }))
      } else if (action.kind === 'export') {
        const saved = await invoke('saveJobReport', { jobId: job.id })
        if (!('cancelled' in saved)) setSaved(saved)
      } else if (action.kind === 'bump-fee') {
        const proposed = await invoke('proposeFeeBump', { jobId: job.id })
        if (proposed.outcome === 'proposal') setBump(proposed.proposal)
        else useEscapeRunStore.getState().setRun(await invoke('resumeEscape', { jobId: job.id })) // mined meanwhile: go on
      }
    } catch (error) {
      setActionError(toEscapeError(error, 'That did not work.'))
    } finally {
      setBusy(false)
    }
  }

  async function approveBump(proposal: FeeBumpProposalView) {
    setActionError(undefined)
    setBusy(true)
    try {
      useEscapeRunStore.getState().clearProgress(job.id)
      useEscapeRunStore.getState().setRun(
        await invoke('approveFeeBump', { jobId: job.id, txHash: proposal.txHash, maxFeePerGasWei: proposal.newMaxFeePerGasWei, maxPriorityFeePerGasWei: proposal.newMaxPriorityFeePerGasWei }),
      )
      setBump(undefined)
    } catch (error) {
      setActionError(toEscapeError(error, 'That did not work.'))
    } finally {
      setBusy(false)
    }
  }

  return (
    <>
      {stages && (
        <section aria-labelledby="timeline-heading" className="timeline-section">
          <h2 id="timeline-heading">Where your withdrawal is</h2>
          <ol className="timeline">
            {stages.map((stage) => (
              <li key={stage.id} className={`timeline-stage timeline-${stage.status}`}>
                <span className="timeline-dot" aria-hidden="true" />
                <span className="timeline-label">{stage.label}</span>
                <span className={`status status-timeline-${stage.status}`}>{STAGE_STATUS_LABELS[stage.status]}</span>
                {stage.at && (
                  <span className="timeline-date">
                    {stage.status === 'done' ? '' : 'from '}
                    <When iso={stage.at} estimate={stage.estimate} />
                    {stage.status === 'paused' && <> · {countdownText({ at: new Date(stage.at), estimate: stage.estimate === true }, now, 'the next L1 block')}</>}
                  </span>
                )}
                {stage.detail && stage.status !== 'done' && <span className="timeline-detail">{stage.detail}</span>}
                {stage.status === 'paused' && stage.since && stage.at && (
                  <span className="timeline-wait">
                    <progress max={1} value={waitFraction(stage.since, stage.at, now.getTime())} aria-label="Time waited so far" /> waiting since <When iso={stage.since} />
                  </span>
                )}
              </li>
            ))}
          </ol>
        </section>
      )}

      <section aria-labelledby="next-heading" className="next-action card">
        <h2 id="next-heading">Next</h2>
        <p>{next.explanation}</p>
        {next.availableAt && !next.ready && (
          <p>
            Can go on from <When iso={next.availableAt} estimate /> ({countdownText({ at: new Date(next.availableAt), estimate: true }, now, 'the next L1 block')}).
          </p>
        )}
        {becameReady && (
          <p className="ok-text" role="status">
            The wait is over: you can continue now.
          </p>
        )}
        {needsUrls && (
          <div className="resume-urls">
            <p>
              This job did not keep its RPC addresses. Give them again{run.endpointLabels.l1.length > 0 ? ` (you used ${run.endpointLabels.l1.join(', ')}${run.endpointLabels.l2 ? ` and ${run.endpointLabels.l2}` : ''})` : ''}:
            </p>
            <label>
              L1 RPC addresses (several: separate with spaces)
              <SecretInput type="password" value={urls.l1} onChange={(l1) => setUrls({ ...urls, l1 })} />
            </label>
            <label>
              L2 node (optional when the network has its own)
              <SecretInput type="password" value={urls.l2} onChange={(l2) => setUrls({ ...urls, l2 })} />
            </label>
            {urls.l1 && <p className="hint">Will use: {urls.l1.split(/\s+/).filter(Boolean).map(urlLabel).join(', ')}</p>}
          </div>
        )}
        {bump && next.kind === 'bump-fee' && <FeeBumpConsent proposal={bump} busy={busy} onApprove={() => void approveBump(bump)} onCancel={() => setBump(undefined)} />}
        {next.kind !== 'none' && !(bump && next.kind === 'bump-fee') && (
          <p className="next-buttons">
            <button ref={buttonRef} type="button" className={next.kind === 'stop' ? 'button-secondary' : 'button-primary'} disabled={busy} onClick={() => void act(next)}>
              {next.label}
            </button>
            {next.kind !== 'export' && (
              <button type="button" className="button-secondary" disabled={busy} onClick={() => void act({ kind: 'export', label: '', explanation: '', ready: true })}>
                Save the report
              </button>
            )}
          </p>
        )}
        {run?.running && (
          <p className="muted" role="status">
            Running…
          </p>
        )}
        {run?.running && meter && <StepMeter meter={meter} now={now} />}
        {actionError && <ErrorPanel error={actionError} level={3} />}
        {saved && (
          <p className="report-saved" role="status">
            Report saved: <code className="report-path">{saved.htmlPath}</code> and <code>{saved.jsonPath}</code> (RPC addresses cut to their host).
          </p>
        )}
        {progress && progress.length > 0 && (
          <ol className="drill-log" role="log" aria-label="Progress of this run">
            {progress.slice(-12).map((line, i) => (
              <li key={i}>
                <time dateTime={line.at}>{new Date(line.at).toLocaleTimeString()}</time> {line.message}
              </li>
            ))}
          </ol>
        )}
      </section>
    </>
  )
}
