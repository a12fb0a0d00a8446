// tx.found (record version 3): a transaction of a step found mined on L1 instead of signed again (issue 14). It is a
// final transaction of the step in the reduced state — what resumeJournaled returns instead of signing — and the
// window's job view carries how it was found.
import { describe, expect, it } from 'vitest'
import { JobDetailSchema, toJobDetailView } from '../ipc/jobSchemas'
import { appendRefusal } from './appendRules'
import type { JournalRecord } from './records'
import { reduce, unfinishedTxs } from './reduce'

const at = '2026-12-07T10:00:00.000Z'
const HASH = `0x${'ab'.repeat(32)}` as const
const records: JournalRecord[] = [
  { v: 3, seq: 0, at, jobId: 'arb-escape-1', type: 'job.created', kind: 'arb-escape', title: 'Get 1 ETH out', params: null },
  { v: 3, seq: 1, at, jobId: 'arb-escape-1', type: 'step.started', step: 'send-l2-message' },
  {
    v: 3, seq: 2, at, jobId: 'arb-escape-1', type: 'tx.found', step: 'send-l2-message', chainId: 1, from: `0x${'11'.repeat(20)}`, nonce: 3, hash: HASH,
    blockNumber: '120', status: 'success', reason: 'already on L1 (delayed message #7): adopted instead of signing again',
  },
]

describe('tx.found', () => {
  it('is a mined transaction of its step, never one to re-send', () => {
    const state = reduce(records)!
    expect(state.txs).toEqual([expect.objectContaining({ hash: HASH, step: 'send-l2-message', status: 'mined', blockNumber: '120', foundOnChain: expect.stringMatching(/adopted/) })])
    expect(unfinishedTxs(state)).toEqual([])
    expect(appendRefusal(state, { ...records[2]!, type: 'tx.found' } as never)).toMatch(/already journaled/)
  })

  it('reaches the window as part of the job view', () => {
    const view = JobDetailSchema.parse(toJobDetailView(reduce(records)!, { problems: [], damaged: false }))
    expect(view.txs[0]).toMatchObject({ foundOnChain: expect.stringMatching(/delayed message #7/) })
  })
})
