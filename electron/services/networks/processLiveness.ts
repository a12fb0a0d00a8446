/**
 * Whether a process still runs, for the state files the devnet leaves behind (its process.json and network files):
 * a file whose process is gone describes nothing one can use.
 */
import { existsSync, readFileSync } from 'node:fs'
import { isProcessAlive } from '../processes/pidLock'


/**
 * Whether `pid` still runs a program whose command line contains `marker` (guards against a reused pid). Where
 * /proc is not available (macOS, Windows) the pid is trusted.
 */
export function processLooksLike(pid: number, marker: string): boolean {
  if (!isProcessAlive(pid)) return false
  if (!existsSync('/proc/self/cmdline')) return true
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(marker)
  } catch {
    return false
  }
}

/** The `escape-hatch devnet up` process (as `devnet down` recognises it). */
export function isDevnetServerAlive(pid: number): boolean {
  return processLooksLike(pid, 'escape-hatch') || processLooksLike(pid, 'devnet')
}
