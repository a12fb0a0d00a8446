import { describe, expect, it } from 'vitest'
import type { JobDetailView, JobStepView } from '../../shared/ipc/jobSchemas'
import { buildEscapeTimeline, escapeStepLabel } from './escapeTimeline'

const T = (m: number) => new Date(Date.UTC(2026, 11, 7, 12, m)).toISOString()
const done = (name: string, m: number): JobStepView => ({ name, status: 'completed', startedAt: T(m), finishedAt: T(m), attempts: 1 })

function job(steps: JobStepView[], status: JobDetailView['status'] = 'active'): JobDetailView {
  return {
    id: 'arb-escape-20261207-abcdef', kind: 'arb-escape', title: 'Get 1 ETH out of Devnet Arbitrum', params: null, createdAt: T(0), updatedAt: T(9), status,
    steps, txs: [], prompts: {}, files: [], notes: [], lastSeq: steps.length, problems: [], damaged: false,
  }
}

const beforeWait = ['prepare', 'sign-l2-tx', 'send-l2-message', 'track-message'].map((n, i) => done(n, i))
const forceWait: JobStepView = {
  name: 'wait-force-inclusion', status: 'started', startedAt: T(5), attempts: 1,
  waiting: { wait: 'deadline', reason: 'Waiting for the force-inclusion deadline: L1 block 160, about 2026-12-07 12:15 UTC (now block 110).', since: T(5), until: T(15), l1Block: '160' },
}

