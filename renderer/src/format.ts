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

/** Step names are kebab-case identifiers in the journal ("sign-l2-tx"); show them as words. */
export function stepLabel(name: string): string {
  const words = name.replace(/[-_]+/g, ' ').trim()
  return words.charAt(0).toUpperCase() + words.slice(1)
}
