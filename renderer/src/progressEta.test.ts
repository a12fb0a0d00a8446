import { describe, expect, it } from 'vitest'
import { addSample, etaText, measuredRate, remainingMs, waitFraction, type ProgressMeter } from './progressEta'

const blocks = (done: number, total = 1000) => ({ done, total, unit: 'L1 blocks' })

function feed(points: [number, number][], total = 1000): ProgressMeter {
  return points.reduce<ProgressMeter | undefined>((m, [at, done]) => addSample(m, blocks(done, total), at), undefined)!
}

describe('progress ETA', () => {
  it('measures the rate over the samples and says what is left at that rate', () => {
    // 100 blocks per 10 s = 10 blocks/s; 700 left → 70 s.
    const meter = feed([[0, 0], [10_000, 100], [20_000, 200], [30_000, 300]])
    expect(measuredRate(meter)).toBeCloseTo(0.01)
    expect(remainingMs(meter, 30_000)).toBeCloseTo(70_000)
    // Time since the last sample counts as work done meanwhile, never below zero.
    expect(remainingMs(meter, 40_000)).toBeCloseTo(60_000)
    expect(remainingMs(meter, 500_000)).toBe(0)
  })

  it('follows a change of speed: only the last minute counts', () => {
    // Fast for two minutes (10/s), then slow (1/s) for the last minute.
    const meter = feed([[0, 0], [60_000, 600], [120_000, 1200], [150_000, 1230], [180_000, 1260]], 2000)
    expect(measuredRate(meter)).toBeCloseTo(60 / 60_000)
    expect(remainingMs(meter, 180_000)).toBeCloseTo(740 / (60 / 60_000))
  })

  it('gives no ETA before it can measure: one sample, too short a span, no progress, or done', () => {
    expect(remainingMs(feed([[0, 10]]), 0)).toBeUndefined()
    expect(remainingMs(feed([[0, 10], [500, 20]]), 500)).toBeUndefined()
    expect(remainingMs(feed([[0, 10], [30_000, 10]]), 30_000)).toBeUndefined()
    expect(remainingMs(feed([[0, 0], [30_000, 1000]]), 30_000)).toBeUndefined()
    expect(etaText(undefined)).toBe('measuring the speed…')
  })

  it('starts over on a new phase: another unit or total, or a count that went back', () => {
    const meter = feed([[0, 0], [10_000, 500]])
    expect(addSample(meter, { done: 3, total: 40, unit: 'proof nodes' }, 11_000).samples).toEqual([{ at: 11_000, done: 3 }])
    expect(addSample(meter, blocks(100), 12_000).samples).toEqual([{ at: 12_000, done: 100 }])
    // A count past the total is clamped (a step that overshoots its estimate is done, not 105 %).
    expect(addSample(meter, blocks(1200), 13_000).samples.at(-1)).toEqual({ at: 13_000, done: 1000 })
  })

  it('says the time left in plain words', () => {
    expect(etaText(20_000)).toBe('less than a minute left')
    expect(etaText(3 * 60_000)).toBe('about 3 min left')
    expect(etaText(130 * 60_000)).toBe('about 2 h 10 min left')
    expect(etaText(120 * 60_000)).toBe('about 2 h left')
    expect(etaText(5 * 24 * 3_600_000)).toBe('about 5 days left')
  })

  it('places a planned wait between its start and its date', () => {
    const since = '2026-12-07T12:00:00.000Z'
    const until = '2026-12-07T13:00:00.000Z'
    expect(waitFraction(since, until, Date.parse('2026-12-07T12:15:00.000Z'))).toBeCloseTo(0.25)
    expect(waitFraction(since, until, Date.parse('2026-12-07T11:00:00.000Z'))).toBe(0)
    expect(waitFraction(since, until, Date.parse('2026-12-07T14:00:00.000Z'))).toBe(1)
    expect(waitFraction(until, since, Date.parse('2026-12-07T14:00:00.000Z'))).toBe(1)
  })
})
