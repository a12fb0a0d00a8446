import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { throttleLatest } from './throttleLatest'

describe('throttleLatest', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('delivers the first value at once, then at most one per interval, always the latest', () => {
    const got: number[] = []
    const t = throttleLatest(250, (v: number) => got.push(v), () => Date.now())
    for (let i = 1; i <= 100; i++) {
      t.push(i)
      vi.advanceTimersByTime(10) // 100 values over 1 s
    }
    vi.advanceTimersByTime(250)
    expect(got[0]).toBe(1)
    expect(got.at(-1)).toBe(100) // the trailing value of the burst arrives when its interval ends
    expect(got.length).toBeLessThanOrEqual(6) // 1 s at 4/s, plus the first and the trailing one
    for (let i = 1; i < got.length; i++) expect(got[i]!).toBeGreaterThan(got[i - 1]!)
  })

  it('flush delivers the pending value now; cancel drops it', () => {
    const got: string[] = []
    const t = throttleLatest(250, (v: string) => got.push(v), () => Date.now())
    t.push('a')
    t.push('b')
    t.flush()
    expect(got).toEqual(['a', 'b'])
    t.push('c')
    t.cancel()
    vi.advanceTimersByTime(1000)
    expect(got).toEqual(['a', 'b'])
  })
})
