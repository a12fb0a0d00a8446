/**
 * The whole IPC path in one process: window API (shared/ipc/createEscapeHatchApi) → a transport that only copies
 * data like structured clone → router session → real handlers → real journal, and back through invokeApi/onApiEvent.
 */
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { EscapeError } from '../../../shared/errors/EscapeError'
import { invokeApi, onApiEvent } from '../../../shared/ipc/callApi'
import { createEscapeHatchApi } from '../../../shared/ipc/createEscapeHatchApi'
import { IpcInvalidPayloadError } from '../../../shared/ipc/errors'
import { JournalError } from '../journal/JournalStore'
import { startIpcServices, type IpcServices } from './startIpcServices'

let home: string
let services: IpcServices

beforeEach(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-roundtrip-'))
  services = await startIpcServices({ dataDir: home, customDataDir: false, version: '0.1.0', platform: 'darwin' })
})
afterEach(() => {
  services.stop()
  fs.rmSync(home, { recursive: true, force: true })
})

function connect() {
  const listeners = new Map<string, Set<(p: unknown) => void>>()
  const session = services.router.openSession<'window'>({
    isTrustedSender: (sender) => sender === 'window',
    deliver: (channel, payload) => {
      for (const l of listeners.get(channel) ?? []) l(structuredClone(payload))
    },
  })
  return createEscapeHatchApi({
    invoke: async (channel, payload) => structuredClone(await session.handle(channel, structuredClone(payload), 'window')),
    subscribe: (channel, listener) => {
      const set = listeners.get(channel) ?? new Set()
      set.add(listener)
      listeners.set(channel, set)
      return () => set.delete(listener)
    },
  })
}

describe('IPC round trip', () => {
  it('serves typed values and re-hydrated errors to the window', async () => {
    const api = connect()
    expect(await invokeApi(api, 'getAppInfo')).toEqual({ name: 'Escape Hatch', version: '0.1.0', platform: 'darwin', dataDirKind: 'os-default' })
    const job = await services.journal.createJob({ kind: 'op-escape', title: 'Withdraw', params: null })
    expect((await invokeApi(api, 'listJobs')).jobs.map((j) => j.id)).toEqual([job.id])
    expect((await invokeApi(api, 'getJob', { jobId: job.id })).title).toBe('Withdraw')
    await expect(invokeApi(api, 'getJob', { jobId: 'op-escape-missing' })).rejects.toBeInstanceOf(JournalError)
    await expect(invokeApi(api, 'getJob', { jobId: 'NOT VALID' })).rejects.toBeInstanceOf(IpcInvalidPayloadError)
  })

  it('delivers journal changes as events once the window is ready', async () => {
    const api = connect()
    const seen: string[] = []
    const errors: EscapeError[] = []
    onApiEvent(api, 'jobChanged', ({ job }) => seen.push(`${job.title}:${job.currentStep ?? '-'}`), (e) => errors.push(e))
    const job = await services.journal.createJob({ kind: 'op-escape', title: 'Withdraw', params: null })
    expect(seen).toEqual([])
    // At least the store's own event was held; the directory watch may add a copy of the same summary.
    const ready = await invokeApi(api, 'rendererReady')
    expect(ready.deliveredEvents).toBeGreaterThanOrEqual(1)
    expect(ready.droppedEvents).toBe(0)
    expect(new Set(seen)).toEqual(new Set(['Withdraw:-']))
    await services.journal.append(job.id, { type: 'step.started', step: 'prove' })
    expect(seen.at(-1)).toBe('Withdraw:prove')
    expect(errors).toEqual([])
  })
})
