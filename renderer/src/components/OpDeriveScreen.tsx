import { useEffect, useId, useRef, useState, type ChangeEvent, type FormEvent, type RefObject } from 'react'
import { formatEther } from 'viem'
import { deserializeError } from '../../../shared/errors/EscapeError'
import {
  MAX_ROLLUP_JSON_CHARS,
  OP_DERIVE_NETWORKS,
  StartOpDeriveRequestSchema,
  type OpDeriveBlockView,
  type OpDeriveProgressView,
  type OpDeriveResultView,
  type OpDeriveRunView,
  type OpDeriveTxView,
  type StartOpDeriveRequest,
} from '../../../shared/ipc/opDeriveSchemas'
import { formatClock, formatTime, shortHash } from '../format'
import { useOpDeriveStore } from '../stores/opDeriveStore'
import { ErrorPanel } from './ErrorPanel'

// Base follows its own rules since Azul (shared/networks/supportFacts.ts): the label says how far a rebuild goes.
const NETWORK_LABELS: Record<(typeof OP_DERIVE_NETWORKS)[number], string> = {
  'op-mainnet': 'OP Mainnet',
  'op-sepolia': 'OP Sepolia',
  base: 'Base (blocks before Azul, 28 May 2026, only)',
  'devnet-op': 'Devnet (while `escape-hatch devnet up` runs)',
}
const RUN_STATUS_LABELS = { running: 'Running', cancelling: 'Cancelling…', completed: 'Done', failed: 'Failed', cancelled: 'Cancelled' } as const
const TX_KIND_LABELS = { 'l1-info': 'L1 info (system)', deposit: 'Deposit from L1', upgrade: 'Network upgrade', sequenced: 'Sequenced' } as const
const INVOLVES_LABELS = { sender: 'sender', recipient: 'recipient', 'aliased-sender': 'sender (your L1 contract, aliased)' } as const

type ChainChoice = (typeof OP_DERIVE_NETWORKS)[number] | 'file'
type ToChoice = 'finalized' | 'latest' | 'number'
type StartChoice = 'genesis' | 'anchor'

/** Form field names, for messages that point at the field to fix. */
const FIELD_LABELS: Record<string, string> = {
  rollup: 'Chain',
  l1RpcUrls: 'L1 RPC URLs',
  beaconUrl: 'Beacon node URL',
  toL1Block: 'Last L1 block',
  highlightAddress: 'Your address',
  start: 'L2 node URL',
}

/**
 * Rebuild an OP Stack chain from L1: which chain, which L1 endpoints, how far, which address to look for; then the
 * live progress, a Cancel button, and what L1 alone says the chain contains (deposits, the blocks touching the
 * address, the last blocks). Read-only: nothing is signed or sent; everything shown comes from main.
 */
