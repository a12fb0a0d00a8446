/** Display helpers. Formatting happens only here, at the edge. */
const dateTime = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' })

export function formatTime(iso: string): string {
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? iso : dateTime.format(date)
}

/** Hashes are long; show the ends and keep the whole value for screen readers and copy. */
export function shortHash(hash: string): string {
  return hash.length > 18 ? `${hash.slice(0, 10)}…${hash.slice(-6)}` : hash
}

const JOB_STATUS_LABELS: Record<string, string> = {
  active: 'In progress',
  succeeded: 'Done',
  failed: 'Failed',
  abandoned: 'Abandoned',
}

export function jobStatusLabel(status: string): string {
  return JOB_STATUS_LABELS[status] ?? status
}

const UPPERCASE_WORDS = new Set(['l1', 'l2', 'eth', 'op', 'rpc', 'kzg'])

/** Step names are kebab-case identifiers in the journal ("sign-l2-tx"); show them as words ("Sign L2 tx"). */
export function stepLabel(name: string): string {
  const words = name
    .split(/[-_\s]+/)
    .filter(Boolean)
    .map((word) => (UPPERCASE_WORDS.has(word.toLowerCase()) ? word.toUpperCase() : word))
  const text = words.join(' ')
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** A step's duration: milliseconds under a second, then seconds with two decimals. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) return ''
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(2)} s`
}

const clock = new Intl.DateTimeFormat('en', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false })

/** Time of day with seconds, for progress messages that arrive a few per second. */
export function formatClock(iso: string): string {
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? iso : clock.format(date)
}
