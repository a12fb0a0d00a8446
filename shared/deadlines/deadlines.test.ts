import { describe, expect, it } from 'vitest'
import { assertionConfirmation, forceInclusionWindow, retryableExpiry } from './arbitrumDeadlines'
import { countdownText, formatDuration } from './countdown'
import type { NextAction } from './deadline'
import { l1BlockDate, l1BlocksToSeconds } from './l1BlockDate'
import { FALLBACK_L1_BLOCK_SECONDS, l1BlockSeconds, measureL1BlockTime } from './measureL1BlockTime'
import { pickNextAction } from './nextAction'
import { depositInclusionDeadline, disputeGameResolution, finalityAirgap, proofMaturity, withdrawalFinalizable } from './opStackDeadlines'
import { readL1Clock } from './readL1Clock'

// A mainnet-like L1: 7200 blocks took 87 000 s (missed slots: 12.083 s a block, not 12).
const head = { number: 21_007_200n, timestamp: 1_733_000_000n }
const clock = measureL1BlockTime([{ number: 21_000_000n, timestamp: head.timestamp - 87_000n }, head])
const ms = (seconds: bigint) => Number(seconds * 1000n)

describe('measureL1BlockTime', () => {
  it('measures (t_b − t_a)/(b − a) over the widest span, in any order', () => {
    expect(clock.measured).toBe(true)
    expect(clock.span).toEqual({ blocks: 7200n, seconds: 87_000n })
    expect(l1BlockSeconds(clock)).toBe(12.08)
    expect(clock.basis).toBe('L1 block time 12.08 s, measured over L1 blocks 21000000..21007200')
    const three = measureL1BlockTime([head, { number: 21_003_600n, timestamp: 0n }, { number: 21_000_000n, timestamp: head.timestamp - 87_000n }])
    expect(three.span).toEqual(clock.span)
  })

  it('falls back only when there is nothing to measure, and says so', () => {
    const one = measureL1BlockTime([head])
    expect(one.measured).toBe(false)
    expect(one.span).toEqual({ blocks: 1n, seconds: FALLBACK_L1_BLOCK_SECONDS })
    expect(one.basis).toBe('L1 block time assumed 12 s (only one L1 header to measure)')
    const stuck = measureL1BlockTime([{ number: 5n, timestamp: 100n }, { number: 9n, timestamp: 100n }])
    expect(stuck.measured).toBe(false)
    expect(stuck.basis).toMatch(/did not advance over blocks 5\.\.9/)
    expect(() => measureL1BlockTime([])).toThrow()
  })
})

describe('l1BlockDate', () => {
  it('dates a block ahead from the measured block time, not 12 s', () => {
    const d = l1BlockDate(clock, head.number + 7200n, 'test')
    expect(d.at.getTime()).toBe(ms(head.timestamp + 87_000n))
    expect(d.at.getTime()).not.toBe(ms(head.timestamp + 7200n * 12n))
    expect(d.estimate).toBe(true)
    expect(d.basis).toBe(`test: L1 block ${head.number + 7200n} (head ${head.number}; ${clock.basis})`)
    expect(l1BlockDate(clock, head.number, 'now')).toMatchObject({ at: new Date(ms(head.timestamp)), estimate: false })
    expect(l1BlockDate(clock, head.number - 3600n, 'past').at.getTime()).toBe(ms(head.timestamp - 43_500n))
    expect(l1BlocksToSeconds(clock, 5760n)).toBe(69_600n)
  })
})

describe('Arbitrum deadlines', () => {
  it('force inclusion opens at the block after the contract deadline (message block + min(delayBlocks, buffer))', () => {
    const msg = head.number - 100n
    const w = forceInclusionWindow({ clock, messageL1Block: msg, delayBlocks: 5760n, bufferBlocks: 14_400n })
    expect(w.deadlineBlock).toBe(msg + 5760n)
    expect(w.firstIncludableBlock).toBe(msg + 5761n)
    expect(w.open).toBe(false)
    expect(w.opensAt.at).toEqual(l1BlockDate(clock, msg + 5761n, 'x').at)
    expect(w.opensAt.basis).toMatch(/message block \+ delayBlocks 5760/)
    // A depleted buffer shortens the window.
    const depleted = forceInclusionWindow({ clock, messageL1Block: msg, delayBlocks: 5760n, bufferBlocks: 150n })
    expect(depleted.deadlineBlock).toBe(msg + 150n)
    expect(depleted.open).toBe(false)
    expect(forceInclusionWindow({ clock, messageL1Block: msg - 50n, delayBlocks: 5760n, bufferBlocks: 150n }).open).toBe(true)
    expect(depleted.opensAt.basis).toMatch(/delay buffer 150/)
    // The contract's own answer wins; open exactly when the next block is past the deadline.
    expect(forceInclusionWindow({ clock, messageL1Block: msg, deadlineBlock: head.number }).open).toBe(true)
    expect(forceInclusionWindow({ clock, messageL1Block: msg, deadlineBlock: head.number + 1n }).open).toBe(false)
  })

  it('an inbox before v3.0.0 also needs message time + delaySeconds', () => {
    const msg = head.number - 6000n
    const legacy = forceInclusionWindow({
      clock, messageL1Block: msg, delayBlocks: 5760n, legacyTimeRule: { messageL1Timestamp: head.timestamp - 3600n, delaySeconds: 86_400n },
    })
    expect(legacy.open).toBe(false)
    expect(legacy.opensAt).toMatchObject({ at: new Date(ms(head.timestamp - 3600n + 86_401n)), estimate: false })
  })

  it('assertion confirmation: creation block + confirm period; without an assertion a lower bound', () => {
    const created = head.number - 45_000n
    const a = assertionConfirmation({ clock, confirmPeriodBlocks: 45_818n, assertionCreatedAtBlock: created })
    expect(a).toMatchObject({ confirmableFromBlock: created + 45_818n, exact: true, reached: false })
    expect(a.at.at.getTime()).toBe(ms(head.timestamp) + Number((818n * 87_000n * 1000n) / 7200n))
    expect(assertionConfirmation({ clock, confirmPeriodBlocks: 45_818n, assertionCreatedAtBlock: head.number - 45_818n }).reached).toBe(true)
    const none = assertionConfirmation({ clock, confirmPeriodBlocks: 45_818n, assertionCreatedAtBlock: undefined })
    expect(none).toMatchObject({ confirmableFromBlock: head.number + 45_818n, exact: false, reached: false })
    expect(none.at.basis).toMatch(/no assertion covers it yet/)
  })

  it('retryable tickets expire 7 days after creation', () => {
    expect(retryableExpiry(1_000n)).toMatchObject({ at: new Date(ms(605_800n)), estimate: false })
  })
})

