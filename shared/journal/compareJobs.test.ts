import { describe, expect, it } from 'vitest'
import { compareJobsNewestFirst } from './reduce'

describe('compareJobsNewestFirst', () => {
  it('orders by last change, then (same millisecond) by creation, newest first, then by id', () => {
    const t = '2026-11-21T10:00:00.000Z'
    const jobs = [
      { id: 'arb-escape-a', createdAt: '2026-11-20T09:00:00.000Z', updatedAt: t },
      { id: 'op-escape-b', createdAt: t, updatedAt: t },
      { id: 'old-job-c', createdAt: '2026-11-19T09:00:00.000Z', updatedAt: '2026-11-19T09:00:00.000Z' },
      { id: 'arb-escape-0', createdAt: '2026-11-20T09:00:00.000Z', updatedAt: t },
    ]
    expect([...jobs].sort(compareJobsNewestFirst).map((j) => j.id)).toEqual(['op-escape-b', 'arb-escape-0', 'arb-escape-a', 'old-job-c'])
  })
})
