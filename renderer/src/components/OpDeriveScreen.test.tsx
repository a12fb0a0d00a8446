/**
 * The rebuild-from-L1 screen and its store against the real window API builder (shared/ipc/createEscapeHatchApi)
 * over an in-memory transport that answers like the router does (answers and events are checked against the
 * contract by the API builder, as in the app). The real service behind it is covered by electron/services/opDerive
 * (on the real devnet) and e2e/opDerive.
 */
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { serializeError } from '../../../shared/errors/EscapeError'
import { createEscapeHatchApi, type IpcTransport } from '../../../shared/ipc/createEscapeHatchApi'
import { IpcUnknownChannelError } from '../../../shared/ipc/errors'
import { OpDeriveAlreadyRunningError, OpDeriveWrongL1Error } from '../../../shared/ipc/opDeriveErrors'
import type { OpDeriveProgressView, OpDeriveResultView, OpDeriveRunView } from '../../../shared/ipc/opDeriveSchemas'
import { startAppFeed } from '../startAppFeed'
import { useAppStore } from '../stores/appStore'
import { useErrorStore } from '../stores/errorStore'
import { useJobsStore } from '../stores/jobsStore'
import { useOpDeriveStore } from '../stores/opDeriveStore'
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
const RUN_ID = 'op-derive-2026-11-21T20-44-58-000Z-a1b2c3'
const RPC = 'https://eth.example.org/v2/SECRET-KEY'
const USER = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
const RECIPIENT = '0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC'
const L1_HASH = `0x${'ab'.repeat(32)}` as const
const DEPOSIT_HASH = `0x${'d5'.repeat(32)}` as const

const idle: OpDeriveProgressView = {
  phase: 'preparing', l1BlocksScanned: 0, batcherTransactions: 0, frames: 0, framesDropped: 0, channelsRead: 0, channelsTimedOut: 0, batchesRead: 0,
  batchesDropped: 0, l2BlocksDerived: 0, emptyBatches: 0, uncheckedParentHashes: 0, userDeposits: 0, highlightedTxs: 0,
}

function freshRun(): OpDeriveRunView {
  return {
    runId: RUN_ID,
    status: 'running',
    startedAt: '2026-11-21T20:44:58.000Z',
    request: { chain: 'OP Mainnet', l2ChainId: 10, start: 'genesis', toL1Block: 'finalized', l1Endpoints: ['https://eth.example.org'], beacon: false, highlightAddress: RECIPIENT },
    seq: 0,
    progress: idle,
  }
}

const result: OpDeriveResultView = {
  start: { kind: 'genesis', l2Block: 0 },
  l1From: 100,
  l1Reached: { number: 160, hash: L1_HASH },
  safeHead: { number: 240, timestamp: 1_700_000_480, l1Origin: { number: 139, hash: L1_HASH } },
  approximation: true,
  highlightAddress: RECIPIENT,
  blocks: [
    {
      number: 25,
      timestamp: 1_700_000_050,
      l1Origin: { number: 104, hash: L1_HASH },
      derivedFrom: 125,
      sequenceNumber: 0,
      emptyBatch: true,
      execution: 'assumed-valid',
      txCount: 2,
      depositCount: 2,
      userDeposits: 1,
      reasons: ['deposit', 'highlight'],
      txs: [
        { index: 0, hash: `0x${'01'.repeat(32)}`, kind: 'l1-info', from: '0xDeaDDEaDDeAdDeAdDEAdDEaddeAddEAdDEAd0001', to: '0x4200000000000000000000000000000000000015', value: '0', mint: '0', involves: [] },
        { index: 1, hash: DEPOSIT_HASH, kind: 'deposit', from: USER, to: RECIPIENT, value: '300000000000000000', mint: '500000000000000000', involves: ['recipient'] },
      ],
      txsOmitted: 0,
    },
  ],
  depositBlocksNotListed: 0,
  highlightBlocksNotListed: 0,
}

