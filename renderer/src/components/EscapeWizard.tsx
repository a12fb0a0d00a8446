import { useEffect, useId, useRef, useState } from 'react'
import { formatGwei } from 'viem'
import { jobHref, LEDGER_HREF } from '../stores/routeStore'
import { useEscapeWizardStore, type WizardAction } from '../stores/escapeWizardStore'
import { formatEth, urlLabel } from '../format'
import { Eth, When } from './Amount'
import { ErrorPanel } from './ErrorPanel'

const SIGNER_CHOICES = [
  { kind: 'ledger', label: 'Ledger', says: 'Your Ledger over USB, with the Ethereum app open. You check and approve each transaction on the device.' },
  { kind: 'file', label: 'Air-gapped computer', says: 'Each transaction is written to a file you carry to an offline computer, sign there with escape-hatch sign-file, and bring back.' },
  { kind: 'soft-ledger', label: 'Software Ledger (practice only)', says: 'A Ledger simulated in software with the public test keys: for the devnet and drills, refused on Ethereum mainnet.' },
] as const

/**
 * "Get my funds out": network → connections → signer and account → what to take out and where → the cost before
 * anything is signed → start. Each section appears once the one before has an answer; changing an answer clears
 * what depended on it. Everything goes through main (no mock data): the registry, the endpoint check, the plan.
 */
