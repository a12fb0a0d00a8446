/**
 * Tests and test tooling: the processes on this machine from Linux /proc (empty elsewhere), and every process
 * below one PID. Used to check that nothing was left behind (no anvil of ours) and to kill what a hung test run
 * started, by PID, without touching anyone else's processes.
 */
import * as fs from 'node:fs'

export interface ProcessEntry {
  pid: number
  ppid: number
  /** The executable's name as the kernel keeps it (at most 15 characters). */
  comm: string
  /** R, S, D, Z (zombie: exited, not yet reaped) … */
  state: string
}

export function readProcessTable(): ProcessEntry[] {
  if (process.platform !== 'linux') return []
  const out: ProcessEntry[] = []
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    let stat: string
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8')
    } catch {
      continue // exited while we looked
    }
    // pid (comm) state ppid …; comm may contain spaces or parentheses, so split at the last ')'.
    const close = stat.lastIndexOf(')')
    const [state = '', ppid = ''] = stat.slice(close + 2).split(' ')
    out.push({ pid: Number(entry), ppid: Number(ppid), comm: stat.slice(stat.indexOf('(') + 1, close), state })
  }
  return out
}

/** Every process below `rootPid` (children, grandchildren…). */
export function listDescendantPids(rootPid: number): number[] {
  const childrenOf = new Map<number, number[]>()
  for (const p of readProcessTable()) childrenOf.set(p.ppid, [...(childrenOf.get(p.ppid) ?? []), p.pid])
  const out: number[] = []
  const queue = [rootPid]
  while (queue.length > 0) {
    for (const child of childrenOf.get(queue.shift()!) ?? []) {
      out.push(child)
      queue.push(child)
    }
  }
  return out
}