describe('OP Stack deadlines', () => {
  it('sequencing window, proof maturity, game clock and airgap', () => {
    const dep = depositInclusionDeadline({ clock, depositL1Block: head.number - 600n, seqWindowSize: 3600n })
    expect(dep.block).toBe(head.number + 3000n)
    expect(dep.reached).toBe(false)
    expect(dep.at.at.getTime()).toBe(ms(head.timestamp + 36_250n))
    expect(proofMaturity(1_000n, 604_800n).at.getTime()).toBe(ms(605_801n))
    expect(disputeGameResolution(1_000n, 302_400n).at.getTime()).toBe(ms(303_400n))
    expect(finalityAirgap(303_400n, 302_400n).at.getTime()).toBe(ms(605_801n))
  })

  it('finalizable = the later of maturity and airgap; an unresolved game counts from its earliest resolution', () => {
    const base = { provenAtTimestamp: 1_000n, proofMaturityDelaySeconds: 604_800n, finalityDelaySeconds: 302_400n }
    const early = withdrawalFinalizable({ ...base, game: { createdAtTimestamp: 900n, maxClockDurationSeconds: 302_400n, resolvedAtTimestamp: 303_300n } })
    expect(early.at.getTime()).toBe(ms(605_801n))
    expect(early.basis).toMatch(/proof maturity/)
    const late = withdrawalFinalizable({ ...base, game: { createdAtTimestamp: 200_000n, maxClockDurationSeconds: 302_400n, resolvedAtTimestamp: undefined } })
    expect(late.at.getTime()).toBe(ms(200_000n + 302_400n + 302_401n))
    expect(late.basis).toMatch(/not resolved yet/)
  })
})

describe('countdown text', () => {
  const at = new Date('2026-12-07T12:00:00Z')
  it('rounds up and never says zero while waiting', () => {
    expect(countdownText({ at, estimate: false }, new Date('2026-12-07T11:59:59.5Z'), 'x')).toBe('in less than a minute')
    expect(countdownText({ at, estimate: false }, new Date('2026-12-07T11:00:30Z'), 'x')).toBe('in 1 h')
    expect(countdownText({ at, estimate: true }, new Date('2026-12-04T09:30:00Z'), 'x')).toBe('in about 3 d 2 h')
    expect(countdownText({ at, estimate: true }, new Date('2026-12-07T11:59:30Z'), 'x')).toBe('in less than a minute')
    expect(formatDuration(3600 * 5 + 20 * 60)).toBe('5 h 20 min')
    expect(formatDuration(86_400 * 2)).toBe('2 d')
  })
  it('a passed date that the chain has not acted on is "due now — waiting for …"', () => {
    expect(countdownText({ at, estimate: false }, at, 'the next L1 block')).toBe('due now — waiting for the next L1 block')
    expect(countdownText({ at, estimate: true }, new Date('2026-12-08T00:00:00Z'), 'a validator to confirm')).toBe('due now — waiting for a validator to confirm')
  })
})

describe('pickNextAction', () => {
  const d = (s: number) => ({ at: new Date(s * 1000), basis: '', estimate: false })
  const a = (kind: string, at: number, ready: boolean): NextAction => ({ kind, description: kind, by: 'you', earliest: d(at), ready })
  it('one that can be done now first (in the order given), else the earliest', () => {
    expect(pickNextAction([a('late', 50, false), a('soon', 10, false)])?.kind).toBe('soon')
    expect(pickNextAction([a('wait', 1, false), a('go', 99, true), a('go2', 5, true)])?.kind).toBe('go')
    expect(pickNextAction([])).toBeUndefined()
  })
})

describe('readL1Clock', () => {
  it('reads the head and one header a window back (or only the head at genesis)', async () => {
    const headers = new Map([[100n, { number: 100n, timestamp: 2_000n }], [40n, { number: 40n, timestamp: 1_250n }], [0n, { number: 0n, timestamp: 1_000n }]])
    const asked: unknown[] = []
    const l1 = {
      getBlock: async (args?: { blockTag?: string; blockNumber?: bigint }) => {
        asked.push(args)
        return headers.get(args?.blockNumber ?? 100n)!
      },
    } as never
    const c = await readL1Clock({ l1, windowBlocks: 60n })
    expect(c.span).toEqual({ blocks: 60n, seconds: 750n })
    expect(asked).toEqual([{ blockTag: 'latest' }, { blockNumber: 40n }])
    const genesis = await readL1Clock({ l1, head: { number: 0n, timestamp: 1_000n } })
    expect(genesis.measured).toBe(false)
  })
})
