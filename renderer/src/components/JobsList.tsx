import { useRef, type KeyboardEvent } from 'react'
import { formatTime, jobStatusLabel, stepLabel } from '../format'
import { ESCAPE_STEP_LABELS } from '../escapeTimeline'
import { useJobsStore } from '../stores/jobsStore'
import { jobHref, useRouteStore } from '../stores/routeStore'

/**
 * The jobs on this computer, newest activity first, kept current by main's events. Each job is a link (Tab/Enter),
 * and Up/Down/Home/End move between them.
 */
export function JobsList() {
  const { status, jobs, problems } = useJobsStore()
  const route = useRouteStore((s) => s.route)
  const listRef = useRef<HTMLUListElement>(null)
  const currentId = route.screen === 'job' ? route.jobId : undefined

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>) => {
    const links = [...(listRef.current?.querySelectorAll<HTMLAnchorElement>('a.job-link') ?? [])]
    const index = links.indexOf(document.activeElement as HTMLAnchorElement)
    if (index === -1) return
    const next = { ArrowDown: index + 1, ArrowUp: index - 1, Home: 0, End: links.length - 1 }[event.key]
    if (next === undefined) return
    event.preventDefault()
    links[Math.max(0, Math.min(links.length - 1, next))]?.focus()
  }

  return (
    <nav className="jobs-nav" aria-labelledby="jobs-heading">
      <h2 id="jobs-heading">Jobs</h2>
      {status === 'loading' && <p className="muted" role="status">Loading jobs…</p>}
      {status === 'failed' && <p className="muted">The jobs list could not be loaded (see the message above).</p>}
      {status === 'ready' && jobs.length === 0 && <p className="muted">No jobs on this computer yet.</p>}
      {jobs.length > 0 && (
        <ul className="jobs-list" ref={listRef} onKeyDown={onKeyDown}>
          {jobs.map((job) => (
            <li key={job.id}>
              <a className="job-link" href={jobHref(job.id)} aria-current={job.id === currentId ? 'page' : undefined}>
                <span className="job-title">{job.title}</span>
                <span className="job-meta">
                  {job.status === 'active' && job.paused ? (
                    <span className="status status-paused">Paused</span>
                  ) : (
                    <span className={`status status-${job.status}`}>{jobStatusLabel(job.status)}</span>
                  )}
                  {job.currentStep && <span> · {ESCAPE_STEP_LABELS[job.currentStep] ?? stepLabel(job.currentStep)}</span>}
                </span>
                <span className="job-time">
                  {job.status === 'active' && job.paused?.until ? <>Can go on from {formatTime(job.paused.until)}</> : <>Updated {formatTime(job.updatedAt)}</>}
                </span>
                {job.lastError && <span className="job-warning">Last error: {job.lastError.shortMessage}</span>}
              </a>
            </li>
          ))}
        </ul>
      )}
      {problems.length > 0 && (
        <p className="jobs-problems" role="note">
          {problems.length === 1 ? '1 journal has' : `${problems.length} journals have`} problems; open the job to see them.
        </p>
      )}
    </nav>
  )
}
