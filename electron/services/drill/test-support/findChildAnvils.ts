/**
 * Tests: the anvil processes this process started that still exist (Linux /proc). Other engineers' anvils on the
 * same machine are not ours, so "no anvil left behind" means none whose parent is this process.
 */
import { readProcessTable } from '../../test-support/processTable'

export function findChildAnvils(parentPid = process.pid): number[] {
  return readProcessTable()
    .filter((p) => p.comm === 'anvil' && p.ppid === parentPid && p.state !== 'Z')
    .map((p) => p.pid)
}