let snapshot: OpDeriveRunView | undefined
let main: FakeMain

function install() {
  main = fakeMain({
    'renderer:ready': () => ok({ deliveredEvents: 0, droppedEvents: 0 }),
    'app:get-info': () => ok({ name: 'Escape Hatch', version: '0.1.0', platform: 'linux', dataDirKind: 'custom' }),
    'jobs:list': () => ok({ jobs: [], problems: [] }),
    'opderive:get-status': () => ok({ run: snapshot }),
    'opderive:start': () => {
      snapshot = freshRun()
      return ok({ runId: RUN_ID, startedAt: snapshot.startedAt })
    },
    'opderive:cancel': () => ok({ status: 'cancelling' }),
  })
  Object.defineProperty(window, 'escapeHatch', { value: createEscapeHatchApi(main), configurable: true })
}

/** Main's side of a progress event: fold it into its snapshot too, as the service does. */
function progress(patch: Partial<OpDeriveProgressView>, status: OpDeriveRunView['status'] = 'running', seq = snapshot!.seq + 1) {
  snapshot = { ...snapshot!, seq, status, progress: { ...snapshot!.progress, ...patch } }
  act(() => main.emit('opderive:progress', { runId: RUN_ID, seq, status, progress: snapshot!.progress }))
}

async function openScreen() {
  render(<App />)
  await act(() => startAppFeed())
  await act(async () => useRouteStore.getState().setFromHash('#/op-derive'))
  await screen.findByRole('heading', { level: 1, name: 'Rebuild an OP Stack chain from L1' })
  await flush()
}

const flush = () => act(async () => {})

beforeEach(() => {
  snapshot = undefined
  useJobsStore.setState({ status: 'loading', jobs: [], problems: [] })
  useAppStore.setState({ connection: 'connecting', info: undefined })
  useErrorStore.setState({ errors: [] })
  useRouteStore.setState({ route: { screen: 'start' } })
  useOpDeriveStore.setState({ status: 'idle', run: undefined, pending: undefined })
  install()
})
afterEach(() => {
  cleanup()
  delete (window as { escapeHatch?: unknown }).escapeHatch
})

