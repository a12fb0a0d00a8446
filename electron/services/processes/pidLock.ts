/**
 * Lock files that hold their owner's process id: one writer per job journal (JournalStore), one run per key (the run
 * registry). A lock whose process is gone is stale — its holder was killed — and is cleared, never left behind.
 */
import * as fs from 'node:fs'

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

export type TakePidLockResult = { taken: true; clearedDeadHolder?: number } | { taken: false; holder: number }

/** Create `file` holding our pid; a live other holder wins, a dead holder's lock is cleared and taken. */
export function takePidLock(file: string): TakePidLockResult {
  let clearedDeadHolder: number | undefined
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx', mode: 0o600 })
      return clearedDeadHolder === undefined ? { taken: true } : { taken: true, clearedDeadHolder }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const holder = readLockHolder(file)
      if (holder === process.pid) return { taken: true }
      if (holder !== undefined && isProcessAlive(holder)) return { taken: false, holder }
      if (holder !== undefined) clearedDeadHolder = holder
      fs.rmSync(file, { force: true })
    }
  }
  // Another process keeps re-creating it between our attempts: it is alive and busy with it.
  return { taken: false, holder: readLockHolder(file) ?? 0 }
}

/** Remove the lock only if this process holds it. */
export function releasePidLock(file: string): void {
  if (readLockHolder(file) === process.pid) fs.rmSync(file, { force: true })
}

/** The pid in a lock file; undefined when it is missing, unreadable or holds no pid. */
function readLockHolder(file: string): number | undefined {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
  const pid = Number.parseInt(text, 10)
  return Number.isInteger(pid) && pid > 0 ? pid : undefined
}