export function OpDeriveScreen() {
  const subscribe = useOpDeriveStore((s) => s.subscribe)
  const load = useOpDeriveStore((s) => s.load)
  const run = useOpDeriveStore((s) => s.run)
  const status = useOpDeriveStore((s) => s.status)
  const pending = useOpDeriveStore((s) => s.pending)
  const start = useOpDeriveStore((s) => s.start)
  const cancel = useOpDeriveStore((s) => s.cancel)
  const headingRef = useRef<HTMLHeadingElement>(null)
  const cancelRef = useRef<HTMLButtonElement>(null)
  const runHeadingRef = useRef<HTMLHeadingElement>(null)
  const focusCancelNext = useRef(false)
  const running = run?.status === 'running' || run?.status === 'cancelling'
  const wasRunning = useRef(running)
  const ids = { rpc: useId(), beacon: useId(), to: useId(), address: useId(), file: useId(), problems: useId(), rpcHint: useId(), beaconHint: useId(), addressHint: useId(), l2: useId(), l2Hint: useId() }

  const [chain, setChain] = useState<ChainChoice>('op-mainnet')
  const [file, setFile] = useState<{ name: string; text: string } | undefined>()
  const [fileProblem, setFileProblem] = useState<string | undefined>()
  const [rpcUrls, setRpcUrls] = useState('')
  const [beaconUrl, setBeaconUrl] = useState('')
  const [toChoice, setToChoice] = useState<ToChoice>('finalized')
  const [toNumber, setToNumber] = useState('')
  const [address, setAddress] = useState('')
  const [startChoice, setStartChoice] = useState<StartChoice>('genesis')
  const [l2RpcUrl, setL2RpcUrl] = useState('')
  const [problems, setProblems] = useState<string[]>([])

  useEffect(() => {
    const off = subscribe()
    void load()
    return off
  }, [subscribe, load])

  useEffect(() => {
    headingRef.current?.focus()
  }, [])

  // Start → focus the Cancel button that replaced it; end of the run → the result, if focus was left nowhere.
  useEffect(() => {
    if (running && focusCancelNext.current) cancelRef.current?.focus()
    focusCancelNext.current = false
    if (wasRunning.current && !running && (document.activeElement === document.body || document.activeElement === null)) runHeadingRef.current?.focus()
    wasRunning.current = running
  }, [running])

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const picked = event.target.files?.[0]
    setFile(undefined)
    setFileProblem(undefined)
    if (!picked) return
    // Checked before reading: a rollup.json is a few KiB.
    if (picked.size > MAX_ROLLUP_JSON_CHARS) {
      setFileProblem(`“${picked.name}” is ${picked.size} bytes: too large to be a rollup.json (at most ${MAX_ROLLUP_JSON_CHARS}).`)
      return
    }
    try {
      setFile({ name: picked.name, text: await picked.text() })
    } catch {
      setFileProblem(`“${picked.name}” could not be read.`)
    }
  }

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault()
    const found: string[] = []
    if (chain === 'file' && !file) found.push(fileProblem ?? 'Chain: choose the rollup.json file of the chain.')
    if (toChoice === 'number' && !/^\d+$/.test(toNumber.trim())) found.push('Last L1 block: give a block number, or choose finalized or latest.')
    const request = {
      rollup: chain === 'file' ? { kind: 'rollup-json', fileName: file?.name.slice(0, 255), text: file?.text ?? '' } : { kind: 'network', network: chain },
      l1RpcUrls: rpcUrls.split(/\s+/).filter(Boolean),
      ...(beaconUrl.trim() ? { beaconUrl: beaconUrl.trim() } : {}),
      start: startChoice === 'anchor' ? { kind: 'anchor', l2RpcUrl: l2RpcUrl.trim() } : { kind: 'genesis' },
      toL1Block: toChoice === 'number' ? Number(toNumber.trim()) : toChoice,
      ...(address.trim() ? { highlightAddress: address.trim() } : {}),
    }
    const parsed = StartOpDeriveRequestSchema.safeParse(request)
    if (!parsed.success && found.length === 0) {
      for (const issue of parsed.error.issues.slice(0, 5)) found.push(`${FIELD_LABELS[String(issue.path[0])] ?? 'Form'}: ${issue.message}`)
    }
    setProblems(found)
    if (found.length > 0 || !parsed.success) return
    if (!(await start(parsed.data satisfies StartOpDeriveRequest))) return
    if (cancelRef.current) cancelRef.current.focus()
    else focusCancelNext.current = true
  }

  const fromGenesisOfBigChain = chain !== 'file' && startChoice === 'genesis'

  return (
    <article className="op-derive-screen" aria-labelledby="main-heading">
      <h1 tabIndex={-1} ref={headingRef} id="main-heading">
        Rebuild an OP Stack chain from L1
      </h1>
      <p className="drill-intro">
        See what Ethereum L1 alone says an OP Stack chain (OP Mainnet, Base, …) contains, without asking its sequencer or any L2 node: the deposits
        made on L1 and the L2 block each must be included in, and the transactions that touch your address. Read-only: nothing is signed or sent.
      </p>

      <form className="card op-derive-form" aria-labelledby="op-derive-form-heading" onSubmit={(e) => void onSubmit(e)} noValidate>
        <h2 id="op-derive-form-heading">What to rebuild</h2>
        <fieldset className="op-derive-fieldset" disabled={running}>
          <legend>Chain</legend>
          <div className="op-derive-choices">
            {OP_DERIVE_NETWORKS.map((n) => (
              <label key={n}>
                <input type="radio" name="op-derive-chain" value={n} checked={chain === n} onChange={() => setChain(n)} /> {NETWORK_LABELS[n]}
              </label>
            ))}
            <label>
              <input type="radio" name="op-derive-chain" value="file" checked={chain === 'file'} onChange={() => setChain('file')} /> Another chain (its rollup.json)
            </label>
          </div>
          {chain === 'file' && (
            <p className="op-derive-field">
              <label htmlFor={ids.file}>rollup.json file</label>
              <input id={ids.file} type="file" accept=".json,application/json" onChange={(e) => void onFile(e)} aria-invalid={fileProblem ? true : undefined} />
              {file && <span className="muted"> Read: {file.name}</span>}
            </p>
          )}
        </fieldset>

        <fieldset className="op-derive-fieldset" disabled={running}>
          <legend>L1 data</legend>
          <p className="op-derive-field">
            <label htmlFor={ids.rpc}>L1 RPC URLs</label>
            <textarea id={ids.rpc} rows={2} value={rpcUrls} onChange={(e) => setRpcUrls(e.target.value)} aria-describedby={ids.rpcHint} spellCheck={false} />
            <span id={ids.rpcHint} className="op-derive-hint">
              One per line. With several, every block is read from each and they must agree (the only thing trusted is L1 as your endpoints agree on it).
            </span>
          </p>
          <p className="op-derive-field">
            <label htmlFor={ids.beacon}>Beacon node URL (optional)</label>
            <input id={ids.beacon} type="url" value={beaconUrl} onChange={(e) => setBeaconUrl(e.target.value)} aria-describedby={ids.beaconHint} spellCheck={false} />
            <span id={ids.beaconHint} className="op-derive-hint">
              Needed when the chain posts its data in blobs, as the major OP chains do today: without it those blocks cannot be read. Beacon nodes keep blobs
              about 18 days.
            </span>
          </p>
          <div className="op-derive-choices" role="radiogroup" aria-labelledby={ids.to}>
            <span id={ids.to} className="op-derive-label">
              Last L1 block to read
            </span>
            <label>
              <input type="radio" name="op-derive-to" checked={toChoice === 'finalized'} onChange={() => setToChoice('finalized')} /> Finalized (no reorgs)
            </label>
            <label>
              <input type="radio" name="op-derive-to" checked={toChoice === 'latest'} onChange={() => setToChoice('latest')} /> Latest
            </label>
            <label>
              <input type="radio" name="op-derive-to" checked={toChoice === 'number'} onChange={() => setToChoice('number')} /> Block number
            </label>
            {toChoice === 'number' && (
              <input type="text" inputMode="numeric" aria-label="Last L1 block number" value={toNumber} onChange={(e) => setToNumber(e.target.value)} className="op-derive-number" />
            )}
          </div>
        </fieldset>

        <fieldset className="op-derive-fieldset" disabled={running}>
          <legend>Start from</legend>
          <div className="op-derive-choices">
            <label>
              <input type="radio" name="op-derive-start" checked={startChoice === 'genesis'} onChange={() => setStartChoice('genesis')} /> The chain’s genesis (trusts only L1)
            </label>
            <label>
              <input type="radio" name="op-derive-start" checked={startChoice === 'anchor'} onChange={() => setStartChoice('anchor')} /> The latest output root final on L1
              (needs an L2 node)
            </label>
          </div>
          {startChoice === 'anchor' && (
            <p className="op-derive-field">
              <label htmlFor={ids.l2}>L2 node URL</label>
              <input id={ids.l2} type="url" value={l2RpcUrl} onChange={(e) => setL2RpcUrl(e.target.value)} aria-describedby={ids.l2Hint} spellCheck={false} />
              <span id={ids.l2Hint} className="op-derive-hint">
                Not trusted: the blocks it serves around the anchor are re-hashed and checked against the output root on L1, and any mismatch stops the
                rebuild. The sequencer’s own node works too, since it cannot lie undetected.
              </span>
            </p>
          )}
          <p className="op-derive-note">
            {startChoice === 'genesis'
              ? 'The genesis is the one starting point that needs nothing but L1.'
              : 'Starts where the chain’s L1 contracts consider the chain final, so only recent L1 history is read.'}
            {fromGenesisOfBigChain && ' On OP Mainnet, Base and OP Sepolia that means reading years of L1 history: hours, and many requests to your endpoints. Finalized blocks are cached, so a second run is faster; you can cancel at any time.'}
          </p>
        </fieldset>

        <fieldset className="op-derive-fieldset" disabled={running}>
          <legend>Look for</legend>
          <p className="op-derive-field">
            <label htmlFor={ids.address}>Your address (optional)</label>
            <input id={ids.address} type="text" value={address} onChange={(e) => setAddress(e.target.value)} aria-describedby={ids.addressHint} spellCheck={false} autoComplete="off" placeholder="0x…" />
            <span id={ids.addressHint} className="op-derive-hint">
              Transactions with this address as sender or recipient (deposits included) are marked, and their blocks always listed. Token transfers inside
              contract calls are not detected.
            </span>
          </p>
        </fieldset>

        {problems.length > 0 && (
          <div id={ids.problems} role="alert" className="op-derive-problems">
            <p>Please fix:</p>
            <ul>
              {problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </div>
        )}
        <div className="drill-controls">
          {!running && (
            <button type="submit" className="button-primary" disabled={pending === 'start' || status === 'loading'}>
              {pending === 'start' ? 'Starting…' : 'Rebuild from L1'}
            </button>
          )}
          {running && run && (
            <button type="button" className="button-secondary" ref={cancelRef} onClick={() => void cancel()} disabled={run.status === 'cancelling' || pending === 'cancel'}>
              {run.status === 'cancelling' ? 'Cancelling…' : 'Cancel rebuild'}
            </button>
          )}
          <span className="muted">
            {startChoice === 'genesis' ? 'Reads L1 only. No sequencer, no L2 node, no signing.' : 'Reads L1, and the L2 node checked against L1. No signing.'}
          </span>
        </div>
      </form>

      {status === 'loading' && !run && (
        <p className="muted" role="status">
          Reading the rebuild’s state…
        </p>
      )}
      {run && <OpDeriveRun run={run} headingRef={runHeadingRef} />}
    </article>
  )
}

