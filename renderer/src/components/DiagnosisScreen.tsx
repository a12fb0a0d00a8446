import { useEffect, useId, useRef, useState } from 'react'
import { urlLabel } from '../format'
import { useDiagnosisStore } from '../stores/diagnosisStore'
import { Eth, When } from './Amount'
import { ErrorPanel } from './ErrorPanel'
import { SaveReportAs } from './SaveReportAs'

/**
 * Support diagnosis: paste an address or a transaction hash (never a key) → each exit in flight with its stage, what
 * blocks it, its dates and the one next action, read from L1 (the L2 node only helps find withdrawals, and what it
 * says is checked against L1). The report (HTML + JSON) has every RPC address cut to its host.
 */
export function DiagnosisScreen() {
  const d = useDiagnosisStore()
  const headingRef = useRef<HTMLHeadingElement>(null)
  const resultRef = useRef<HTMLHeadingElement>(null)
  const [draft, setDraft] = useState('')
  const ids = { network: useId(), query: useId(), l1: useId(), l2: useId() }

  const l2Ref = useRef<HTMLInputElement>(null)
  useEffect(() => {
    if (l2Ref.current) l2Ref.current.value = useDiagnosisStore.getState().l2Url
    headingRef.current?.focus()
    void useDiagnosisStore.getState().loadNetworks()
  }, [])
  useEffect(() => {
    if (d.status === 'ready') resultRef.current?.focus()
  }, [d.status])

  return (
    <div className="diagnosis">
      <h1 tabIndex={-1} ref={headingRef} id="main-heading">
        Where does a withdrawal stand?
      </h1>
      <p>Read-only: nothing is signed or sent, and no key is asked for. For support staff and for you.</p>
      <form
        className="card"
        aria-label="What to diagnose"
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          void d.run()
        }}
      >
        <p>
          <label htmlFor={ids.network}>Network</label>
          <select id={ids.network} value={d.networkId} onChange={(e) => d.set({ networkId: e.target.value })}>
            {d.networks?.networks.map((n) => (
              <option key={n.id} value={n.id}>
                {n.name} — on {n.l1Name}
              </option>
            ))}
          </select>
        </p>
        <p>
          <label htmlFor={ids.query}>Address or transaction hash</label>
          <input id={ids.query} type="text" spellCheck={false} autoComplete="off" value={d.query} onChange={(e) => d.set({ query: e.target.value })} placeholder="0x…" />
        </p>
        <div className="inline-form">
          <label htmlFor={ids.l1}>L1 RPC address</label>
          <input id={ids.l1} type="url" autoComplete="off" spellCheck={false} value={draft} onChange={(e) => setDraft(e.target.value)} placeholder="https://…" />
          <button
            type="button"
            className="button-secondary"
            onClick={() => {
              if (d.addL1Url(draft)) setDraft('')
            }}
          >
            Add L1 endpoint
          </button>
        </div>
        {d.l1Urls.length > 0 && (
          <ul className="endpoint-list" aria-label="L1 endpoints">
            {d.l1Urls.map((url, i) => (
              <li key={i}>
                <code>{urlLabel(url)}</code>{' '}
                <button type="button" className="button-small" onClick={() => d.removeL1Url(i)} aria-label={`Remove ${urlLabel(url)}`}>
                  Remove
                </button>
              </li>
            ))}
          </ul>
        )}
        <p>
          <label htmlFor={ids.l2}>L2 node (optional; finds withdrawals — what it says is checked against L1)</label>
          {/* Uncontrolled, without defaultValue: React mirrors a controlled value (and defaultValue) into the `value`
              attribute, which would put an API key in the page's markup; the field's value is set as a property only. */}
          <input ref={l2Ref} id={ids.l2} type="password" autoComplete="off" onChange={(e) => d.set({ l2Url: e.target.value })} placeholder="empty: the network's own, if any" />
        </p>
        {d.problem && <p className="field-problem">{d.problem}</p>}
        <p>
          <button type="submit" className="button-primary" disabled={d.status === 'running'}>
            {d.status === 'running' ? 'Reading L1…' : 'Diagnose'}
          </button>
        </p>
      </form>
      {d.error && <ErrorPanel error={d.error} context="Diagnosis" level={2} />}
      {d.result && (
        <section className="card diagnosis-result" aria-labelledby="diagnosis-result-heading">
          <h2 tabIndex={-1} ref={resultRef} id="diagnosis-result-heading">
            {d.result.network.name}: <code>{d.result.address}</code>
          </h2>
          {d.result.fromTransaction && <p>{d.result.fromTransaction.found}</p>}
          <p className="hint">
            Read at {d.result.network.l1Name} block {d.result.l1Block}; {d.result.l1BlockTime}. Sources: {d.result.sources.l1.join(', ')}
            {d.result.sources.l2 ? `; L2 node ${d.result.sources.l2}` : ''}.
          </p>
          {d.result.exits.length === 0 && <p>No withdrawal or forced transaction in flight was found for this address.</p>}
          <ol className="diagnosis-exits">
            {d.result.exits.map((e, i) => (
              <li key={i} className={e.matchesQuery ? 'diagnosis-exit matches' : 'diagnosis-exit'}>
                <h3>
                  {e.title}
                  {e.matchesQuery ? ' — the transaction you pasted' : ''}
                </h3>
                <p>
                  <strong>Stage:</strong> {e.stageLabel}
                </p>
                {e.blocker && (
                  <p>
                    <strong>What blocks it:</strong> {e.blocker}
                  </p>
                )}
                <p>
                  <strong>Next:</strong>{' '}
                  {e.nextAction ? (
                    <>
                      {e.nextAction.description} — {e.nextAction.ready ? 'now' : <>from <When iso={e.nextAction.at} estimate={e.nextAction.estimate} /></>}
                    </>
                  ) : (
                    'nothing: this one is done.'
                  )}
                </p>
                {e.deadlines.length > 0 && (
                  <ul>
                    {e.deadlines.map((x, j) => (
                      <li key={j}>
                        {x.what}: <When iso={x.at} estimate={x.estimate} />
                        {x.passed ? ' (passed)' : ''}
                      </li>
                    ))}
                  </ul>
                )}
                {e.facts.valueWei && (
                  <p>
                    Amount: <Eth wei={e.facts.valueWei} />
                  </p>
                )}
              </li>
            ))}
          </ol>
          {d.result.notes.length > 0 && (
            <ul className="hint">
              {d.result.notes.map((n, i) => (
                <li key={i}>{n}</li>
              ))}
            </ul>
          )}
          <div className="report-buttons">
            <button type="button" className="button-primary" disabled={d.saving} onClick={() => void d.save()}>
              Save the report (HTML + JSON)
            </button>{' '}
            <SaveReportAs save={(to) => void d.save(to)} busy={d.saving} example="/home/you/Documents/diagnosis.html" />
          </div>
          {d.saved && (
            <p className="report-saved" role="status">
              Report saved: <code className="report-path">{d.saved.htmlPath}</code> and <code>{d.saved.jsonPath}</code>. RPC addresses are cut to their host.
            </p>
          )}
        </section>
      )}
    </div>
  )
}

