/**
 * The Drill screen and its store against the real window API builder (shared/ipc/createEscapeHatchApi) over an
 * in-memory transport that answers like the router does (every answer and event is checked against the contract by
 * the API builder, as in the app). The real service behind it is covered by electron/services/drill and e2e/drill.
 */
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { serializeError } from '../../../shared/errors/EscapeError'
import { createEscapeHatchApi, type IpcTransport } from '../../../shared/ipc/createEscapeHatchApi'
import { DrillAlreadyRunningError } from '../../../shared/ipc/drillErrors'
import type { DrillProgressEvent, DrillReportView, DrillRunView, PastDrillView } from '../../../shared/ipc/drillSchemas'
import { IpcUnknownChannelError } from '../../../shared/ipc/errors'
import { startAppFeed } from '../startAppFeed'
import { useAppStore } from '../stores/appStore'
import { useDrillStore } from '../stores/drillStore'
import { useErrorStore } from '../stores/errorStore'
import { useJobsStore } from '../stores/jobsStore'
import { parseRoute, useRouteStore } from '../stores/routeStore'
import { App } from './App'

type Answer = (payload: unknown) => unknown

interface FakeMain extends IpcTransport {
  emit(channel: string, payload: unknown): void
  calls: { channel: string; payload: unknown }[]
  answers: Record<string, Answer>
}

function fakeMain(answers: Record<string, Answer>): FakeMain {
  const listeners = new Map<string, Set<(p: unknown) => void>>()
  const calls: { channel: string; payload: unknown }[] = []
  return {
    calls,
    answers,
    async invoke(channel, payload) {
      calls.push({ channel, payload })
      const answer = answers[channel]
      return answer ? answer(payload) : { ok: false, error: serializeError(new IpcUnknownChannelError(channel)) }
    },
    subscribe(channel, listener) {
      const set = listeners.get(channel) ?? new Set()
      set.add(listener)
      listeners.set(channel, set)
      return () => set.delete(listener)
    },
    emit(channel, payload) {
      for (const l of listeners.get(channel) ?? []) l(payload)
    },
  }
}

const ok = (value: unknown) => ({ ok: true, value })
const RUN_ID = 'drill-run-2026-11-21T20-44-58-000Z-a1b2c3'
const DRILL_ID = 'arbitrum-drill-2026-11-21T20-44-58-971Z'
const ROOT = `0x${'74'.repeat(32)}`
const EXEC = `0x${'6b'.repeat(32)}`
const STEPS = ['devnet-setup', 'prepare', 'sign-l2-tx', 'drill-checks']

function freshRun(): DrillRunView {
  return { runId: RUN_ID, stack: 'arbitrum', scenario: 'escape', batchMode: 'calldata', status: 'running', startedAt: '2026-11-21T20:44:58.000Z', seq: 0, steps: STEPS.map((name) => ({ name, status: 'pending', attempts: 0 })), txs: [], messages: [] }
}

const report: DrillReportView = {
  stack: 'arbitrum',
  ok: false,
  startedAt: '2026-11-21T20:44:58.971Z',
  finishedAt: '2026-11-21T20:45:00.571Z',
  wallTimeMs: 1600,
  peakRssBytes: 200_000_000,
  devnet: { l1RpcUrl: 'http://127.0.0.1:40001', l2RpcUrl: 'http://127.0.0.1:40002', l1ChainId: 31337, l2ChainId: 412346, note: 'devnet', batchMode: 'calldata' },
  user: '0x976EA74026E726554dB657fA54763abd0C3a0aa9',
  amountWei: '1000000000000000000',
  setup: { fundL2TxHash: `0x${'11'.repeat(32)}`, censorship: 'refused', devnetStartMs: 900 },
  jobId: 'arb-escape-20261121-27c22c',
  steps: [],
  transactions: [{ step: 'execute-withdrawal', chainId: 31337, hash: EXEC as `0x${string}`, status: 'mined', blockNumber: '134' }],
  roots: { confirmedSendRoot: ROOT as `0x${string}`, recomputedFromL2SendList: ROOT as `0x${string}`, matched: true },
  checks: [
    { name: 'user L1 balance rose by the amount (minus the L1 fees paid)', ok: true, detail: 'before 1, after 2' },
    { name: 'replay of the withdrawal is rejected', ok: false, detail: 'the Outbox accepted the replay' },
  ],
  restarts: 0,
}

