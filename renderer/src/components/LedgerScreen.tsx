import { Fragment, useEffect, useId, useRef } from 'react'
import { derivationPresets } from '../../../shared/signing/derivationPaths'
import type { LedgerSigningView } from '../../../shared/ipc/ledgerSchemas'
import type { LedgerInstruction } from '../../../shared/signing/ledgerInstructions'
import { jobHref } from '../stores/routeStore'
import { useEscapeWizardStore } from '../stores/escapeWizardStore'
import { useJobsStore } from '../stores/jobsStore'
import { PAGE_SIZE, useLedgerStore, type DerivationScheme, type LedgerProblem } from '../stores/ledgerStore'
import { Eth } from './Amount'
import { ErrorPanel } from './ErrorPanel'

const SIGNERS = [
  { kind: 'ledger', label: 'Ledger over USB' },
  { kind: 'soft-ledger', label: 'Software Ledger (practice only)' },
] as const

const SCHEMES: { id: DerivationScheme; label: string; description: string }[] = [
  { id: 'ledger-live', label: derivationPresets['ledger-live'].label, description: derivationPresets['ledger-live'].description },
  { id: 'legacy', label: derivationPresets.legacy.label, description: derivationPresets.legacy.description },
  { id: 'custom', label: 'Custom path', description: "Any path you used elsewhere, e.g. 44'/60'/0'/0/6 (MetaMask's 7th account)." },
]

/**
 * The Ledger screen: connect and see what the device needs (unlock, open the Ethereum app, enable blind signing) as
 * an instruction with a retry; pick the account from the usual derivation paths with its ETH on L1; and for every
 * transaction a job asks the Ledger to sign, the call decoded from its bytes and the exact hash the device shows.
 */