export function EscapeWizard() {
  const w = useEscapeWizardStore()
  const headingRef = useRef<HTMLHeadingElement>(null)
  const [l1Draft, setL1Draft] = useState('')
  const ids = { l1: useId(), l2: useId(), path: useId(), from: useId(), amount: useId(), destination: useId(), network: useId(), file: useId() }

  useEffect(() => {
    headingRef.current?.focus()
    void useEscapeWizardStore.getState().loadNetworks()
  }, [])

  const network = w.networks?.networks.find((n) => n.id === w.networkId)
  const mainnet = network?.l1ChainId === 1
  const busy = w.busy !== undefined
  const errorFor = (action: WizardAction) => (w.error?.action === action ? <ErrorPanel error={w.error.error} level={3} /> : null)

  return (
    <div className="escape-wizard">
      <h1 tabIndex={-1} ref={headingRef} id="main-heading">
        Get my funds out
      </h1>
      <p className="wizard-intro">
        Take your ETH out of an L2 through Ethereum (L1) alone, even if the L2’s operator ignores you. Nothing is signed until you have seen the cost and
        pressed Start. Every step is saved: you can close the app during the long waits.
      </p>
      {errorFor('networks')}

      <section className="card wizard-step" aria-labelledby="wizard-network">
        <h2 id="wizard-network">1. Network</h2>
        <label htmlFor={ids.network}>Which chain are your funds on?</label>
        <select id={ids.network} value={w.networkId} onChange={(e) => w.set({ networkId: e.target.value })} aria-describedby={`${ids.network}-hint`}>
          <option value="" disabled>
            {w.networks ? 'Choose a network' : 'Loading networks…'}
          </option>
          {w.networks?.networks.map((n) => (
            <option key={n.id} value={n.id} disabled={!n.escape.available}>
              {n.name} — on {n.l1Name}
              {n.escape.available ? '' : ' (not in this version)'}
            </option>
          ))}
          <option value="file">Another chain: a network file…</option>
        </select>
        <p className="hint" id={`${ids.network}-hint`}>
          {network ? network.escape.says : w.networkId === 'file' ? 'An Arbitrum Orbit chain config (JSON) or an Escape Hatch network file.' : ''}
        </p>
        {w.networkId === 'file' && (
          <p>
            <label htmlFor={ids.file}>Path of the network file</label>
            <input id={ids.file} type="text" value={w.networkFile} onChange={(e) => w.set({ networkFile: e.target.value })} />
          </p>
        )}
        {w.problems.network && <p className="field-problem">{w.problems.network}</p>}
        {w.networks && w.networks.notes.length > 0 && <p className="hint">{w.networks.notes.join(' ')}</p>}
      </section>

      <section className="card wizard-step" aria-labelledby="wizard-connections">
        <h2 id="wizard-connections">2. Connections</h2>
        <p>
          <strong>L1 RPC</strong> — the only source that is trusted, and only as far as your L1 endpoints agree. Add two or more from different
          providers: they are cross-checked. Only the host is shown from now on (API keys often sit in the address).
        </p>
        <form
          className="inline-form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault()
            if (w.addL1Url(l1Draft)) setL1Draft('')
          }}
        >
          <label htmlFor={ids.l1}>L1 RPC address</label>
          <input id={ids.l1} type="url" autoComplete="off" spellCheck={false} value={l1Draft} onChange={(e) => setL1Draft(e.target.value)} placeholder="https://…" />
          <button type="submit" className="button-secondary">
            Add L1 endpoint
          </button>
        </form>
        {w.problems.l1 && <p className="field-problem">{w.problems.l1}</p>}
        {w.l1Urls.length > 0 && (
          <ul className="endpoint-list" aria-label="L1 endpoints">
            {w.l1Urls.map((url, i) => (
              <li key={i}>
                <code>{urlLabel(url)}</code>
                {url !== urlLabel(url) && url !== `${urlLabel(url)}/` ? <span className="muted"> (rest of the address hidden)</span> : null}{' '}
                <button type="button" className="button-small" onClick={() => w.removeL1Url(i)} aria-label={`Remove ${urlLabel(url)}`}>
                  Remove
                </button>
              </li>
            ))}
          </ul>
        )}
        <p>
          <label htmlFor={ids.l2}>
            <strong>L2 node</strong> (optional)
          </label>
          <input
            id={ids.l2}
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={w.l2Url}
            onChange={(e) => w.set({ l2Url: e.target.value })}
            placeholder={network?.defaultL2Label ? `empty: use ${network.defaultL2Label}` : 'https://…'}
            aria-describedby={`${ids.l2}-hint`}
          />
        </p>
        <p className="hint" id={`${ids.l2}-hint`}>
          Trusted for nothing that moves money: it only tells your L2 balance and nonce, and where your withdrawal sits; everything is checked against
          L1 before any ETH moves.{network?.defaultL2Label ? ` Left empty, the network’s own node (${network.defaultL2Label}) is used.` : ''}
        </p>
        {w.problems.l2 && <p className="field-problem">{w.problems.l2}</p>}
        <p>
          <button type="button" className="button-primary" disabled={busy} onClick={() => void w.checkEndpoints()}>
            {w.busy === 'check' ? 'Checking…' : 'Check connections'}
          </button>
        </p>
        {errorFor('check')}
        {w.checks && (
          <div className="endpoint-checks" role="status">
            <p className={w.checks.l1Agree ? 'ok-text' : 'bad-text'}>{w.checks.agreement}</p>
            <ul>
              {w.checks.endpoints.map((c, i) => (
                <li key={i} className={c.ok ? 'ok-text' : 'bad-text'}>
                  {c.role === 'l1' ? 'L1' : 'L2 node'} <code>{c.label}</code>: {c.ok ? `answers, block ${c.head}` : c.problem}
                </li>
              ))}
            </ul>
          </div>
        )}
      </section>

      {w.checks?.l1Agree && (
        <section className="card wizard-step" aria-labelledby="wizard-signer">
          <h2 id="wizard-signer">3. Who signs</h2>
          <fieldset className="signer-choices">
            <legend className="visually-hidden">Signer</legend>
            {SIGNER_CHOICES.filter((c) => !(c.kind === 'soft-ledger' && mainnet)).map((c) => (
              <label key={c.kind} className="choice">
                <input type="radio" name="signer" value={c.kind} checked={w.signer === c.kind} onChange={() => w.set({ signer: c.kind })} />
                <span>
                  <strong>{c.label}</strong> — {c.says}
                </span>
              </label>
            ))}
          </fieldset>
          {w.signer === 'file' ? (
            <p>
              <label htmlFor={ids.from}>Your account address (it holds the ETH on L2 and pays the L1 fees)</label>
              <input id={ids.from} type="text" spellCheck={false} value={w.from} onChange={(e) => w.set({ from: e.target.value })} />
              {w.problems.from && <span className="field-problem">{w.problems.from}</span>}
            </p>
          ) : (
            <p>
              <label htmlFor={ids.path}>Account (derivation path)</label>
              <input id={ids.path} type="text" spellCheck={false} value={w.derivationPath} onChange={(e) => w.set({ derivationPath: e.target.value })} aria-describedby={`${ids.path}-hint`} />
              <span className="hint" id={`${ids.path}-hint`}>
                {" Ledger Live's first account is 44'/60'/0'/0/0; the next ones are 44'/60'/1'/0/0, 44'/60'/2'/0/0… "}
                <a href={LEDGER_HREF}>Choose it on the Ledger screen</a> (accounts with their balances, device status).
              </span>
            </p>
          )}
          <p>
            <button type="button" className="button-primary" disabled={busy} onClick={() => void w.readAccount()}>
              {w.busy === 'account' ? 'Reading…' : 'Read my account'}
            </button>
          </p>
          {errorFor('account')}
          {w.account && (
            <dl className="facts" aria-label="Your account">
              <dt>Account</dt>
              <dd>
                <code>{w.account.address}</code>
              </dd>
              <dt>On L1 ({network?.l1Name ?? 'L1'})</dt>
              <dd>
                <Eth wei={w.account.l1BalanceWei} /> <span className="muted">(pays the L1 fees)</span>
              </dd>
              <dt>On {network?.name ?? 'L2'}</dt>
              <dd>{w.account.l2BalanceWei === undefined ? 'unknown (no L2 node)' : <Eth wei={w.account.l2BalanceWei} />}</dd>
            </dl>
          )}
          {w.account && <p className="hint">{w.account.note}</p>}
        </section>
      )}

      {w.account && (
        <section className="card wizard-step" aria-labelledby="wizard-amount">
          <h2 id="wizard-amount">4. What to take out, and where to</h2>
          <p>
            <label htmlFor={ids.amount}>Amount in ETH</label>
            <input id={ids.amount} type="text" inputMode="decimal" value={w.amountEth} onChange={(e) => w.set({ amountEth: e.target.value })} aria-describedby={`${ids.amount}-hint`} />
            <span className="hint" id={`${ids.amount}-hint`}>
              {w.account.l2BalanceWei !== undefined ? ` You have ${formatEth(w.account.l2BalanceWei)} on ${network?.name ?? 'L2'}; keep a little for the L2 fee.` : ''}
            </span>
          </p>
          {w.problems.amount && <p className="field-problem">{w.problems.amount}</p>}
          <p>
            <label htmlFor={ids.destination}>Your address on L1 that receives it</label>
            <input id={ids.destination} type="text" spellCheck={false} value={w.destination} onChange={(e) => w.set({ destination: e.target.value })} aria-describedby={`${ids.destination}-hint`} />
            <span className="hint" id={`${ids.destination}-hint`}>
              {' '}
              A mistyped address with capital letters is caught by its checksum. Double-check it: ETH sent there cannot be called back.
            </span>
          </p>
          {w.problems.destination && <p className="field-problem">{w.problems.destination}</p>}
          <p>
            <button type="button" className="button-primary" disabled={busy} onClick={() => void w.showPreview()}>
              {w.busy === 'preview' ? 'Checking and pricing…' : 'Show the cost'}
            </button>
          </p>
          {errorFor('preview')}
        </section>
      )}

      {w.preview && <CostPreview />}
    </div>
  )
}