function OpDeriveRun({ run, headingRef }: { run: OpDeriveRunView; headingRef: RefObject<HTMLHeadingElement | null> }) {
  const finished = run.status !== 'running' && run.status !== 'cancelling'
  const p = run.progress
  return (
    <section className="drill-run op-derive-run" aria-labelledby="op-derive-run-heading">
      <header className="drill-run-header">
        <h2 id="op-derive-run-heading" tabIndex={-1} ref={headingRef}>
          {finished ? 'Rebuild result' : 'Rebuild in progress'}
        </h2>
        <span className={`status op-derive-status-${run.status}`}>{RUN_STATUS_LABELS[run.status]}</span>
      </header>
      <p className="muted">
        {run.request.chain} · from {run.request.start === 'genesis' ? 'its genesis' : `the L1 anchor (L2 node ${run.request.l2Endpoint ?? '?'})`} to L1 {String(run.request.toL1Block)} · {run.request.l1Endpoints.join(', ')}
        {run.request.beacon ? ' · with a beacon node' : ' · no beacon node'} · started {formatClock(run.startedAt)}
      </p>
      <p role="status" className="drill-summary">
        {summaryLine(run)}
      </p>
      <Progress progress={p} highlight={run.request.highlightAddress !== undefined} />
      {run.error && <ErrorPanel error={deserializeError(run.error)} context={run.status === 'cancelled' ? 'Rebuild cancelled' : 'Rebuilding from L1'} live={false} />}
      {run.result && <OpDeriveResult result={run.result} />}
    </section>
  )
}

