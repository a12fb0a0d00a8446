import { useEffect, useId, useRef, useState } from 'react'
import { formatGwei, formatUnits } from 'viem'
import { jobHref, LEDGER_HREF } from '../stores/routeStore'
import { useEscapeWizardStore, type WizardAction } from '../stores/escapeWizardStore'
import { formatEth, urlLabel } from '../format'
import { Eth, When } from './Amount'
import { ErrorPanel } from './ErrorPanel'
import { SecretInput } from './SecretInput'

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
  const ids = { l1: useId(), l2: useId(), path: useId(), from: useId(), amount: useId(), destination: useId(), network: useId(), file: useId(), genesis: useId(), beacon: useId(), source: useId() }

  useEffect(() => {
    headingRef.current?.focus()
    void useEscapeWizardStore.getState().loadNetworks()
  }, [])

  const network = w.networks?.networks.find((n) => n.id === w.networkId)
  const mainnet = network?.l1ChainId === 1
  const op = network?.stack === 'op-stack'
  const unavailable = w.networks?.networks.filter((n) => !n.escape.available) ?? []
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
            <option key={n.id} value={n.id} disabled={!n.escape.available} title={n.escape.says}>
              {n.name} — on {n.l1Name}
              {n.escape.available ? '' : ' (not supported)'}
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
        {unavailable.length > 0 && (
          <ul className="hint unsupported-networks" aria-label="Networks not supported">
            {unavailable.map((n) => (
              <li key={n.id}>
                <strong>{n.name}</strong>: {n.escape.says}
              </li>
            ))}
          </ul>
        )}
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
          <SecretInput id={ids.l1} type="url" value={l1Draft} onChange={setL1Draft} placeholder="https://…" />
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
          <SecretInput
            id={ids.l2}
            type="password"
            value={w.l2Url}
            onChange={(l2Url) => w.set({ l2Url })}
            placeholder={network?.defaultL2Label ? `empty: use ${network.defaultL2Label}` : 'https://…'}
            aria-describedby={`${ids.l2}-hint`}
          />
        </p>
        <p className="hint" id={`${ids.l2}-hint`}>
          {op
            ? 'Trusted for nothing: it shows your L2 balances, and, if you choose it as the source below, gives the withdrawal’s proof, which is checked against L1 before anything is signed.'
            : 'Trusted for nothing that moves money: it only tells your L2 balance and nonce, and where your withdrawal sits; everything is checked against L1 before any ETH moves.'}
          {network?.defaultL2Label ? ` Left empty, the network’s own node (${network.defaultL2Label}) is used.` : ''}
        </p>
        {w.problems.l2 && <p className="field-problem">{w.problems.l2}</p>}
        {op && <OpSourceChoice ids={ids} devnet={network?.id === 'devnet-op'} />}
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
            {SIGNER_CHOICES.filter((c) => !(c.kind === 'soft-ledger' && mainnet) && !(c.kind === 'file' && op)).map((c) => (
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
              {w.account.l2BalanceWei !== undefined
                ? op
                  ? ` You have ${formatEth(w.account.l2BalanceWei)} on ${network?.name ?? 'L2'} (as the L2 node reports it). No L2 fee: the L1 deposit buys the L2 gas. 0 or empty to take tokens only.`
                  : ` You have ${formatEth(w.account.l2BalanceWei)} on ${network?.name ?? 'L2'}; keep a little for the L2 fee.`
                : op
                  ? ' 0 or empty to take tokens only.'
                  : ''}
            </span>
          </p>
          {w.problems.amount && <p className="field-problem">{w.problems.amount}</p>}
          {op && <OpTokens />}
          <p>
            <label htmlFor={ids.destination}>Your address on L1 that receives it</label>
            <input id={ids.destination} type="text" spellCheck={false} value={w.destination} onChange={(e) => w.set({ destination: e.target.value })} aria-describedby={`${ids.destination}-hint`} />
            <span className="hint" id={`${ids.destination}-hint`}>
              {' '}
              A mistyped address with capital letters is caught by its checksum. Double-check it: {op ? 'funds' : 'ETH'} sent there cannot be called back.
              {op
                ? ` On ${network?.name ?? 'an OP Stack chain'} the forced withdrawal is an L1 deposit sent from your account ${w.account.address}, so that same address is the sender on L2: it must be the one holding the funds there. Only the receiving address below may differ.`
                : ''}
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
        Take{' '}
        {p.assets ? (
          p.assets.map((a, i) => (
            <span key={i}>
              {i > 0 ? (i === p.assets!.length - 1 ? ' and ' : ', ') : ''}
              {a.kind === 'eth' ? <Eth wei={a.amountWei} /> : <TokenAmount amountWei={a.amountWei} decimals={a.decimals} symbol={a.symbol} />}
            </span>
          ))
        ) : (
          <Eth wei={p.amountWei} />
        )}{' '}
        out of <strong>{p.network.name}</strong> to <code>{p.destination}</code> on {p.network.l1Name}, from <code>{p.account}</code>.
      </p>
      {p.source && (
        <p className="hint">
          <strong>Proof source: {p.source.kind === 'rebuild' ? 'rebuilt from L1' : 'an L2 node (untrusted)'}.</strong> {p.source.says}
        </p>
      )}
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
          {p.stack === 'op-stack' && p.fees.bondsWei !== '0' ? <span className="muted"> (the dispute game’s bond: locked only if the app creates a game; claimed back after the game)</span> : null}
        </dd>
        {p.stack === 'op-stack' ? (
          <>
            <dt>L2 fee</dt>
            <dd>none (the L1 deposit buys the L2 gas)</dd>
          </>
        ) : (
          p.l2 && (
            <>
              <dt>L2 fee, at most</dt>
              <dd>
                <Eth wei={p.l2.maxFeeWei} /> <span className="muted">(taken from your L2 balance)</span>
              </dd>
            </>
          )
        )}
      </dl>
      <p className="hint">
        {p.fees.note} Read at {p.network.l1Name} block {p.l1Block}; {p.l1BlockTime}. Sources: {p.endpoints.l1.join(', ')}
        {p.endpoints.l2 ? `; L2 node ${p.endpoints.l2}` : '; no L2 node'}.
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

/** OP Stack: where the proof's output root comes from, each choice with what it is trusted for. */
function OpSourceChoice({ ids, devnet }: { ids: { genesis: string; beacon: string; source: string }; devnet: boolean }) {
  const w = useEscapeWizardStore()
  return (
    <fieldset className="signer-choices op-source" aria-describedby={`${ids.source}-hint`}>
      <legend>
        <strong>Where the withdrawal’s proof comes from</strong>
      </legend>
      <label className="choice">
        <input type="radio" name="op-source" value="rebuild" checked={w.opSource === 'rebuild'} onChange={() => w.set({ opSource: 'rebuild' })} />
        <span>
          <strong>Rebuild from L1 (a genesis file)</strong> — the app rebuilds the chain from L1 alone and computes the output root itself: nothing from the
          L2 operator is trusted. Works even if the operator is gone.
        </span>
      </label>
      {w.opSource === 'rebuild' && (
        <p>
          <label htmlFor={ids.genesis}>Path of the chain’s genesis file (genesis.json)</label>
          <input
            id={ids.genesis}
            type="text"
            spellCheck={false}
            value={w.genesisFile}
            onChange={(e) => w.set({ genesisFile: e.target.value })}
            placeholder={devnet ? 'empty: the running devnet’s own genesis' : '/path/to/genesis.json'}
          />
        </p>
      )}
      <label className="choice">
        <input type="radio" name="op-source" value="l2-node" checked={w.opSource === 'l2-node'} onChange={() => w.set({ opSource: 'l2-node' })} />
        <span>
          <strong>An L2 node (untrusted)</strong> — the L2 node above gives the proof; it is trusted for nothing: its block and proofs are checked
          against a dispute game’s root claim on L1 before anything is signed. The app then waits for the chain’s proposer to post a game.
        </span>
      </label>
      <p>
        <label htmlFor={ids.beacon}>
          <strong>Blob archive</strong> (optional)
        </label>
        <SecretInput id={ids.beacon} type="password" value={w.beaconUrl} onChange={(beaconUrl) => w.set({ beaconUrl })} placeholder="https://…" aria-describedby={`${ids.beacon}-hint`} />
        <span className="hint" id={`${ids.beacon}-hint`}>
          {' '}
          A beacon node or blob archive, only needed to rebuild a chain that posts its batches as blobs. Trusted for nothing: every blob is checked against
          its hash on L1.
        </span>
      </p>
      {w.problems.beacon && <p className="field-problem">{w.problems.beacon}</p>}
      <p className="hint" id={`${ids.source}-hint`}>
        Either way, only L1 is trusted: the proof is checked against L1 before anything is signed.
      </p>
    </fieldset>
  )
}

/** OP Stack: standard-bridge tokens to take out in the same escape, with the balances read for this account. */
function OpTokens() {
  const w = useEscapeWizardStore()
  const [l1Draft, setL1Draft] = useState('')
  const [l2Draft, setL2Draft] = useState('')
  const ids = { l1: useId(), l2: useId() }
  return (
    <div className="op-tokens">
      <h3>Tokens (standard bridge)</h3>
      {w.tokens.length > 0 && (
        <ul className="token-list" aria-label="Tokens to take out">
          {w.tokens.map((t, i) => (
            <li key={t.info.l2Token}>
              <label>
                Amount of {t.info.symbol}{' '}
                <input type="text" inputMode="decimal" value={t.amount} onChange={(e) => w.setTokenAmount(i, e.target.value)} />
              </label>{' '}
              <span className="muted">
                {t.info.l2BalanceWei !== undefined ? (
                  <>
                    You have <TokenAmount amountWei={t.info.l2BalanceWei} decimals={t.info.decimals} symbol={t.info.symbol} /> on L2 (as the L2 node reports it)
                  </>
                ) : (
                  t.info.note
                )}
                ; <TokenAmount amountWei={t.info.l1BalanceWei} decimals={t.info.decimals} symbol={t.info.symbol} /> on L1. L1 token <code>{t.info.l1Token}</code>, L2 token{' '}
                <code>{t.info.l2Token}</code>.
              </span>{' '}
              <button type="button" className="button-small" onClick={() => w.removeToken(i)} aria-label={`Remove ${t.info.symbol}`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      {w.problems.token && <p className="field-problem">{w.problems.token}</p>}
      <form
        className="inline-form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault()
          void w.addToken(l1Draft, l2Draft).then((added) => {
            if (added) {
              setL1Draft('')
              setL2Draft('')
            }
          })
        }}
      >
        <label htmlFor={ids.l1}>L1 token address</label>
        <input id={ids.l1} type="text" spellCheck={false} value={l1Draft} onChange={(e) => setL1Draft(e.target.value)} placeholder="0x…" />
        <label htmlFor={ids.l2}>L2 token address</label>
        <input id={ids.l2} type="text" spellCheck={false} value={l2Draft} onChange={(e) => setL2Draft(e.target.value)} placeholder="0x…" />
        <button type="submit" className="button-secondary" disabled={w.busy !== undefined}>
          {w.busy === 'token' ? 'Reading…' : 'Add token'}
        </button>
      </form>
      <p className="hint">A token of the chain’s standard bridge: its address on L1 and its copy on L2. The amount is in whole tokens (the decimals are read from L1).</p>
      {w.error?.action === 'token' && <ErrorPanel error={w.error.error} level={4} />}
    </div>
  )
}

/** A token amount in its own units, with the exact smallest units on hover. */
function TokenAmount({ amountWei, decimals, symbol }: { amountWei: string; decimals: number; symbol: string }) {
  return (
    <span className="eth" title={`${BigInt(amountWei).toLocaleString('en-US')} (smallest units, ${decimals} decimals)`}>
      {formatUnits(BigInt(amountWei), decimals)} {symbol}
    </span>
  )
}