describe('Rebuild from L1 screen', () => {
  it('is reached from the start screen’s card, which also names the terminal command', async () => {
    render(<App />)
    await act(() => startAppFeed())
    const card = screen.getByRole('region', { name: 'See what L1 says an OP Stack chain contains' })
    expect(within(card).getByRole('link', { name: 'Rebuild from L1' }).getAttribute('href')).toBe('#/op-derive')
    expect(card.textContent).toContain('npx escape-hatch op derive --help')
    expect(parseRoute('#/op-derive')).toEqual({ screen: 'op-derive' })
  })

  it('starts a rebuild from the form, shows progress live, then the highlighted deposit and the honest approximation note', async () => {
    await openScreen()
    expect(document.activeElement?.textContent).toBe('Rebuild an OP Stack chain from L1')
    // Genesis on a big chain: the form says what that costs, and that blobs need a beacon node.
    expect(screen.getByText(/reading years of L1 history/)).toBeTruthy()
    expect(screen.getByText(/Needed when the chain posts its data in blobs/)).toBeTruthy()
    // Registry networks: Base says how far a rebuild goes (Azul), and the running devnet can be picked by id.
    expect(screen.getByRole('radio', { name: 'Base (blocks before Azul, 28 May 2026, only)' })).toBeTruthy()
    expect(screen.getByRole('radio', { name: /^Devnet \(while/ }).getAttribute('value')).toBe('devnet-op')

    fireEvent.change(screen.getByLabelText('L1 RPC URLs'), { target: { value: `${RPC}\n  http://127.0.0.1:8545 ` } })
    fireEvent.change(screen.getByLabelText('Your address (optional)'), { target: { value: RECIPIENT } })
    fireEvent.click(screen.getByRole('radio', { name: 'Block number' }))
    fireEvent.change(screen.getByRole('textbox', { name: 'Last L1 block number' }), { target: { value: '160' } })
    fireEvent.click(screen.getByRole('button', { name: 'Rebuild from L1' }))
    await flush()
    expect(main.calls.find((c) => c.channel === 'opderive:start')?.payload).toEqual({
      rollup: { kind: 'network', network: 'op-mainnet' },
      l1RpcUrls: [RPC, 'http://127.0.0.1:8545'],
      start: { kind: 'genesis' },
      toL1Block: 160,
      highlightAddress: RECIPIENT,
    })
    const cancel = screen.getByRole('button', { name: 'Cancel rebuild' })
    expect(document.activeElement).toBe(cancel)
    expect(screen.getByLabelText('L1 RPC URLs').matches(':disabled')).toBe(true)
    // Endpoints are shown by host only: the path holds the API key.
    expect(screen.getByRole('region', { name: 'Rebuild in progress' }).textContent).not.toContain('SECRET-KEY')

    progress({ phase: 'deriving', l1From: 100, l1To: 160, l1Block: 100 })
    expect(screen.getByText('Reading L1 blocks 100 to 160…')).toBeTruthy()
    progress({ l1Block: 130, l1BlocksScanned: 30, l2BlocksDerived: 25, emptyBatches: 25, userDeposits: 1, highlightedTxs: 1 })
    const bar = screen.getByRole('progressbar', { name: 'L1 blocks read' })
    expect(bar.getAttribute('value')).toBe('30')
    expect(bar.getAttribute('max')).toBe('60')
    const counters = within(screen.getByRole('region', { name: 'Progress' }))
    expect(counters.getByText('L1 block').nextElementSibling?.textContent).toBe('130 / 160')
    expect(counters.getByText('L2 blocks derived').nextElementSibling?.textContent).toBe('25')
    expect(counters.getByText('Empty batches').nextElementSibling?.textContent).toBe('25')
    expect(counters.getByText('Transactions with your address').nextElementSibling?.textContent).toBe('1')
    expect(screen.getByText(/the protocol advanced the chain by itself/)).toBeTruthy()

    // Main finishes: the final status, then the finished event; the screen re-reads the run for the result.
    snapshot = { ...snapshot!, result, finishedAt: '2026-11-21T20:45:10.000Z' }
    progress({ phase: 'done', l1Block: 160, l2BlocksDerived: 240 }, 'completed')
    await act(async () => main.emit('opderive:finished', { runId: RUN_ID, status: 'completed', l2BlocksDerived: 240, highlightedTxs: 1 }))
    await flush()
    expect(screen.queryByRole('button', { name: 'Cancel rebuild' })).toBeNull()
    expect(screen.getByRole('heading', { level: 2, name: 'Rebuild result' })).toBe(document.activeElement)
    expect(screen.getByText('Done: 240 L2 blocks derived from L1 blocks 100 to 160.')).toBeTruthy()
    expect(screen.getByText(/Not executed\./).parentElement?.textContent).toContain('assumed valid')
    expect(screen.getByRole('note').textContent).toBe(`1 transaction listed below involves your address ${RECIPIENT}.`)
    const table = within(screen.getByRole('region', { name: 'Deposits and your transactions' }))
    const row = table.getByRole('row', { name: /Deposit from L1/ })
    expect(row.textContent).toContain('25L1 origin 104')
    expect(row.textContent).toContain(DEPOSIT_HASH)
    expect(row.textContent).toContain(USER)
    expect(row.textContent).toContain('0.3minted 0.5')
    expect(within(row).getByText('recipient')).toBeTruthy()
    const blocks = within(screen.getByRole('region', { name: 'L2 blocks' })).getAllByRole('row')
    expect(blocks[1]?.textContent).toContain('empty batch · your address · assumed valid')
  })

  it('checks the form before sending anything', async () => {
    await openScreen()
    fireEvent.change(screen.getByLabelText('Your address (optional)'), { target: { value: '0x1234' } })
    fireEvent.click(screen.getByRole('button', { name: 'Rebuild from L1' }))
    await flush()
    const alert = screen.getByRole('alert')
    expect(alert.textContent).toContain('L1 RPC URLs:')
    expect(alert.textContent).toContain('Your address: expected a 20-byte 0x-hex address')
    fireEvent.change(screen.getByLabelText('L1 RPC URLs'), { target: { value: 'file:///etc/passwd' } })
    fireEvent.change(screen.getByLabelText('Your address (optional)'), { target: { value: '' } })
    fireEvent.click(screen.getByRole('button', { name: 'Rebuild from L1' }))
    await flush()
    expect(screen.getByRole('alert').textContent).toContain('L1 RPC URLs: expected an http:// or https:// URL')
    fireEvent.click(screen.getByRole('radio', { name: 'Another chain (its rollup.json)' }))
    fireEvent.change(screen.getByLabelText('L1 RPC URLs'), { target: { value: 'http://127.0.0.1:8545' } })
    fireEvent.click(screen.getByRole('button', { name: 'Rebuild from L1' }))
    await flush()
    expect(screen.getByRole('alert').textContent).toContain('Chain: choose the rollup.json file of the chain.')
    expect(main.calls.some((c) => c.channel === 'opderive:start')).toBe(false)
  })

  it('sends a picked rollup.json as text, and refuses a file too large to be one', async () => {
    await openScreen()
    fireEvent.click(screen.getByRole('radio', { name: 'Another chain (its rollup.json)' }))
    expect(screen.queryByText(/reading years of L1 history/)).toBeNull()
    const input = screen.getByLabelText('rollup.json file')
    const big = new File(['x'.repeat(300 * 1024)], 'huge.json', { type: 'application/json' })
    await act(async () => fireEvent.change(input, { target: { files: [big] } }))
    fireEvent.change(screen.getByLabelText('L1 RPC URLs'), { target: { value: 'http://127.0.0.1:8545' } })
    fireEvent.click(screen.getByRole('button', { name: 'Rebuild from L1' }))
    await flush()
    expect(screen.getByRole('alert').textContent).toContain('“huge.json” is 307200 bytes: too large to be a rollup.json')

    const text = '{"l2_chain_id": 901}'
    await act(async () => fireEvent.change(input, { target: { files: [new File([text], 'devnet-rollup.json', { type: 'application/json' })] } }))
    await flush()
    expect(screen.getByText('Read: devnet-rollup.json')).toBeTruthy()
    fireEvent.click(screen.getByRole('radio', { name: 'Latest' }))
    fireEvent.click(screen.getByRole('button', { name: 'Rebuild from L1' }))
    await flush()
    expect(main.calls.find((c) => c.channel === 'opderive:start')?.payload).toEqual({
      rollup: { kind: 'rollup-json', fileName: 'devnet-rollup.json', text },
      l1RpcUrls: ['http://127.0.0.1:8545'],
      start: { kind: 'genesis' },
      toL1Block: 'latest',
    })
  })

  it('shows a refused start and a failed run with the error’s next steps, and cancels a running rebuild', async () => {
    await openScreen()
    main.answers['opderive:start'] = () => ({ ok: false, error: serializeError(new OpDeriveAlreadyRunningError('2026-11-21T20:44:58.000Z')) })
    fireEvent.change(screen.getByLabelText('L1 RPC URLs'), { target: { value: 'http://127.0.0.1:8545' } })
    fireEvent.click(screen.getByRole('button', { name: 'Rebuild from L1' }))
    await flush()
    const alert = screen.getByRole('alert', { name: 'A rebuild from L1 is already running.' })
    expect(alert.textContent).toContain('Wait for it to finish, or cancel it, then start the new one.')

    snapshot = { ...freshRun(), status: 'failed', finishedAt: '2026-11-21T20:45:00.000Z', error: serializeError(new OpDeriveWrongL1Error(11155111, 1)) }
    await act(() => useOpDeriveStore.getState().load())
    const run = screen.getByRole('region', { name: 'Rebuild result' })
    const failure = within(run).getByRole('region', { name: 'The L1 endpoint is on chain 11155111, but this rollup settles on chain 1.' })
    expect(failure.textContent).toContain('Use an RPC URL of the right L1 network')
    expect(within(run).getByText('The rebuild stopped. See below for what to do.')).toBeTruthy()

    snapshot = freshRun()
    await act(() => useOpDeriveStore.getState().load())
    fireEvent.click(screen.getByRole('button', { name: 'Cancel rebuild' }))
    await flush()
    expect(main.calls.find((c) => c.channel === 'opderive:cancel')?.payload).toEqual({ runId: RUN_ID })
    expect(screen.getByRole('button', { name: 'Cancelling…' })).toHaveProperty('disabled', true)
    progress({ l1BlocksScanned: 7, l2BlocksDerived: 3 }, 'cancelled')
    expect(screen.getByText('Cancelled after 7 L1 blocks and 3 L2 blocks. Nothing was signed or sent.')).toBeTruthy()
  })

  it('starts from the L1 anchor with an L2 node, and says what that start trusts', async () => {
    await openScreen()
    fireEvent.change(screen.getByLabelText('L1 RPC URLs'), { target: { value: 'http://127.0.0.1:8545' } })
    fireEvent.click(screen.getByRole('radio', { name: /The latest output root final on L1/ }))
    expect(screen.queryByText(/reading years of L1 history/)).toBeNull()
    expect(screen.getByText(/Not trusted: the blocks it serves around the anchor are re-hashed and checked/)).toBeTruthy()
    fireEvent.click(screen.getByRole('button', { name: 'Rebuild from L1' }))
    await flush()
    expect(screen.getByRole('alert').textContent).toContain('L2 node URL: expected an http:// or https:// URL')
    fireEvent.change(screen.getByLabelText('L2 node URL'), { target: { value: 'https://mainnet.optimism.io' } })
    fireEvent.click(screen.getByRole('button', { name: 'Rebuild from L1' }))
    await flush()
    expect(main.calls.find((c) => c.channel === 'opderive:start')?.payload).toMatchObject({ start: { kind: 'anchor', l2RpcUrl: 'https://mainnet.optimism.io' } })
    snapshot = { ...freshRun(), request: { ...freshRun().request, start: 'anchor', l2Endpoint: 'https://mainnet.optimism.io' }, seq: 1, progress: { ...idle, anchorBlocksVerified: 12 } }
    await act(() => useOpDeriveStore.getState().load())
    expect(screen.getByText('Finding where to start: 12 L2 blocks from the L2 node verified against L1…')).toBeTruthy()
    const root = `0x${'0a'.repeat(32)}` as const
    snapshot = { ...snapshot, seq: 2, status: 'completed', progress: { ...idle, phase: 'done', l2BlocksDerived: 240 }, result: { ...result, start: { kind: 'anchor', l2Block: 1234, outputRoot: root, readAtL1Block: 150 } } }
    await act(() => useOpDeriveStore.getState().load())
    expect(screen.getByText(/Started after L2 block 1234, whose output root/).textContent).toContain(`${root} the chain’s L1 contracts consider final (read at L1 block 150)`)
  })

  it('re-reads the run when an event does not follow the last one', async () => {
    snapshot = freshRun()
    await openScreen()
    const reads = () => main.calls.filter((c) => c.channel === 'opderive:get-status').length
    const before = reads()
    snapshot = { ...snapshot, seq: 2, progress: { ...idle, phase: 'deriving', l1From: 1, l1To: 9, l1Block: 5 } }
    act(() => main.emit('opderive:progress', { runId: RUN_ID, seq: 2, status: 'running', progress: snapshot!.progress }))
    await flush()
    expect(reads()).toBe(before + 1)
    expect(useOpDeriveStore.getState().run).toEqual(snapshot)
  })
})
