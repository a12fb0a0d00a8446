/**
 * Every process below `rootPid` (children, grandchildren…), from Linux /proc; empty elsewhere. Used to kill what a
 * hung test run started (vitest workers, anvil, the bridge, chromium) by PID, without touching anyone else's.
 */
import * as fs from 'node:fs'

export function listDescendantPids(rootPid: number): number[] {
  if (process.platform !== 'linux') return []
  const childrenOf = new Map<number, number[]>()
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    let stat: string
    try {
      stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8')
    } catch {
      continue // exited while we looked
    }
    // pid (comm) state ppid …; comm may contain spaces or parentheses, so split at the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
    childrenOf.set(ppid, [...(childrenOf.get(ppid) ?? []), Number(entry)])
  }
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
