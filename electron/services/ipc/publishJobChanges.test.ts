import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { JobSummary } from '../../../shared/journal/reduce'
import { JournalStore } from '../journal/JournalStore'
import { publishJobChanges } from './publishJobChanges'

let dir: string
const cleanup: (() => void)[] = []

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-publish-'))
})
afterEach(() => {
  for (const f of cleanup.splice(0)) f()
  fs.rmSync(dir, { recursive: true, force: true })
})

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (check()) return
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error(`timed out waiting for ${what}`)
}

describe('publishJobChanges', () => {
  it('publishes changes made through this store right away', async () => {
    const store = await JournalStore.open(dir)
    cleanup.push(() => store.close())
    const seen: JobSummary[] = []
    const watch = publishJobChanges({ store, publish: (j) => seen.push(j) })
    cleanup.push(() => watch.stop())
    const job = await store.createJob({ kind: 'arb-escape', title: 'In process', params: null })
    await store.append(job.id, { type: 'step.started', step: 'scan-l1' })
    expect(seen.slice(0, 2).map((j) => j.currentStep ?? null)).toEqual([null, 'scan-l1'])
  })

  it('publishes changes another writer made to the journal folder (through the directory watch)', async () => {
    const reader = await JournalStore.open(dir)
    const writer = await JournalStore.open(dir) // stands in for the CLI: a second store whose events we never see
    cleanup.push(() => reader.close(), () => writer.close())
    const seen: JobSummary[] = []
    const errors: unknown[] = []
    const watch = publishJobChanges({ store: reader, publish: (j) => seen.push(j), onError: (e) => errors.push(e) })
    cleanup.push(() => watch.stop())
    const job = await writer.createJob({ kind: 'op-escape', title: 'From the CLI', params: null })
    await until(() => seen.some((j) => j.id === job.id), 'the created job')
    await writer.append(job.id, { type: 'step.started', step: 'prove' })
    await until(() => seen.some((j) => j.id === job.id && j.currentStep === 'prove'), 'the started step')
    expect(errors).toEqual([])
  })

  it('stops publishing after stop()', async () => {
    const store = await JournalStore.open(dir)
    cleanup.push(() => store.close())
    const seen: JobSummary[] = []
    publishJobChanges({ store, publish: (j) => seen.push(j) }).stop()
    await store.createJob({ kind: 'arb-escape', title: 'Quiet', params: null })
    await new Promise((r) => setTimeout(r, 120))
    expect(seen).toEqual([])
  })
})