export function LedgerScreen() {
  const l = useLedgerStore()
  const wizard = useEscapeWizardStore()
  const headingRef = useRef<HTMLHeadingElement>(null)
  const ids = { scheme: useId(), start: useId(), path: useId() }

  useEffect(() => {
    headingRef.current?.focus()
    void useLedgerStore.getState().open()
  }, [])

  const network = wizard.networks?.networks.find((n) => n.id === wizard.networkId)
  const byJob = groupByJob(l.signings)

  return (
    <div className="ledger">
      <h1 tabIndex={-1} ref={headingRef} id="main-heading">
        Your Ledger
      </h1>
      <p>Connect the device, choose the account that holds your funds, and check each transaction before you approve it on the device.</p>

      <section className="card" aria-labelledby="ledger-device">
        <h2 id="ledger-device">1. The device</h2>
        <fieldset className="signer-choices">
          <legend className="visually-hidden">Which Ledger</legend>
          {SIGNERS.map((s) => (
            <label key={s.kind} className="choice">
              <input type="radio" name="ledger-signer" value={s.kind} checked={l.signer === s.kind} onChange={() => l.set({ signer: s.kind })} />
              <span>{s.label}</span>
            </label>
          ))}
        </fieldset>
        <p>
          <button type="button" className="button-primary" disabled={l.checking} onClick={() => void Promise.all([l.checkStatus(), l.readAccounts()])}>
            {l.checking ? 'Checking…' : l.status || l.statusProblem ? 'Check again' : 'Connect'}
          </button>
        </p>
        {l.status && !l.status.instruction && (
          <p className="ok-text" role="status">
            Connected{l.status.model ? `: ${l.status.model}` : ''}. Ethereum app {l.status.app?.version} is open and blind signing is on — ready to sign.
          </p>
        )}
        {l.status?.instruction && <InstructionPanel instruction={l.status.instruction} onRetry={() => void l.checkStatus()} busy={l.checking} />}
        {l.statusProblem && <ProblemPanel problem={l.statusProblem} onRetry={() => void l.checkStatus()} busy={l.checking} context="Checking the Ledger" />}
      </section>

      <section className="card" aria-labelledby="ledger-accounts">
        <h2 id="ledger-accounts">2. Your account</h2>
        <p>
          <label htmlFor={ids.scheme}>Derivation path</label>
          <select id={ids.scheme} value={l.scheme} onChange={(e) => l.set({ scheme: e.target.value as DerivationScheme })} aria-describedby={`${ids.scheme}-hint`}>
            {SCHEMES.map((s) => (
              <option key={s.id} value={s.id}>
                {s.label}
              </option>
            ))}
          </select>
          <span className="hint" id={`${ids.scheme}-hint`}>
            {' '}
            {SCHEMES.find((s) => s.id === l.scheme)?.description}
          </span>
        </p>
        {l.scheme === 'custom' ? (
          <p>
            <label htmlFor={ids.path}>Custom path</label>
            <input
              id={ids.path}
              type="text"
              spellCheck={false}
              autoComplete="off"
              value={l.customPath}
              placeholder="44'/60'/0'/0/0"
              onChange={(e) => l.set({ customPath: e.target.value })}
              onKeyDown={(e) => {
                if (e.key === 'Enter') void l.readAccounts()
              }}
              aria-invalid={l.pathProblem ? true : undefined}
            />
            {l.pathProblem && <span className="field-problem">{l.pathProblem}</span>}
          </p>
        ) : (
          <p>
            <label htmlFor={ids.start}>From account number</label>
            <input id={ids.start} type="number" min={0} max={100000} value={l.start + 1} onChange={(e) => l.set({ start: Math.max(0, Math.min(100_000, Math.floor(Number(e.target.value) || 1) - 1)) })} />
          </p>
        )}
        <p>
          <button type="button" className="button-secondary" disabled={l.reading} onClick={() => void l.readAccounts()}>
            {l.reading ? 'Reading…' : l.scheme === 'custom' ? 'Read this account' : `Read ${PAGE_SIZE} accounts`}
          </button>
        </p>
        {l.accountsProblem && <ProblemPanel problem={l.accountsProblem} onRetry={() => void l.readAccounts()} busy={l.reading} context="Reading the accounts" />}
        {l.accounts && (
          <>
            <table className="ledger-accounts" aria-label="Accounts on this Ledger">
              <thead>
                <tr>
                  <th scope="col">Path</th>
                  <th scope="col">Address</th>
                  <th scope="col">ETH on {l.accounts.balances?.l1Name ?? network?.l1Name ?? 'L1'}</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {l.accounts.accounts.map((a) => (
                  <tr key={a.path} className={wizard.derivationPath === a.path && wizard.signer === l.signer ? 'selected' : undefined}>
                    <td>
                      <code>{a.path}</code>
                    </td>
                    <td>
                      <code className="address">{a.address}</code>
                    </td>
                    <td>{a.l1BalanceWei === undefined ? <span className="muted">not read</span> : <Eth wei={a.l1BalanceWei} />}</td>
                    <td className="actions">
                      <button type="button" className="button-small" onClick={() => l.useAccount(a.path)} aria-label={`Use account ${a.path}`}>
                        Use this account
                      </button>{' '}
                      <button type="button" className="button-small" onClick={() => void l.showOnDevice(a.path)} aria-label={`Show ${a.path} on the device`}>
                        Show on device
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {l.accounts.balances && (
              <p className="hint">
                Balances at {l.accounts.balances.l1Name} block {l.accounts.balances.l1Block}, agreed by {l.accounts.balances.endpoints.join(', ')}.
              </p>
            )}
            {l.accounts.notes.map((n, i) => (
              <p key={i} className="hint">
                {n}
              </p>
            ))}
          </>
        )}
        {l.shown && (
          <p role="status">
            Your Ledger showed <code>{l.shown.address}</code> for <code>{l.shown.path}</code>: it must be the same address, character for character.
          </p>
        )}
      </section>

      <section className="card" aria-labelledby="ledger-signatures">
        <h2 id="ledger-signatures">3. What you sign</h2>
        {byJob.length === 0 && <p>Nothing yet. When an escape asks your Ledger to sign, each transaction shows here first: what it does, and the hash your Ledger will show.</p>}
        {byJob.map(([jobId, list]) => (
          <div key={jobId} className="ledger-job">
            <h3>
              Escape <a href={jobHref(jobId)}>{jobId}</a>
            </h3>
            <ol className="ledger-signings">
              {list.map((s, i) => (
                <li key={s.id}>
                  <SigningCard signing={s} latest={i === list.length - 1} />
                </li>
              ))}
            </ol>
          </div>
        ))}
      </section>

      <AirGappedSection />
    </div>
  )
}

/**
 * Signing on an offline machine instead: the request file the escape exported (what it does, decoded from its bytes),
 * saved where the user wants it (a USB stick), and the signed file brought back, checked exactly as the job will check
 * it before the job continues with it.
 */
function AirGappedSection() {
  const air = useLedgerStore((s) => s.air)
  const l = useLedgerStore()
  const jobs = useJobsStore((s) => s.jobs).filter((j) => j.status === 'active' && j.kind === 'arb-escape')
  const ids = { job: useId(), to: useId(), signed: useId() }
  const busy = air.busy !== undefined
  return (
    <section className="card" aria-labelledby="ledger-airgapped">
      <h2 id="ledger-airgapped">4. Or sign on an offline machine</h2>
      <p>For an escape started with the air-gapped signer: carry the request file to the offline machine, sign it there with <code>escape-hatch sign-file</code>, and bring the signed file back.</p>
      <p>
        <label htmlFor={ids.job}>Escape</label>
        <select id={ids.job} value={air.jobId} onChange={(e) => l.setAir({ jobId: e.target.value })}>
          <option value="">Choose an unfinished escape</option>
          {jobs.map((j) => (
            <option key={j.id} value={j.id}>
              {j.title} ({j.id})
            </option>
          ))}
        </select>{' '}
        <button type="button" className="button-secondary" disabled={!air.jobId || busy} onClick={() => void l.loadAirRequest()}>
          Show the request to sign
        </button>
      </p>
      {air.request && (
        <>
          <p className="status-line">
            <strong>To sign offline</strong> · {air.request.call.summary}
          </p>
          <dl className="facts" aria-label="What the request file does (decoded from its bytes)">
            <dt>Signed by</dt>
            <dd>
              <code>{air.request.from}</code>
            </dd>
            {air.request.call.fields.map((f, i) => (
              <Fragment key={i}>
                <dt>{f.label}</dt>
                <dd>{f.value}</dd>
              </Fragment>
            ))}
            <dt>Hash it signs</dt>
            <dd>
              <code className="signing-hash">{air.request.signingHash}</code>
            </dd>
            <dt>Exported to</dt>
            <dd>
              <code>{air.request.file}</code>
            </dd>
          </dl>
          <div className="inline-form">
            <label htmlFor={ids.to}>Save a copy to (full path, e.g. on a USB stick)</label>
            <input id={ids.to} type="text" spellCheck={false} autoComplete="off" value={air.exportTo} onChange={(e) => l.setAir({ exportTo: e.target.value })} placeholder="/media/usb/escape.unsigned.json" />
            <button type="button" className="button-secondary" disabled={busy || !air.exportTo.trim()} onClick={() => void l.exportAirRequest()}>
              Save the request file
            </button>
          </div>
          {air.exported && (
            <p role="status" className="ok-text">
              Saved <code>{air.exported.path}</code> ({air.exported.bytes} bytes). Keep the app’s own copy: the signed file is checked against it.
            </p>
          )}
          <div className="inline-form">
            <label htmlFor={ids.signed}>Signed file brought back (full path)</label>
            <input id={ids.signed} type="text" spellCheck={false} autoComplete="off" value={air.signedFile} onChange={(e) => l.setAir({ signedFile: e.target.value })} />
            <button type="button" className="button-secondary" disabled={busy || !air.signedFile.trim()} onClick={() => void l.checkSignedFile()}>
              Check the signed file
            </button>
          </div>
          {air.checked && (
            <div role="status">
              <p className="ok-text">
                The signed file signs exactly this request, by <code>{air.checked.from}</code>. Transaction hash once sent: <code>{air.checked.hash}</code>.
              </p>
              <button type="button" className="button-primary" disabled={busy || air.continued} onClick={() => void l.continueWithSignedFile()}>
                {air.continued ? 'The escape continues — see its page' : 'Continue the escape with it'}
              </button>
            </div>
          )}
        </>
      )}
      {air.error && <ErrorPanel error={air.error} context="Air-gapped signing" level={3} />}
    </section>
  )
}

const STATE_LABELS: Record<LedgerSigningView['state'], string> = {
  'waiting-for-device': 'Waiting for your approval on the Ledger',
  signed: 'Signed',
  failed: 'Not signed',
}

function SigningCard({ signing: s, latest }: { signing: LedgerSigningView; latest: boolean }) {
  const l = useLedgerStore()
  const retry = () => void l.retry(s.jobId)
  const statusLine = (
    <>
      <strong>
        {STATE_LABELS[s.state]}
        {s.state === 'failed' && s.instruction ? ` (${s.instruction.title.replace(/\.$/, '')})` : ''}
      </strong>{' '}
      · {s.call.summary}
    </>
  )
  // Earlier attempts fold away: the latest one is what the device is about now.
  if (!latest) {
    return (
      <article className={`ledger-signing ledger-signing-${s.state}`} aria-label={`${s.call.action ?? 'Transaction'} on ${s.call.chain}`}>
        <details>
          <summary>{statusLine}</summary>
          <SigningDetails signing={s} />
        </details>
      </article>
    )
  }
  return (
    <article className={`ledger-signing ledger-signing-${s.state}`} aria-label={`${s.call.action ?? 'Transaction'} on ${s.call.chain}`}>
      <p className="status-line">{statusLine}</p>
      <SigningDetails signing={s} />
      {s.state === 'failed' && s.instruction && <InstructionPanel instruction={s.instruction} onRetry={retry} busy={l.retrying === s.jobId} />}
      {s.state === 'failed' && !s.instruction && s.problem && (
        <p className="bad-text">
          {s.problem}{' '}
          <button type="button" className="button-secondary" disabled={l.retrying === s.jobId} onClick={retry}>
            Try again
          </button>
        </p>
      )}
      {l.retryProblem?.jobId === s.jobId && <ErrorPanel error={l.retryProblem.error} context="Trying again" level={4} />}
    </article>
  )
}

/** The decoded call and what the device shows. */
function SigningDetails({ signing: s }: { signing: LedgerSigningView }) {
  return (
    <>
      <dl className="facts" aria-label="What it does (decoded from the bytes the Ledger signs)">
        {s.call.fields.map((f, i) => (
          <Fragment key={i}>
            <dt>{f.label}</dt>
            <dd>{f.value}</dd>
          </Fragment>
        ))}
      </dl>
      {s.call.problems.length > 0 && (
        <ul className="bad-text">
          {s.call.problems.map((p, i) => (
            <li key={i}>{p}</li>
          ))}
        </ul>
      )}
      <div className="device-shows">
        <p>
          <strong>{s.device.mode === 'blind' ? 'Your Ledger will show this hash:' : 'Your Ledger will show:'}</strong>
        </p>
        {s.device.mode === 'blind' && (
          <p>
            <code className="signing-hash" aria-label="Hash shown on the Ledger">
              {s.device.signingHash}
            </code>
          </p>
        )}
        <p className="hint">{s.device.explanation}</p>
      </div>
    </>
  )
}

function InstructionPanel({ instruction, onRetry, busy }: { instruction: LedgerInstruction; onRetry: () => void; busy: boolean }) {
  const headingId = useId()
  return (
    <section className={`ledger-instruction ledger-${instruction.state}`} role="alert" aria-labelledby={headingId}>
      <h3 id={headingId}>{instruction.title}</h3>
      <ol>
        {instruction.steps.map((step, i) => (
          <li key={i}>{step}</li>
        ))}
      </ol>
      <button type="button" className="button-primary" disabled={busy} onClick={onRetry}>
        {busy ? 'Trying…' : instruction.retry}
      </button>
    </section>
  )
}

function ProblemPanel({ problem, onRetry, busy, context }: { problem: LedgerProblem; onRetry: () => void; busy: boolean; context: string }) {
  if ('instruction' in problem) return <InstructionPanel instruction={problem.instruction} onRetry={onRetry} busy={busy} />
  return <ErrorPanel error={problem.error} context={context} level={3} />
}

function groupByJob(signings: LedgerSigningView[]): [string, LedgerSigningView[]][] {
  const map = new Map<string, LedgerSigningView[]>()
  for (const s of signings) map.set(s.jobId, [...(map.get(s.jobId) ?? []), s])
  return [...map.entries()].reverse()
}
