/**
 * Progress bars and ETAs for long steps. Main sends counts (done of total, in a unit) as the step goes; the window
 * measures the rate from those samples and says how long is left. Pure: the caller passes the clock.
 *
 * The rate is taken over the recent samples only (RATE_WINDOW_MS), so an ETA follows a step that speeds up or slows
 * down (a rebuild through an empty stretch of chain, an RPC that starts throttling) instead of averaging its history.
 */

export interface ProgressSample {
  /** ms since the epoch */
  at: number
  done: number
}

export interface ProgressMeter {
  unit: string
  total: number
  samples: ProgressSample[]
}

/** Samples kept per meter, and the window the rate is measured over. */
export const MAX_SAMPLES = 120
export const RATE_WINDOW_MS = 60_000
/** No ETA before this much of the step has been watched: two samples a few ms apart give nonsense rates. */
export const MIN_MEASURED_MS = 2_000

/**
 * The meter after one more sample. A new unit or total, or a count that went backwards, is a new phase of the step:
 * the old samples say nothing about its rate, so the meter starts over.
 */
export function addSample(meter: ProgressMeter | undefined, counts: { done: number; total: number; unit: string }, at: number): ProgressMeter {
  const sample = { at, done: Math.min(counts.done, counts.total) }
  const last = meter?.samples[meter.samples.length - 1]
  if (!meter || meter.unit !== counts.unit || meter.total !== counts.total || (last && sample.done < last.done)) {
    return { unit: counts.unit, total: counts.total, samples: [sample] }
  }
  return { ...meter, samples: [...meter.samples, sample].slice(-MAX_SAMPLES) }
}

/** Units per millisecond over the recent samples, or undefined when it cannot be measured yet. */
export function measuredRate(meter: ProgressMeter): number | undefined {
  const last = meter.samples[meter.samples.length - 1]
  if (!last) return undefined
  const recent = meter.samples.filter((s) => s.at >= last.at - RATE_WINDOW_MS)
  const first = recent[0]!
  const span = last.at - first.at
  const gained = last.done - first.done
  if (span < MIN_MEASURED_MS || gained <= 0) return undefined
  return gained / span
}

/**
 * Milliseconds left at `now`: what remains at the measured rate, minus the time since the last sample (the work went
 * on meanwhile), never below zero. Undefined when there is no rate yet, or when the step is done.
 */
export function remainingMs(meter: ProgressMeter, now: number): number | undefined {
  const last = meter.samples[meter.samples.length - 1]
  if (!last || last.done >= meter.total) return undefined
  const rate = measuredRate(meter)
  if (rate === undefined) return undefined
  return Math.max(0, (meter.total - last.done) / rate - Math.max(0, now - last.at))
}

/** "about 3 min left", "about 2 h 10 min left", "less than a minute left"; while unknown, "measuring the speed…". */
export function etaText(ms: number | undefined): string {
  if (ms === undefined) return 'measuring the speed…'
  const minutes = Math.round(ms / 60_000)
  if (minutes < 1) return 'less than a minute left'
  if (minutes < 60) return `about ${minutes} min left`
  const hours = Math.floor(minutes / 60)
  if (hours < 48) return `about ${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ''} left`
  return `about ${Math.round(hours / 24)} days left`
}

/** How far a planned wait is (from its start to its date), 0..1, for the bar of a paused step. */
export function waitFraction(since: string, until: string, now: number): number {
  const start = Date.parse(since)
  const end = Date.parse(until)
  if (!(end > start)) return now >= end ? 1 : 0
  return Math.min(1, Math.max(0, (now - start) / (end - start)))
}