function summaryLine(run: OpDeriveRunView): string {
  const p = run.progress
  switch (run.status) {
    case 'running':
      if (p.phase !== 'preparing') return `Reading L1 blocks ${p.l1From ?? '?'} to ${p.l1To ?? '?'}…`
      return p.anchorBlocksVerified !== undefined
        ? `Finding where to start: ${p.anchorBlocksVerified} L2 block${p.anchorBlocksVerified === 1 ? '' : 's'} from the L2 node verified against L1…`
        : 'Checking the chain configuration, the L1 endpoints and where to start…'
    case 'cancelling':
      return 'Cancelling…'
    case 'cancelled':
      return `Cancelled after ${p.l1BlocksScanned} L1 blocks and ${p.l2BlocksDerived} L2 blocks. Nothing was signed or sent.`
    case 'failed':
      return 'The rebuild stopped. See below for what to do.'
    case 'completed':
      return `Done: ${p.l2BlocksDerived} L2 block${p.l2BlocksDerived === 1 ? '' : 's'} derived from L1 blocks ${run.result?.l1From ?? p.l1From ?? '?'} to ${run.result?.l1Reached.number ?? p.l1To ?? '?'}.`
  }
}

function Progress({ progress: p, highlight }: { progress: OpDeriveProgressView; highlight: boolean }) {
  const total = p.l1From !== undefined && p.l1To !== undefined ? p.l1To - p.l1From : undefined
  const done = p.l1Block !== undefined && p.l1From !== undefined ? p.l1Block - p.l1From : 0
  return (
    <section aria-labelledby="op-derive-progress-heading">
      <h3 id="op-derive-progress-heading">Progress</h3>
      {total !== undefined && (
        <progress className="op-derive-bar" aria-label="L1 blocks read" max={Math.max(total, 1)} value={total === 0 ? 1 : Math.min(done, total)} />
      )}
      <dl className="op-derive-counters">
        <Counter label="L1 block" value={p.l1Block !== undefined ? `${p.l1Block} / ${p.l1To ?? '?'}` : '—'} />
        <Counter label="L1 blocks scanned" value={p.l1BlocksScanned} />
        <Counter label="Batcher transactions" value={p.batcherTransactions} />
        <Counter label="Batches" value={p.batchesRead} />
        <Counter label="L2 blocks derived" value={p.l2BlocksDerived} />
        <Counter label="Empty batches" value={p.emptyBatches} />
        <Counter label="Deposits from L1" value={p.userDeposits} />
        {highlight && <Counter label="Transactions with your address" value={p.highlightedTxs} />}
      </dl>
      {p.emptyBatches > 0 && (
        <p className="op-derive-hint">
          Empty batches: the sequencer posted nothing for a whole sequencing window, so the protocol advanced the chain by itself with blocks holding
          only L1 deposits.
        </p>
      )}
    </section>
  )
}

