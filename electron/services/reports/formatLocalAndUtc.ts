/**
 * Dates for people (CLI output, reports): local time with the zone, and UTC beside it (the user may be in a hurry in another
 * time zone than the support person reading the same output). Formatted here, at the edge; the engine keeps Dates.
 */
export function formatLocalAndUtc(t: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0')
  const local = `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())} ${pad(t.getHours())}:${pad(t.getMinutes())}`
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone
  const utc = `${t.toISOString().slice(0, 16).replace('T', ' ')} UTC`
  return zone === 'UTC' || zone === 'Etc/UTC' ? utc : `${local} ${zone} (${utc})`
}
