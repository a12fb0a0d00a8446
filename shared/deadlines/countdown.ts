/**
 * Countdown text, never "0 h left" while still waiting (notes op-stack.md §9, across-protocol/relayer#3445): a
 * remaining time is rounded up, and a date that has passed while the chain has not moved yet reads
 * "due now — waiting for <what>". Dates themselves (local + UTC) are formatted at the edge.
 */
import type { Deadline } from './deadline'

/** "3 d 4 h", "5 h 20 min", "12 min", "less than a minute" — rounded up to the minute, never zero. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return 'less than a minute'
  const minutes = Math.ceil(seconds / 60)
  const d = Math.floor(minutes / 1440)
  const h = Math.floor((minutes % 1440) / 60)
  const m = minutes % 60
  if (d > 0) return h > 0 ? `${d} d ${h} h` : `${d} d`
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`
  return `${m} min`
}

/**
 * "in 2 d 5 h" before the date; "due now — waiting for <waitingFor>" once it has passed (the caller knows the chain
 * has not done it yet — otherwise it would not ask for a countdown).
 */
export function countdownText(deadline: Pick<Deadline, 'at' | 'estimate'>, now: Date, waitingFor: string): string {
  const seconds = (deadline.at.getTime() - now.getTime()) / 1000
  if (seconds <= 0) return `due now — waiting for ${waitingFor}`
  if (seconds < 60) return 'in less than a minute'
  return `${deadline.estimate ? 'in about' : 'in'} ${formatDuration(seconds)}`
}