function Counter({ label, value }: { label: string; value: string | number }) {
  // A dt/dd pair grouped in a div (allowed in a dl) so the grid keeps each label over its value.
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  )
}

function OpDeriveResult({ result }: { result: OpDeriveResultView }) {
  const rows = result.blocks.flatMap((block) => block.txs.filter((tx) => tx.kind === 'deposit' || tx.involves.length > 0).map((tx) => ({ block, tx })))
  const mine = rows.filter((r) => r.tx.involves.length > 0)
  return (
    <>
      {result.start.kind === 'anchor' && (
        <p className="op-derive-hint">
          Started after L2 block {result.start.l2Block}, whose output root <code>{result.start.outputRoot}</code> the chain’s L1 contracts consider final
          (read at L1 block {result.start.readAtL1Block}); the L2 node’s blocks were checked against it.
        </p>
      )}
      {result.approximation && (
        <p className="op-derive-approximation">
          <strong>Not executed.</strong> These blocks are what the chain must contain if its sequencer is honest, derived from L1 alone. Their hashes,
          and whether each transaction succeeds, are not checked here (each block is marked “assumed valid”).
        </p>
      )}
      {result.highlightAddress && (
        <p role="note" className="op-derive-mine">
          {mine.length === 0
            ? `No transaction derived in this range has ${result.highlightAddress} as sender or recipient.`
            : `${mine.length} transaction${mine.length === 1 ? '' : 's'} listed below involve${mine.length === 1 ? 's' : ''} your address ${result.highlightAddress}.`}
        </p>
      )}
      <section aria-labelledby="op-derive-deposits-heading">
        <h3 id="op-derive-deposits-heading">Deposits and your transactions</h3>
        {rows.length === 0 ? (
          <p className="muted">No deposit from L1{result.highlightAddress ? ' and no transaction with your address' : ''} in the blocks derived.</p>
        ) : (
          <table className="txs op-derive-txs">
            <caption className="visually-hidden">Deposits made on L1 and transactions involving your address, with the L2 block each is in</caption>
            <thead>
              <tr>
                <th scope="col">L2 block</th>
                <th scope="col">Kind</th>
                <th scope="col">Transaction</th>
                <th scope="col">From</th>
                <th scope="col">To</th>
                <th scope="col">Value (ETH)</th>
                <th scope="col">Your address</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ block, tx }) => (
                <TxRow key={`${block.number}-${tx.index}`} block={block} tx={tx} />
              ))}
            </tbody>
          </table>
        )}
        {(result.depositBlocksNotListed > 0 || result.highlightBlocksNotListed > 0) && (
          <p className="muted">
            Not listed (the list keeps the first ones): {result.depositBlocksNotListed} more block(s) with deposits, {result.highlightBlocksNotListed} more
            with your address. Narrow the range to see them.
          </p>
        )}
      </section>
      <BlocksTable blocks={result.blocks} />
    </>
  )
}

