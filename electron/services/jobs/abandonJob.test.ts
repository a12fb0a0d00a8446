import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { JournalStore } from '../journal/JournalStore'
import { abandonJob } from './abandonJob'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

async function openJob() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-abandon-'))
  dirs.push(dir)
  const store = await JournalStore.open(dir)
  const job = await store.createJob({ kind: 'test-job', title: 'abandon test', params: {} })
  return { store, jobId: job.id }
}

describe('abandonJob', () => {
  it('journals the user decision, then ends the job as abandoned; a finished job is refused', async () => {
    const { store, jobId } = await openJob()
    const state = await abandonJob({ store, jobId, reason: 'changed my mind' })
    expect(state.status).toBe('abandoned')
    expect(state.summary).toBe('Abandoned by the user: changed my mind')
    expect(state.prompts.abandon).toMatchObject({ abandon: true, reason: 'changed my mind' })
    await expect(abandonJob({ store, jobId })).rejects.toThrow(/already abandoned/)
    store.close()
  })

  it('refuses while a signed transaction may still be mined, unless the user accepts it', async () => {
    const { store, jobId } = await openJob()
    const hash = `0x${'11'.repeat(32)}` as const
    await store.append(jobId, { type: 'tx.signed', step: 'send', chainId: 1, from: `0x${'aa'.repeat(20)}`, nonce: 0, hash, raw: '0x02' })
    await expect(abandonJob({ store, jobId })).rejects.toThrow(/1 signed transaction\(s\) that may still be mined/)
    expect((await store.load(jobId)).state.status).toBe('active')
    const state = await abandonJob({ store, jobId, acceptPendingTxs: true })
    expect(state.status).toBe('abandoned')
    expect(state.prompts.abandon).toMatchObject({ pendingTxs: [hash] })
    store.close()
  })
})