function CostPreview() {
  const w = useEscapeWizardStore()
  const p = w.preview!
  const busy = w.busy !== undefined
  return (
    <section className="card wizard-step cost-preview" aria-labelledby="wizard-cost">
      <h2 id="wizard-cost">5. The cost, before anything is signed</h2>
      <p>
        Take <Eth wei={p.amountWei} /> out of <strong>{p.network.name}</strong> to <code>{p.destination}</code> on {p.network.l1Name}, from{' '}
        <code>{p.account}</code>.
      </p>
      <table className="txs">
        <caption className="visually-hidden">The transactions you will sign, when, and their most L1 cost at today’s fees</caption>
        <thead>
          <tr>
            <th scope="col">You sign</th>
            <th scope="col">When</th>
            <th scope="col">Gas limit</th>
            <th scope="col">Most it costs</th>
          </tr>
        </thead>
        <tbody>
          {p.transactions.map((t) => (
            <tr key={t.step}>
              <td>
                <span className="chain-tag">{t.chain === 'L1' ? p.network.l1Name : p.network.name}</span> {t.what}
              </td>
              <td>{t.when.now ? 'now' : t.when.at ? <When iso={t.when.at} estimate /> : t.when.note}</td>
              <td>{t.gasLimit ?? '—'}</td>
              <td>{t.maxCostWei ? <Eth wei={t.maxCostWei} /> : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="facts" aria-label="Totals">
        <dt>L1 fees, at most</dt>
        <dd>
          <Eth wei={p.fees.totalMaxCostWei} /> <span className="muted">(at most {formatGwei(BigInt(p.fees.maxFeePerGasWei))} gwei per gas; you pay only the gas used)</span>
        </dd>
        <dt>Your L1 balance</dt>
        <dd>
          <Eth wei={p.fees.l1BalanceWei} />
        </dd>
        <dt>Bonds</dt>
        <dd>
          <Eth wei={p.fees.bondsWei} />
        </dd>
        <dt>L2 fee, at most</dt>
        <dd>
          <Eth wei={p.l2.maxFeeWei} /> <span className="muted">(taken from your L2 balance)</span>
        </dd>
      </dl>
      <p className="hint">
        {p.fees.note} Read at {p.network.l1Name} block {p.l1Block}; {p.l1BlockTime}. Sources: {p.endpoints.l1.join(', ')}; L2 node {p.endpoints.l2}.
      </p>
      {p.warnings.length > 0 && (
        <ul className="warnings" aria-label="Before you start">
          {p.warnings.map((x, i) => (
            <li key={i}>{x}</li>
          ))}
        </ul>
      )}
      <label className="choice">
        <input type="checkbox" checked={w.saveRpcUrls} onChange={(e) => w.set({ saveRpcUrls: e.target.checked })} />
        <span>Remember the RPC addresses in this job, so it resumes after a restart without asking (they may contain API keys; they are kept only on this computer).</span>
      </label>
      <p>
        <button
          type="button"
          className="button-primary"
          disabled={busy}
          onClick={() =>
            void w.start().then((jobId) => {
              if (jobId) {
                useEscapeWizardStore.getState().reset()
                window.location.hash = jobHref(jobId)
              }
            })
          }
        >
          {w.busy === 'start' ? 'Starting…' : 'Start the escape'}
        </button>
      </p>
      {w.error?.action === 'start' && <ErrorPanel error={w.error.error} level={3} />}
    </section>
  )
}
