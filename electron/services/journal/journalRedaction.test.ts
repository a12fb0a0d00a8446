// Issue 14 defect 4: the journal's record path cuts every URL to its host, whoever appends and whatever the record
// kind; only the job's saved parameters (RPC URLs kept with --save-rpc-urls) are written as given.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { EscapeError, serializeError } from '../../../shared/errors/EscapeError'
import { JournalStore } from './JournalStore'

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-journal-redaction-'))
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }))

describe('JournalStore append', () => {
  it('writes no URL beyond its host in any record except the saved parameters', async () => {
    const store = await JournalStore.open(dir)
    try {
      const saved = 'https://arb.example/v2/SAVEDKEY'
      const job = await store.createJob({ kind: 'arb-escape', title: 'via https://t.example/v2/TITLEKEY', params: { l2RpcUrl: saved } })
      const viem = new Error('RPC Request failed.\n\nURL: http://127.0.0.1:9/v2/SECRETKEY123\nRequest body: {"method":"eth_chainId"}', { cause: new Error('fetch failed at ws://u:pw@node.example:8546/KEY2') })
      await store.append(job.id, { type: 'step.started', step: 'prepare', detail: { endpoint: 'https://x.example/?apikey=KEY3' } })
      await store.append(job.id, { type: 'step.failed', step: 'prepare', error: { name: 'X', shortMessage: 'No answer from https://y.example/KEY4', steps: ['Check https://y.example/KEY4'], kind: 'temporary', details: 'x', cause: { name: 'Error', shortMessage: 'RPC Request failed.', steps: [], kind: 'critical', details: viem.message } } })
      await store.append(job.id, { type: 'note', text: 'tried http://[::1]:8545/KEY5' })
      const text = fs.readFileSync(path.join(dir, `${job.id}.jsonl`), 'utf8')
      for (const key of ['TITLEKEY', 'SECRETKEY123', 'KEY2', 'KEY3', 'KEY4', 'KEY5', 'u:pw']) expect(text).not.toContain(key)
      expect(text).toContain('URL: http://127.0.0.1:9/…')
      expect(text).toContain('http://[::1]:8545/…')
      expect(text.split('SAVEDKEY').length - 1).toBe(1)
      expect((await store.load(job.id)).state.params).toEqual({ l2RpcUrl: saved })
    } finally {
      store.close()
    }
  })
})

describe('serializeError (journal, IPC, reports, --json)', () => {
  it('cuts URLs in message, steps, details and every cause', () => {
    const error = new EscapeError('No answer from https://h.example/v2/K1.', { steps: ['Try https://h.example/v2/K2 later.'], details: 'URL: https://h.example/v2/K3', cause: new Error('HTTP request failed.\nURL: https://user:pass@h.example/K4') })
    const json = JSON.stringify(serializeError(error))
    for (const key of ['K1', 'K2', 'K3', 'K4', 'user:pass']) expect(json).not.toContain(key)
    expect(json).toContain('https://h.example/…')
    expect(JSON.stringify(serializeError('raw https://h.example/K5'))).not.toContain('K5')
  })
})
