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

// A job's journal status says whether it has finished, not whether a run is going on now (the app may have been
// closed or killed mid-step): 'active' is "Not finished"; the job page says whether it is running or paused.
const JOB_STATUS_LABELS: Record<string, string> = {
  active: 'Not finished',
  succeeded: 'Done',
  failed: 'Failed',
  abandoned: 'Abandoned',
}

export function jobStatusLabel(status: string): string {
  return JOB_STATUS_LABELS[status] ?? status
}

export { stepLabel } from '../../shared/journal/stepLabels'

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

/** Wei (decimal string) as ETH for people: every significant decimal kept (the full wei goes in a tooltip). */
export function formatEth(wei: string | bigint): string {
  const value = typeof wei === 'bigint' ? wei : BigInt(wei)
  const negative = value < 0n
  const abs = negative ? -value : value
  const whole = abs / 10n ** 18n
  const frac = (abs % 10n ** 18n).toString().padStart(18, '0').replace(/0+$/, '')
  return `${negative ? '-' : ''}${whole.toLocaleString('en')}${frac ? `.${frac}` : ''} ETH`
}

/** "1,234,000,000 wei" for the tooltip beside an ETH amount. */
export function formatWei(wei: string | bigint): string {
  return `${BigInt(wei).toLocaleString('en')} wei`
}

const localDateTime = new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' })

/** A date for people: local time (with the zone's name); UTC goes in the tooltip (`utcTitle`). */
export function formatLocal(iso: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone
  return `${localDateTime.format(date)}${zone && zone !== 'UTC' && zone !== 'Etc/UTC' ? ` (${zone})` : ' UTC'}`
}

export function utcTitle(iso: string): string {
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`
}

/**
 * An RPC URL as it may be shown: scheme and host only — the rule of endpointLabel (electron/services/l1), which the
 * window cannot import. API keys sit in paths and queries; they never reach the screen.
 */
export function urlLabel(url: string): string {
  try {
    const u = new URL(url)
    return `${u.protocol}//${u.host}`
  } catch {
    return 'an invalid address'
  }
}