describe('buildEscapeTimeline', () => {
  it('shows a planned wait as paused with its reason and date, never in progress, and offers Resume from that date', () => {
    const { stages, next } = buildEscapeTimeline(job([...beforeWait, forceWait]), { running: false, now: new Date(T(6)) })
    expect(stages!.map((s) => [s.id, s.status])).toEqual([
      ['forced-tx', 'done'],
      ['included', 'paused'],
      ['in-root', 'upcoming'],
      ['confirmed', 'upcoming'],
      ['executed', 'upcoming'],
    ])
    expect(stages![0]!.at).toBe(T(2))
    expect(stages![1]).toMatchObject({ at: T(15), estimate: true, detail: forceWait.waiting!.reason })
    expect(next).toMatchObject({ kind: 'resume', label: 'Resume', ready: false, availableAt: T(15) })
    // Once the date has come (the app stays open), the same wait offers "Resume now".
    expect(buildEscapeTimeline(job([...beforeWait, forceWait]), { running: false, now: new Date(T(16)) }).next).toMatchObject({ label: 'Resume now', ready: true })
    // While main runs it, the one action is Stop.
    expect(buildEscapeTimeline(job([...beforeWait, forceWait]), { running: true, now: new Date(T(6)) }).next.kind).toBe('stop')
  })

  it('shows a step started by a run that is gone (killed or closed mid-step) as not running, never "in progress"', () => {
    const sending: JobStepView = { name: 'send-l2-message', status: 'started', startedAt: T(3), attempts: 1 }
    const steps = [done('prepare', 1), done('sign-l2-tx', 2), sending]
    const gone = buildEscapeTimeline(job(steps), { running: false, now: new Date(T(4)) })
    expect(gone.stages![0]!.status).toBe('stopped')
    expect(gone.next).toMatchObject({ kind: 'resume', label: 'Resume', ready: true })
    expect(buildEscapeTimeline(job(steps), { running: true, now: new Date(T(4)) }).stages![0]!.status).toBe('current')
    // Before the app has said whether a run is going on, nothing is claimed either way beyond the journal's "started".
    expect(buildEscapeTimeline(job(steps), { running: undefined, now: new Date(T(4)) }).stages![0]!.status).toBe('current')
  })

  it('maps the OP Stack escape onto forced tx → included → in a root → proven → matured → finalized, reading the latest proof round', () => {
    const opJob = (steps: JobStepView[]): JobDetailView => ({ ...job(steps), kind: 'op-escape', id: 'op-escape-20261207-abcdef' })
    const round1 = ['prepare', 'send-forced-withdrawal', 'track-deposit', 'find-withdrawal', 'choose-game', 'prove', 'wait-game', 'resolve'].map((n, i) => done(n, i))
    const clock: JobStepView = { name: 'wait-game', status: 'started', startedAt: T(9), attempts: 1, waiting: { wait: 'deadline', reason: 'Waiting for the game clock.', since: T(9), until: T(50) } }
    const paused = buildEscapeTimeline(opJob([...round1.slice(0, 6), clock]), { running: false, now: new Date(T(10)) })
    expect(paused.stages!.map((s) => [s.id, s.status])).toEqual([
      ['forced-tx', 'done'],
      ['included', 'done'],
      ['in-root', 'done'],
      ['proven', 'done'],
      ['matured', 'paused'],
      ['finalized', 'upcoming'],
    ])
    // The game was lost: round 2 chooses a new game and proves again; "proven" is not done until round 2's prove is.
    const round2 = buildEscapeTimeline(opJob([...round1, done('choose-game#2', 10), { name: 'prove#2', status: 'started', startedAt: T(11), attempts: 1 }]), { running: true, now: new Date(T(12)) })
    expect(round2.stages!.map((s) => s.status)).toEqual(['done', 'done', 'done', 'current', 'upcoming', 'upcoming'])
    expect(escapeStepLabel('prove#2')).toBe('Prove the withdrawal on L1 (round 2)')
  })

  it('tells "no assertion yet" from "an assertion covers it" in the confirmation wait', () => {
    const steps = [...beforeWait, ...['wait-force-inclusion', 'force-inclusion', 'detect-sequencing'].map((n, i) => done(n, 5 + i))]
    const waiting = (reason: string): JobStepView => ({ name: 'wait-confirmation', status: 'started', startedAt: T(9), attempts: 1, waiting: { wait: 'confirmation', reason, since: T(9), until: T(40) } })
    const none = buildEscapeTimeline(job([...steps, waiting('Waiting for the withdrawal: no assertion covers your withdrawal yet; once a validator posts one, it can be confirmed 20 L1 blocks later.')]), { running: false, now: new Date(T(10)) })
    expect(none.stages!.map((s) => s.status)).toEqual(['done', 'done', 'paused', 'upcoming', 'upcoming'])
    const covered = buildEscapeTimeline(
      job([...steps, waiting(`Waiting for the withdrawal: assertion 0x${'ab'.repeat(32)} (created at L1 block 200) covers your withdrawal; it can be confirmed from L1 block 220, about …`)]),
      { running: false, now: new Date(T(10)) },
    )
    expect(covered.stages!.map((s) => s.status)).toEqual(['done', 'done', 'done', 'paused', 'upcoming'])
    expect(covered.stages![3]!.at).toBe(T(40))
  })

  it('offers Try again after a failed step, and the report once the job is over', () => {
    const failed: JobStepView = { name: 'send-l2-message', status: 'failed', startedAt: T(3), attempts: 2, error: { name: 'L1UnavailableError', shortMessage: 'The L1 endpoint https://rpc.example did not answer.', steps: [], kind: 'temporary' } }
    const f = buildEscapeTimeline(job([done('prepare', 1), done('sign-l2-tx', 2), failed]), { running: false, now: new Date(T(4)) })
    expect(f.stages![0]).toMatchObject({ status: 'failed', detail: 'The L1 endpoint https://rpc.example did not answer.' })
    expect(f.next).toMatchObject({ kind: 'resume', label: 'Try again' })
    const finished = buildEscapeTimeline(job([...beforeWait], 'succeeded'), { running: false, now: new Date(T(4)) })
    expect(finished.next).toMatchObject({ kind: 'export', label: 'Save the report' })
  })

  it('names a stuck transaction and the consented fee bump instead of pretending to go on', () => {
    const stuckJob = { ...job([...beforeWait]), notes: [{ at: T(5), text: 'Stopped: L1 transaction 0xabc (step send-l2-message) has waited at least 10 blocks: the L1 base fee (30 gwei) is above its max fee per gas (20 gwei), so no block can include it until fees fall. A fee bump needs the user\'s approval.' }] }
    const { next } = buildEscapeTimeline(stuckJob, { running: false, now: new Date(T(6)), lastOutcome: 'stuck' })
    expect(next).toMatchObject({ kind: 'bump-fee', label: 'Raise the fee…', ready: true })
    expect(next.explanation).toMatch(/^L1 transaction 0xabc \(step send-l2-message\)[\s\S]*shows what it may cost before you approve; nothing is signed without your approval/)
  })

  it('draws no timeline for a job kind without a stage map (its steps still show)', () => {
    expect(buildEscapeTimeline({ ...job([]), kind: 'op-derive' }, { running: false, now: new Date(T(0)) }).stages).toBeUndefined()
  })
})