function TxRow({ block, tx }: { block: OpDeriveBlockView; tx: OpDeriveTxView }) {
  return (
    <tr className={tx.involves.length > 0 ? 'op-derive-highlight' : undefined}>
      <td>
        {block.number}
        <span className="op-derive-sub">L1 origin {block.l1Origin.number}</span>
      </td>
      <td>{TX_KIND_LABELS[tx.kind]}</td>
      <td>
        <Hash value={tx.hash} />
        {tx.undecodable && <span className="op-derive-sub">Could not be decoded: {tx.undecodable}</span>}
      </td>
      <td>{tx.from ? <Hash value={tx.from} /> : '—'}</td>
      <td>{tx.to ? <Hash value={tx.to} /> : tx.undecodable ? '—' : '(contract creation)'}</td>
      <td>
        {formatEther(BigInt(tx.value))}
        {tx.mint !== undefined && <span className="op-derive-sub">minted {formatEther(BigInt(tx.mint))}</span>}
      </td>
      <td>{tx.involves.length > 0 ? <strong>{tx.involves.map((i) => INVOLVES_LABELS[i]).join(', ')}</strong> : ''}</td>
    </tr>
  )
}

function BlocksTable({ blocks }: { blocks: OpDeriveBlockView[] }) {
  if (blocks.length === 0) return null
  return (
    <section aria-labelledby="op-derive-blocks-heading">
      <h3 id="op-derive-blocks-heading">L2 blocks</h3>
      <p className="op-derive-hint">The last blocks derived, and every block with a deposit or your address.</p>
      <table className="txs op-derive-blocks">
        <caption className="visually-hidden">Derived L2 blocks</caption>
        <thead>
          <tr>
            <th scope="col">L2 block</th>
            <th scope="col">Time</th>
            <th scope="col">L1 origin</th>
            <th scope="col">Read from L1 block</th>
            <th scope="col">Transactions</th>
            <th scope="col">Notes</th>
          </tr>
        </thead>
        <tbody>
          {blocks.map((b) => (
            <tr key={b.number} className={b.reasons.includes('highlight') ? 'op-derive-highlight' : undefined}>
              <td>{b.number}</td>
              <td>{formatTime(new Date(b.timestamp * 1000).toISOString())}</td>
              <td>{b.l1Origin.number}</td>
              <td>{b.derivedFrom}</td>
              <td>
                {b.txCount} ({b.userDeposits} deposit{b.userDeposits === 1 ? '' : 's'})
              </td>
              <td>{blockNotes(b)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}

function blockNotes(b: OpDeriveBlockView): string {
  const notes: string[] = []
  if (b.emptyBatch) notes.push('empty batch')
  if (b.reasons.includes('highlight')) notes.push('your address')
  if (b.execution === 'assumed-valid') notes.push('assumed valid')
  return notes.join(' · ')
}

function Hash({ value }: { value: string }) {
  // The short form for the eye, the whole value for screen readers and copying (as on the drill screen).
  return (
    <code title={value}>
      <span aria-hidden="true">{shortHash(value)}</span>
      <span className="visually-hidden">{value}</span>
    </code>
  )
}