const pastCli: PastDrillView = { drillId: 'arbitrum-drill-2026-11-20T08-00-00-000Z', startedAt: '2026-11-20T08:00:00.000Z', job: { jobId: 'arb-escape-20261120-aaaaaa', status: 'succeeded', stepsCompleted: 9 } }

let snapshot: DrillRunView | undefined
let main: FakeMain

function install() {
  main = fakeMain({
    'renderer:ready': () => ok({ deliveredEvents: 0, droppedEvents: 0 }),
    'app:get-info': () => ok({ name: 'Escape Hatch', version: '0.1.0', platform: 'linux', dataDirKind: 'custom' }),
    'jobs:list': () => ok({ jobs: [], problems: [] }),
    'drill:get-status': () => ok({ run: snapshot }),
    'drill:list': () => ok({ drills: [pastCli], truncated: false }),
    'drill:start': () => {
      snapshot = freshRun()
      return ok({ runId: RUN_ID, startedAt: snapshot.startedAt })
    },
    'drill:cancel': () => ok({ status: 'cancelling' }),
    'drill:save-report': () => ok({ path: '/home/custodian/.local/share/escape-hatch/reports/drill-arbitrum-x-failed.html', bytes: 4932 }),
  })
  Object.defineProperty(window, 'escapeHatch', { value: createEscapeHatchApi(main), configurable: true })
}

/** Main's side of a progress event: fold it into its snapshot too, as the service does. */
function progress(update: DrillProgressEvent['update'], seq = snapshot!.seq + 1) {
  const event: DrillProgressEvent = { runId: RUN_ID, seq, update }
  snapshot = { ...snapshot!, seq }
  if (update.kind === 'step') snapshot.steps = snapshot.steps.map((s) => (s.name === update.step.name ? update.step : s))
  if (update.kind === 'message') snapshot.messages = [...snapshot.messages, update.message]
  if (update.kind === 'status') snapshot.status = update.status
  if (update.kind === 'tx') snapshot.txs = [...snapshot.txs, update.tx]
  act(() => main.emit('drill:progress', event))
}

async function openDrillScreen() {
  render(<App />)
  await act(() => startAppFeed())
  await act(async () => useRouteStore.getState().setFromHash('#/drill'))
  await screen.findByRole('heading', { level: 1, name: 'Practise an escape with a drill' })
}

const flush = () => act(async () => {})

beforeEach(() => {
  snapshot = undefined
  useJobsStore.setState({ status: 'loading', jobs: [], problems: [] })
  useAppStore.setState({ connection: 'connecting', info: undefined })
  useErrorStore.setState({ errors: [] })
  useRouteStore.setState({ route: { screen: 'start' } })
  useDrillStore.setState({ status: 'idle', run: undefined, past: { status: 'idle', drills: [], truncated: false }, pending: undefined, saved: {} })
  install()
})
afterEach(() => {
  cleanup()
  delete (window as { escapeHatch?: unknown }).escapeHatch
})

