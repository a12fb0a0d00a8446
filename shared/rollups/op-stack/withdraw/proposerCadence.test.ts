import { describe, expect, it } from 'vitest'
import { expectGameCovering, proposerCadence } from './proposerCadence'

/** An hourly proposer, 1800 L2 blocks (1 h at 2 s) between games; newest created at t = 100 000. */
const hourly = [0n, 1n, 2n, 3n, 4n].map((i) => ({ createdAt: 100_000n - i * 3600n, l2Block: 90_000n - i * 1800n }))

describe('proposerCadence', () => {
  it('measures the rhythm with medians, so one stray game does not skew it', () => {
    const stray = { createdAt: 99_000n, l2Block: 10n }
    const c = proposerCadence([...hourly, stray])
    expect(c.latest).toEqual({ createdAt: 100_000n, l2Block: 90_000n })
    expect(c.secondsPerGame).toBe(3600n)
    expect(c.l2BlocksPerGame).toBe(1800n)
    expect(c.samples).toBe(6)
  })

  it('has no rhythm with fewer than two games', () => {
    expect(proposerCadence([])).toEqual({ latest: undefined, secondsPerGame: undefined, l2BlocksPerGame: undefined, samples: 0 })
    expect(proposerCadence([hourly[0]!]).secondsPerGame).toBeUndefined()
  })
})

describe('expectGameCovering', () => {
  const cadence = proposerCadence(hourly)

  it('dates the first game at or past the withdrawal block from the newest game and the rhythm', () => {
    // 2 games needed (90 001 … 93 600 → 91 800, 93 600).
    const e = expectGameCovering({ cadence, l2Block: 93_000n, now: 100_600n })
    expect(e.at).toBe(100_000n + 2n * 3600n)
    expect(e).toMatchObject({ late: false, gone: false, recheckAt: e.at })
    expect(e.basis).toMatch(/about every 3600 s, 1800 L2 block\(s\) apart; its newest is for L2 block 90000, 600 s ago/)
  })

  it('says late past one rhythm after the due date, and gone after four rhythms of silence', () => {
    expect(expectGameCovering({ cadence, l2Block: 91_000n, now: 100_000n + 3600n * 3n }).late).toBe(true)
    expect(expectGameCovering({ cadence, l2Block: 91_000n, now: 100_000n + 3600n * 3n }).gone).toBe(false)
    expect(expectGameCovering({ cadence, l2Block: 91_000n, now: 100_000n + 3600n * 4n + 1n }).gone).toBe(true)
  })

  it('never calls a fast proposer gone before an hour of silence (devnet rhythms of seconds)', () => {
    const fast = proposerCadence([0n, 1n, 2n].map((i) => ({ createdAt: 1000n - i * 4n, l2Block: 100n - i * 2n })))
    expect(expectGameCovering({ cadence: fast, l2Block: 104n, now: 1100n })).toMatchObject({ at: 1008n, late: true, recheckAt: 1100n + 600n, gone: false })
    expect(expectGameCovering({ cadence: fast, l2Block: 104n, now: 1000n + 3601n }).gone).toBe(true)
  })

  it('takes a shorter gone threshold from the caller (the devnet), and looks again within it', () => {
    const fast = proposerCadence([0n, 1n, 2n].map((i) => ({ createdAt: 1000n - i * 4n, l2Block: 100n - i * 2n })))
    expect(expectGameCovering({ cadence: fast, l2Block: 104n, now: 1100n, minGoneSeconds: 120n })).toMatchObject({ late: true, recheckAt: 1100n + 61n, gone: false })
    expect(expectGameCovering({ cadence: fast, l2Block: 104n, now: 1121n, minGoneSeconds: 120n }).gone).toBe(true)
  })

  it('assumes the usual hourly proposals when the factory holds no game yet', () => {
    const e = expectGameCovering({ cadence: proposerCadence([]), l2Block: 5n, now: 50n })
    expect(e.at).toBe(50n + 3600n)
    expect(e.basis).toMatch(/no game of the respected type yet/)
  })
})
