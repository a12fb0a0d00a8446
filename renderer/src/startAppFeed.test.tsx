/**
 * The renderer against the real window API builder (shared/ipc/createEscapeHatchApi) over an in-memory transport
 * that answers like the router does. The full pipeline (real router, handlers and journal) is covered by e2e/.
 */
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { serializeError } from '../../shared/errors/EscapeError'
import { createEscapeHatchApi, type IpcTransport } from '../../shared/ipc/createEscapeHatchApi'
import { IpcUnknownChannelError } from '../../shared/ipc/errors'
import type { JobSummaryView } from '../../shared/ipc/jobSchemas'
import { App } from './components/App'
import { startAppFeed } from './startAppFeed'
import { useAppStore } from './stores/appStore'
import { useErrorStore } from './stores/errorStore'
import { useJobDetailStore } from './stores/jobDetailStore'
import { useJobsStore } from './stores/jobsStore'
import { useRouteStore } from './stores/routeStore'

const jobA: JobSummaryView = { id: 'arb-escape-1', kind: 'arb-escape', title: 'Get 1 ETH out of Arbitrum', status: 'active', createdAt: '2026-11-21T10:00:00.000Z', updatedAt: '2026-11-21T11:00:00.000Z', currentStep: 'scan-l1', pendingTxs: 0 }
const jobB: JobSummaryView = { id: 'op-escape-2', kind: 'op-escape', title: 'Withdraw from OP Mainnet', status: 'succeeded', createdAt: '2026-11-20T10:00:00.000Z', updatedAt: '2026-11-20T11:00:00.000Z', pendingTxs: 0 }

interface FakeMain extends IpcTransport {
  emit(channel: string, payload: unknown): void
  calls: string[]
}

function fakeMain(answers: Record<string, unknown>): FakeMain {
  const listeners = new Map<string, Set<(p: unknown) => void>>()
  const calls: string[] = []
  return {
    calls,
    async invoke(channel) {
      calls.push(channel)
      return channel in answers ? answers[channel] : { ok: false, error: serializeError(new IpcUnknownChannelError(channel)) }
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

function install(main: FakeMain) {
  Object.defineProperty(window, 'escapeHatch', { value: createEscapeHatchApi(main), configurable: true })
}

beforeEach(() => {
  useJobsStore.setState({ status: 'loading', jobs: [], problems: [] })
  useAppStore.setState({ connection: 'connecting', info: undefined })
  useErrorStore.setState({ errors: [] })
  useRouteStore.setState({ route: { screen: 'start' } })
  useJobDetailStore.getState().clear()
})
afterEach(() => {
  cleanup()
  delete (window as { escapeHatch?: unknown }).escapeHatch
})

const ready = { ok: true, value: { deliveredEvents: 0, droppedEvents: 0 } }
const info = { ok: true, value: { name: 'Escape Hatch', version: '0.1.0', platform: 'linux', dataDirKind: 'os-default' } }

describe('startAppFeed + App', () => {
  it('says ready before reading, then shows the app info and the jobs', async () => {
    const main = fakeMain({ 'renderer:ready': ready, 'app:get-info': info, 'jobs:list': { ok: true, value: { jobs: [jobB, jobA], problems: [] } } })
    install(main)
    render(<App />)
    await act(() => startAppFeed())
    expect(main.calls[0]).toBe('renderer:ready')
    expect(screen.getByText('Version 0.1.0 · Linux · default data folder')).toBeTruthy()
    const nav = screen.getByRole('navigation', { name: 'Jobs' })
    expect(within(nav).getAllByRole('link').map((a) => a.querySelector('.job-title')!.textContent)).toEqual([jobA.title, jobB.title])
    expect(within(screen.getByRole('region', { name: 'Resume a job' })).getByRole('link').textContent).toBe(jobA.title)
  })

  it('applies job events from main, and shows an off-contract event as an error instead of using it', async () => {
    const main = fakeMain({ 'renderer:ready': ready, 'app:get-info': info, 'jobs:list': { ok: true, value: { jobs: [jobA], problems: [] } } })
    install(main)
    render(<App />)
    await act(() => startAppFeed())
    act(() => main.emit('jobs:changed', { job: { ...jobA, updatedAt: '2026-11-21T12:00:00.000Z', currentStep: 'prove-withdrawal' } }))
    expect(screen.getByRole('navigation', { name: 'Jobs' }).textContent).toContain('Prove withdrawal')
    act(() => main.emit('jobs:changed', { job: { id: 'x' } }))
    expect(screen.getByRole('alert', { name: 'The app received a malformed event and did not use it.' }).textContent).toContain('Receiving a job update')
  })

  it('moves between jobs with the arrow keys', async () => {
    install(fakeMain({ 'renderer:ready': ready, 'app:get-info': info, 'jobs:list': { ok: true, value: { jobs: [jobA, jobB], problems: [] } } }))
    render(<App />)
    await act(() => startAppFeed())
    const links = within(screen.getByRole('navigation', { name: 'Jobs' })).getAllByRole('link')
    links[0]!.focus()
    fireEvent.keyDown(links[0]!, { key: 'ArrowDown' })
    expect(document.activeElement).toBe(links[1])
    fireEvent.keyDown(links[1]!, { key: 'ArrowDown' })
    expect(document.activeElement).toBe(links[1])
    fireEvent.keyDown(links[1]!, { key: 'Home' })
    expect(document.activeElement).toBe(links[0])
  })

  it('shows a failure to connect with its next step, and no job list', async () => {
    install(fakeMain({}))
    render(<App />)
    await act(() => startAppFeed())
    expect(screen.getByRole('alert', { name: 'The app received a request for an action it does not have.' }).textContent).toContain('Connecting to Escape Hatch')
    expect(screen.getByText('Not connected')).toBeTruthy()
  })

  it('tells the user when the page has no API at all', async () => {
    render(<App />)
    await act(() => startAppFeed())
    expect(screen.getByRole('alert', { name: 'This page is not connected to Escape Hatch.' })).toBeTruthy()
  })
})
