import { beforeEach, describe, expect, it } from 'vitest'
import { useEscapeRunStore } from './escapeRunStore'

const jobId = 'arb-escape-20261207-abcdef'
const run = (running: boolean) => ({ jobId, running, endpointsKnown: true, endpointLabels: { l1: ['https://rpc.example'] } })

describe('escapeRunStore', () => {
  beforeEach(() => useEscapeRunStore.setState({ runs: {}, progress: {}, meters: {} }))

  it('keeps a meter from the counted progress events, and drops it when the run ends', () => {
    const store = useEscapeRunStore.getState()
    store.setRun(run(true))
    store.addProgress(jobId, { at: '2026-12-07T12:00:00.000Z', message: 'Scanning L1 blocks', counts: { done: 100, total: 1000, unit: 'L1 blocks' } })
    store.addProgress(jobId, { at: '2026-12-07T12:00:10.000Z', message: 'plain line' })
    store.addProgress(jobId, { at: '2026-12-07T12:00:20.000Z', message: 'Scanning L1 blocks', counts: { done: 300, total: 1000, unit: 'L1 blocks' } })
    const s = useEscapeRunStore.getState()
    expect(s.meters[jobId]).toEqual({ unit: 'L1 blocks', total: 1000, samples: [{ at: Date.parse('2026-12-07T12:00:00.000Z'), done: 100 }, { at: Date.parse('2026-12-07T12:00:20.000Z'), done: 300 }] })
    expect(s.progress[jobId]!.map((l) => l.message)).toEqual(['Scanning L1 blocks', 'plain line', 'Scanning L1 blocks'])
    expect(s.progress[jobId]![0]).not.toHaveProperty('counts')
    // A paused or stopped run shows no bar of work going on.
    s.setRun(run(false))
    expect(useEscapeRunStore.getState().meters[jobId]).toBeUndefined()
  })
})
