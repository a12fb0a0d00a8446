import { formatTime, stepLabel } from '../format'
import { useJobsStore } from '../stores/jobsStore'
import { ESCAPE_HREF, jobHref, OP_DERIVE_HREF } from '../stores/routeStore'
import { escapeStepLabel } from '../escapeTimeline'
import { startActions } from '../startActions'

/**
 * The first screen: resume an unfinished job, open what can be started in this window (the drill), or see what
 * starting something else needs in this build. Only actions that work are offered as controls; the others say
 * plainly what they need.
 */
export function StartScreen() {
  const { status, jobs } = useJobsStore()
  const unfinished = jobs.filter((job) => job.status === 'active')
  return (
    <div className="start-screen">
      <h1 tabIndex={-1} id="main-heading">
        What do you want to do?
      </h1>
      <section className="card card-emergency" aria-labelledby="escape-heading">
        <h2 id="escape-heading">Get my funds out</h2>
        <p>
          Your L2 will not process your withdrawal? Take your ETH out through Ethereum (L1) alone. The app guides you: network, connections, your
          Ledger, the cost before you sign, then every step with its date.
        </p>
        <p className="card-action">
          <a className="button-primary button-large" href={ESCAPE_HREF}>
            Get my funds out
          </a>
        </p>
      </section>
      <section className="card" aria-labelledby="resume-heading">
        <h2 id="resume-heading">Resume a job</h2>
        {status === 'loading' && <p className="muted">Reading the journal…</p>}
        {status === 'ready' && unfinished.length === 0 && (
          <p>No unfinished jobs on this computer. Every job you start is saved step by step, and shows up here until it is done.</p>
        )}
        {unfinished.length > 0 && (
          <ul className="resume-list">
            {unfinished.map((job) => (
              <li key={job.id}>
                <a href={jobHref(job.id)}>{job.title}</a>
                <span className="muted">
                  {job.paused ? ' — paused' : ''}
                  {job.currentStep ? ` — ${escapeStepLabel(job.currentStep) ?? stepLabel(job.currentStep)}` : ''}
                  {job.paused?.until ? ` · can go on from ${formatTime(job.paused.until)}` : ` · updated ${formatTime(job.updatedAt)}`}
                  {job.pendingTxs > 0 ? ` · ${job.pendingTxs} transaction${job.pendingTxs === 1 ? '' : 's'} waiting` : ''}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      {startActions.map((action) => (
        <section key={action.id} className="card" aria-labelledby={`${action.id}-heading`}>
          <h2 id={`${action.id}-heading`}>{action.title}</h2>
          <p>{action.purpose}</p>
          {action.availability === 'in-app' && action.href && (
            <p className="card-action">
              <a className="button-primary" href={action.href}>
                {action.linkLabel ?? action.title}
              </a>
            </p>
          )}
          <p className="needs">
            {action.availability === 'command-line' && <strong>From the command line. </strong>}
            {action.needs}
          </p>
          {action.command && (
            <p>
              <code className="command">{action.command}</code>
            </p>
          )}
        </section>
      ))}
      <section className="card" aria-labelledby="op-derive-heading">
        <h2 id="op-derive-heading">See what L1 says an OP Stack chain contains</h2>
        <p>
          Suspect censorship? Rebuild OP Mainnet, Base or another OP Stack chain from Ethereum L1 alone, with no sequencer: see the L2 block your L1
          deposit was (or must be) included in, and the transactions that touch your address. Read-only.
        </p>
        <p className="card-action">
          <a className="button-primary" href={OP_DERIVE_HREF}>
            Rebuild from L1
          </a>
        </p>
        <p className="needs">
          Needs an L1 RPC URL (and a beacon node URL for blob data). Also from a terminal: <code className="command">npx escape-hatch op derive --help</code>
        </p>
      </section>
    </div>
  )
}
