/**
 * The single next action out of several candidates: one that can be done now (in the order given: the caller lists
 * them by importance), else the one whose earliest date comes first.
 */
import type { NextAction } from './deadline'

export function pickNextAction<K extends string>(candidates: readonly NextAction<K>[]): NextAction<K> | undefined {
  const ready = candidates.find((c) => c.ready)
  if (ready) return ready
  return [...candidates].sort((a, b) => a.earliest.at.getTime() - b.earliest.at.getTime())[0]
}