describe('Drill screen', () => {
  it('is reached from the start screen’s drill card, which still names the terminal command', async () => {
    render(<App />)
    await act(() => startAppFeed())
    const card = screen.getByRole('region', { name: 'Practise with a drill' })
    const link = within(card).getByRole('link', { name: 'Open the drill' })
    expect(link.getAttribute('href')).toBe('#/drill')
    expect(card.textContent).toContain('npx escape-hatch drill --stack arbitrum')
    expect(parseRoute('#/drill')).toEqual({ screen: 'drill' })
  })

  it('starts a drill, shows its steps and messages live, then its checks, the send root, and saves the report', async () => {
    await openDrillScreen()
    expect(document.activeElement?.textContent).toBe('Practise an escape with a drill')
    const past = screen.getByRole('region', { name: 'Past drills' })
    expect(past.textContent).toContain('Run from the command line: the escape succeeded (9 steps done)')

    fireEvent.click(screen.getByRole('radio', { name: 'Blobs (EIP-4844)' }))
    fireEvent.click(screen.getByRole('button', { name: 'Start drill' }))
    await flush()
    expect(main.calls.find((c) => c.channel === 'drill:start')?.payload).toEqual({ stack: 'arbitrum', scenario: 'escape', batchMode: 'blob' })
    const cancel = screen.getByRole('button', { name: 'Cancel drill' })
    expect(document.activeElement).toBe(cancel)
    expect(screen.getByRole('radio', { name: 'Calldata' }).matches(':disabled')).toBe(true)

    progress({ kind: 'step', step: { name: 'devnet-setup', status: 'started', startedAt: '2026-11-21T20:44:58.000Z', attempts: 1 } })
    progress({ kind: 'message', message: { at: '2026-11-21T20:44:58.100Z', text: 'Starting the devnet (anvil L1, Arbitrum Nitro contracts through RollupCreator)…' } })
    progress({ kind: 'step', step: { name: 'devnet-setup', status: 'completed', startedAt: '2026-11-21T20:44:58.000Z', finishedAt: '2026-11-21T20:44:59.250Z', durationMs: 1250, attempts: 1 } })
    progress({ kind: 'step', step: { name: 'prepare', status: 'started', startedAt: '2026-11-21T20:44:59.300Z', attempts: 1 } })
    const steps = within(screen.getByRole('region', { name: 'Steps' })).getAllByRole('listitem')
    expect(steps.map((li) => li.textContent)).toEqual([
      'Start the test chain and censor youDone1.25 s',
      'Check the rollup contracts and your balancesRunning',
      'Sign your L2 withdrawal (not sent on L2)Not started',
      'Check balances, replay and rootsNot started',
    ])
    expect(screen.getByRole('log', { name: 'Progress messages' }).textContent).toContain('Starting the devnet (anvil L1')
    expect(screen.getByText(/1 of 4 steps done/)).toBeTruthy()

    progress({ kind: 'tx', tx: { step: 'execute-withdrawal', chainId: 31337, hash: EXEC as `0x${string}`, status: 'mined', blockNumber: '134' } })
    expect(within(screen.getByRole('region', { name: 'Transactions' })).getByRole('row', { name: /Take the ETH out on L1/ }).textContent).toContain('Included in block 134')

    // Main finishes: the final status event, then drillFinished; the screen re-reads the run for the full report.
    snapshot = { ...snapshot!, report, finishedAt: report.finishedAt, drillId: DRILL_ID }
    progress({ kind: 'status', status: 'failed' })
    await act(async () =>
      main.emit('drill:finished', { runId: RUN_ID, drillId: DRILL_ID, status: 'failed', summary: { stack: 'arbitrum', scenario: 'escape', ok: false, cancelled: false, wallTimeMs: 1600, checks: report.checks.map(({ name, ok }) => ({ name, ok })), rootMatched: true } }),
    )
    await flush()
    expect(screen.queryByRole('button', { name: 'Cancel drill' })).toBeNull()
    expect(screen.getByRole('heading', { level: 2, name: 'Drill result' })).toBe(document.activeElement)
    expect(screen.getByText(/Drill FAILED after 1.60 s: 1 check failed/)).toBeTruthy()
    const checks = within(screen.getByRole('region', { name: 'Checks' })).getAllByRole('listitem')
    expect(checks.map((li) => li.querySelector('.check-badge')?.textContent)).toEqual(['ok', 'FAIL'])
    expect(checks[1]?.textContent).toContain('the Outbox accepted the replay')
    const root = screen.getByRole('region', { name: 'Send root' })
    expect(root.textContent).toContain(ROOT)
    expect(root.textContent).toContain('Matched')
    expect(within(screen.getByRole('region', { name: 'Transactions' })).getByText(EXEC)).toBeTruthy()
    expect(screen.getByText('1 ETH').getAttribute('title')).toBe('1,000,000,000,000,000,000 wei')

    fireEvent.click(screen.getByRole('button', { name: 'Save report' }))
    await flush()
    expect(main.calls.find((c) => c.channel === 'drill:save-report')?.payload).toEqual({ drillId: DRILL_ID })
    expect(screen.getByText('/home/custodian/.local/share/escape-hatch/reports/drill-arbitrum-x-failed.html')).toBeTruthy()
    // The past list was re-read when the drill finished.
    expect(main.calls.filter((c) => c.channel === 'drill:list').length).toBe(2)
  })

  it('re-reads the run when an event does not follow the last one, and ignores ones it already has', async () => {
    snapshot = freshRun()
    await openDrillScreen()
    const reads = () => main.calls.filter((c) => c.channel === 'drill:get-status').length
    const before = reads()
    // Main moved on by two events; the window only gets the second one (e.g. events dropped while it was busy).
    snapshot = { ...snapshot, seq: 1, steps: snapshot.steps.map((s) => (s.name === 'devnet-setup' ? { ...s, status: 'started', startedAt: '2026-11-21T20:44:58.000Z', attempts: 1 } : s)) }
    progress({ kind: 'message', message: { at: '2026-11-21T20:44:58.100Z', text: 'second' } }, 2)
    await flush()
    expect(reads()).toBe(before + 1)
    expect(useDrillStore.getState().run).toEqual(snapshot)
    act(() => main.emit('drill:progress', { runId: RUN_ID, seq: 2, update: { kind: 'message', message: { at: '2026-11-21T20:44:58.100Z', text: 'second' } } }))
    expect(useDrillStore.getState().run?.messages.map((m) => m.text)).toEqual(['second'])
    expect(reads()).toBe(before + 1)
  })

  it('shows a refused start in the error panel with what to do, and cancels a running drill', async () => {
    await openDrillScreen()
    main.answers['drill:start'] = () => ({ ok: false, error: serializeError(new DrillAlreadyRunningError('2026-11-21T20:44:58.000Z')) })
    fireEvent.click(screen.getByRole('button', { name: 'Start drill' }))
    await flush()
    const alert = screen.getByRole('alert', { name: 'A drill is already running.' })
    expect(alert.textContent).toContain('Starting the drill')
    expect(alert.textContent).toContain('Wait for it to finish, or cancel it on the Drill screen, then start a new one.')

    snapshot = freshRun()
    await act(() => useDrillStore.getState().load())
    fireEvent.click(screen.getByRole('button', { name: 'Cancel drill' }))
    await flush()
    expect(main.calls.find((c) => c.channel === 'drill:cancel')?.payload).toEqual({ runId: RUN_ID })
    expect(screen.getByRole('button', { name: 'Cancelling…' })).toHaveProperty('disabled', true)
  })

  it('runs the OP Stack drill the user picks, with its own steps, amounts in ETH and the output root it matched', async () => {
    await openDrillScreen()
    const choice = screen.getByRole('group', { name: 'What to rehearse' })
    expect(within(choice).getAllByRole('radio').map((r) => r.getAttribute('value'))).toEqual(['arbitrum-escape', 'arbitrum-retryable', 'op-censored', 'op-operator-gone'])
    // Each choice says in one line what it rehearses.
    expect(screen.getByRole('radio', { name: 'OP Stack: the operator is gone' }).getAttribute('aria-describedby')).toBeTruthy()
    fireEvent.click(screen.getByRole('radio', { name: 'Arbitrum: a retryable ticket never redeemed' }))
    expect(screen.getByRole('radio', { name: 'Blobs (EIP-4844)' }).matches(':disabled')).toBe(true)
    fireEvent.click(screen.getByRole('radio', { name: 'OP Stack: censored by the sequencer' }))
    main.answers['drill:start'] = () => {
      snapshot = { ...freshRun(), stack: 'op', scenario: 'censored', steps: ['devnet-setup', 'send-forced-withdrawal', 'prove', 'drill-checks'].map((name) => ({ name, status: 'pending', attempts: 0 })) }
      return ok({ runId: RUN_ID, startedAt: snapshot.startedAt })
    }
    fireEvent.click(screen.getByRole('button', { name: 'Start drill' }))
    await flush()
    expect(main.calls.find((c) => c.channel === 'drill:start')?.payload).toEqual({ stack: 'op', scenario: 'censored', batchMode: 'calldata' })
    expect(screen.getByText('OP Stack: censored by the sequencer', { selector: '.drill-kind' })).toBeTruthy()
    const steps = within(screen.getByRole('region', { name: 'Steps' })).getAllByRole('listitem')
    expect(steps.map((li) => li.querySelector('.drill-step-name')?.textContent)).toEqual([
      'Start the test chain and censor you',
      'Force the withdrawal through L1 (a deposit)',
      'Prove the withdrawal on L1',
      'Check balances, replay and roots',
    ])

    const OUT = `0x${'0f'.repeat(32)}` as `0x${string}`
    const L2TX = `0x${'2a'.repeat(32)}` as `0x${string}`
    const opReport: DrillReportView = {
      stack: 'op',
      scenario: 'censored',
      ok: true,
      startedAt: '2026-11-21T20:44:58.971Z',
      finishedAt: '2026-11-21T20:46:00.000Z',
      wallTimeMs: 61_029,
      peakRssBytes: 300_000_000,
      devnet: { l1RpcUrl: 'http://127.0.0.1:40001', l2RpcUrl: 'http://127.0.0.1:40003', l1ChainId: 31337, l2ChainId: 901, note: 'devnet', dataAvailability: 'calldata' },
      user: '0x976EA74026E726554dB657fA54763abd0C3a0aa9',
      assets: [
        { kind: 'eth', symbol: 'ETH', amountWei: '1000000000000000000' },
        { kind: 'erc20', symbol: 'WETH', amountWei: '500000000000000000' },
      ],
      setup: { fundTxs: [], censorship: 'dropped', devnetStartMs: 900 },
      steps: [],
      transactions: [],
      result: {
        withdrawals: [{ asset: 1, l2TxHash: L2TX, withdrawalHash: OUT }],
        game: { address: '0x1111111111111111111111111111111111111111', index: '3', l2Block: '40', rootClaim: OUT, createdByUs: false },
        rounds: 1,
        rootSource: 'the L2 node, checked against L1',
      },
      roots: { gameRootClaim: OUT, gameL2Block: '40', devnetChainOutputRoot: OUT, source: 'the L2 node', matched: true },
      checks: [{ name: 'user L1 WETH rose by the amount', ok: true, detail: 'before 0, after 5' }],
    }
    snapshot = { ...snapshot!, report: opReport, finishedAt: opReport.finishedAt, drillId: 'op-drill-censored-2026-11-21T20-44-58-971Z' }
    progress({ kind: 'status', status: 'passed' })
    await act(async () => main.emit('drill:finished', { runId: RUN_ID, status: 'passed', summary: { stack: 'op', scenario: 'censored', ok: true, cancelled: false, wallTimeMs: 61_029, checks: [], rootMatched: true } }))
    await flush()
    expect(screen.getByText('0.5 WETH').getAttribute('title')).toBe('500,000,000,000,000,000 wei')
    expect(screen.getByText('1 ETH')).toBeTruthy()
    const root = screen.getByRole('region', { name: 'Output root' })
    expect(root.textContent).toContain(OUT)
    expect(root.textContent).toContain('Matched')
    expect(within(screen.getByRole('region', { name: 'Transactions' })).getByRole('row', { name: /Your WETH withdrawal on L2/ }).textContent).toContain('901')
    expect(screen.queryByRole('region', { name: 'Send root' })).toBeNull()

    // Save where the user chooses: a typed path behind the bridge (no dialog there)…
    const saveCalls = () => main.calls.filter((c) => c.channel === 'drill:save-report').map((c) => c.payload)
    main.answers['drill:save-report'] = () => ok({ path: '/home/custodian/op.html', bytes: 10 })
    fireEvent.click(screen.getByRole('button', { name: 'Save report as…' }))
    fireEvent.change(screen.getByLabelText(/^Save the report to/), { target: { value: ' /home/custodian/op.html ' } })
    fireEvent.click(screen.getByRole('button', { name: 'Save here' }))
    await flush()
    expect(saveCalls()).toEqual([{ drillId: 'op-drill-censored-2026-11-21T20-44-58-971Z', to: { kind: 'path', path: '/home/custodian/op.html' } }])
    expect(screen.getByText('/home/custodian/op.html', { selector: '.drill-saved-path' })).toBeTruthy()
    // …the system's save dialog in the app; closing it writes nothing and changes nothing on screen.
    act(() => useAppStore.setState({ info: { ...useAppStore.getState().info!, fileDialog: true } }))
    main.answers['drill:save-report'] = () => ok({ cancelled: true })
    fireEvent.click(screen.getByRole('button', { name: 'Save report as…' }))
    await flush()
    expect(saveCalls()[1]).toEqual({ drillId: 'op-drill-censored-2026-11-21T20-44-58-971Z', to: { kind: 'choose' } })
    expect(screen.getByText('/home/custodian/op.html', { selector: '.drill-saved-path' })).toBeTruthy()
    await flush()
  })
})
