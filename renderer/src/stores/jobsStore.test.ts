import { beforeEach, describe, expect, it } from 'vitest'
import type { JobSummaryView } from '../../../shared/ipc/jobSchemas'
import { useJobsStore } from './jobsStore'

function job(id: string, updatedAt: string, title = id): JobSummaryView {
  return { id, kind: 'arb-escape', title, status: 'active', createdAt: '2026-11-20T10:00:00.000Z', updatedAt, pendingTxs: 0 }
}

beforeEach(() => {
  useJobsStore.setState({ status: 'loading', jobs: [], problems: [] })
})

describe('jobsStore', () => {
  it('keeps jobs ordered by last change, newest first', () => {
    const store = useJobsStore.getState()
    store.setList({ jobs: [job('aaa-1', '2026-11-21T10:00:00.000Z'), job('bbb-2', '2026-11-21T12:00:00.000Z')], problems: [] })
    expect(useJobsStore.getState().jobs.map((j) => j.id)).toEqual(['bbb-2', 'aaa-1'])
    store.upsert(job('aaa-1', '2026-11-21T13:00:00.000Z'))
    expect(useJobsStore.getState().jobs.map((j) => j.id)).toEqual(['aaa-1', 'bbb-2'])
    store.upsert(job('ccc-3', '2026-11-21T11:00:00.000Z'))
    expect(useJobsStore.getState().jobs.map((j) => j.id)).toEqual(['aaa-1', 'bbb-2', 'ccc-3'])
    expect(useJobsStore.getState().status).toBe('ready')
  })

  it('never lets an older read replace a newer event', () => {
    const store = useJobsStore.getState()
    store.upsert(job('aaa-1', '2026-11-21T13:00:00.000Z', 'from the event'))
    store.setList({ jobs: [job('aaa-1', '2026-11-21T12:00:00.000Z', 'from an older list read')], problems: [] })
    expect(useJobsStore.getState().jobs.map((j) => j.title)).toEqual(['from the event'])
    store.upsert(job('aaa-1', '2026-11-21T12:30:00.000Z', 'late event'))
    expect(useJobsStore.getState().jobs.map((j) => j.title)).toEqual(['from the event'])
  })
})
