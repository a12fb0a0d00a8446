/**
 * Tests: the anvil processes this process started that still exist (Linux /proc). Other engineers' anvils on the
 * same machine are not ours, so "no anvil left behind" means none whose parent is this process.
 */
import * as fs from 'node:fs'

export function findChildAnvils(parentPid = process.pid): number[] {
  const found: number[] = []
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
    const comm = stat.slice(stat.indexOf('(') + 1, close)
    const [state, ppid] = stat.slice(close + 2).split(' ')
    if (comm === 'anvil' && Number(ppid) === parentPid && state !== 'Z') found.push(Number(entry))
  }
  return found
}
