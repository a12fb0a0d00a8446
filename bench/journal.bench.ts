import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { JournalStore } from '../electron/services/journal/JournalStore'
import type { BenchRow } from './types'

/** Appends are fsynced one by one; this shows what that costs on this disk, and how fast a long journal replays. */
export default async function bench(): Promise<BenchRow[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-bench-journal-'))
  try {
    const store = await JournalStore.open(dir)
    const job = await store.createJob({ kind: 'bench', title: 'bench', params: null })
    const n = 2000
    const t0 = performance.now()
    for (let i = 0; i < n; i++) await store.append(job.id, { type: 'note', text: `record ${i}` })
    const appendMs = (performance.now() - t0) / n
    store.close()
    const t1 = performance.now()
    const reopened = await JournalStore.open(dir)
    const loaded = await reopened.load(job.id)
    const replayMs = performance.now() - t1
    reopened.close()
    return [
      { name: 'append + fsync, per record', value: appendMs, unit: 'ms' },
      { name: `replay ${loaded.records.length} records`, value: replayMs, unit: 'ms' },
    ]
  } finally {
    fs.rmSync(dir, { recursive: true, force: true })
  }
}
