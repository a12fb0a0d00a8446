import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { deserializeError, type EscapeError } from '../../../shared/errors/EscapeError'
import { IpcInvalidPayloadError, IpcUnknownChannelError, IpcUntrustedSenderError } from '../../../shared/ipc/errors'
import type { IpcResult } from '../../../shared/ipc/wire'
import { summarize } from '../../../shared/journal/reduce'
import { JournalError, JournalStore } from '../journal/JournalStore'
import { createIpcHandlers } from './createIpcHandlers'
import { createIpcRouter, type IpcHandlers } from './createIpcRouter'

let dir: string
let store: JournalStore

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-router-'))
  store = await JournalStore.open(dir)
})
afterEach(() => {
  store.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

function handlers(): IpcHandlers {
  return createIpcHandlers({ journal: store, app: { version: '0.1.0', platform: 'linux', customDataDir: true } })
}

function errorOf(result: IpcResult<unknown>): EscapeError {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`)
  return deserializeError(result.error)
}

const trusted = { isTrustedSender: (s: string) => s === 'app', deliver: () => {} }

describe('createIpcRouter', () => {
  it('answers contract channels through the shared handlers, from a real journal', async () => {
    const job = await store.createJob({ kind: 'arb-escape', title: 'Get 1 ETH out of Arbitrum', params: { amountWei: '1000000000000000000' } })
    await store.append(job.id, { type: 'step.started', step: 'scan-l1' })
    const session = createIpcRouter({ handlers: handlers() }).openSession(trusted)

    const info = await session.handle('app:get-info', {}, 'app')
    expect(info).toEqual({ ok: true, value: { name: 'Escape Hatch', version: '0.1.0', platform: 'linux', dataDirKind: 'custom' } })

    const list = await session.handle('jobs:list', {}, 'app')
    expect(list.ok && list.value).toEqual({ jobs: [expect.objectContaining({ id: job.id, status: 'active', currentStep: 'scan-l1' })], problems: [] })

    const detail = await session.handle('jobs:get', { jobId: job.id }, 'app')
    expect(detail.ok && detail.value).toMatchObject({ id: job.id, title: 'Get 1 ETH out of Arbitrum', steps: [{ name: 'scan-l1', status: 'started' }], damaged: false })
  })

  it('keeps signed transaction bytes out of the job detail', async () => {
    const job = await store.createJob({ kind: 'op-escape', title: 'Prove a withdrawal', params: null })
    await store.append(job.id, { type: 'step.started', step: 'sign-prove' })
    const hash = `0x${'ab'.repeat(32)}` as const
    await store.append(job.id, { type: 'tx.signed', step: 'sign-prove', chainId: 1, from: `0x${'11'.repeat(20)}`, nonce: 0, hash, raw: '0x02f8deadbeef' })
    const detail = await createIpcRouter({ handlers: handlers() }).openSession(trusted).handle('jobs:get', { jobId: job.id }, 'app')
    expect(detail.ok).toBe(true)
    expect(JSON.stringify(detail)).not.toContain('02f8deadbeef')
    expect(detail.ok && detail.value).toMatchObject({ txs: [{ hash, status: 'signed' }] })
  })

  it('refuses an untrusted sender before looking at anything else', async () => {
    let called = false
    const h = { ...handlers(), listJobs: async () => ((called = true), { jobs: [], problems: [] }) }
    const session = createIpcRouter({ handlers: h }).openSession(trusted)
    expect(errorOf(await session.handle('jobs:list', {}, 'evil'))).toBeInstanceOf(IpcUntrustedSenderError)
    expect(errorOf(await session.handle('nope', {}, 'evil'))).toBeInstanceOf(IpcUntrustedSenderError)
    const throwing = createIpcRouter({ handlers: h }).openSession({ isTrustedSender: () => { throw new Error('boom') }, deliver: () => {} })
    expect(errorOf(await throwing.handle('jobs:list', {}, 'app'))).toBeInstanceOf(IpcUntrustedSenderError)
    expect(called).toBe(false)
  })

  it('refuses unknown channels, including prototype names and non-strings', async () => {
    const session = createIpcRouter({ handlers: handlers() }).openSession(trusted)
    for (const channel of ['shell:exec', '__proto__', 'constructor', 'jobs:changed', 42, undefined]) {
      const e = errorOf(await session.handle(channel, {}, 'app'))
      expect(e).toBeInstanceOf(IpcUnknownChannelError)
      expect(e.shortMessage).toBe('The app received a request for an action it does not have.')
    }
  })

  it('refuses malformed payloads with the schema issues in the details, and never calls the handler', async () => {
    let called = 0
    const h = { ...handlers(), getJob: async () => { called++; throw new Error('unreachable') } }
    const session = createIpcRouter({ handlers: h }).openSession(trusted)
    for (const payload of [undefined, null, 'x', { jobId: 42 }, { jobId: '../../etc/passwd' }, { jobId: 'arb-escape-1', extra: 1 }]) {
      const e = errorOf(await session.handle('jobs:get', payload, 'app'))
      expect(e).toBeInstanceOf(IpcInvalidPayloadError)
      expect(e.shortMessage).toBe('The app received a malformed request and refused it.')
      expect(e.details).toMatch(/^Channel: jobs:get \(request\)\n/)
    }
    expect(errorOf(await session.handle('jobs:get', { jobId: 42 }, 'app')).details).toContain('jobId:')
    expect(called).toBe(0)
  })

  it('serialises handler errors by name, and wraps non-EscapeErrors with a next step', async () => {
    const unexpected: unknown[] = []
    const session = createIpcRouter({ handlers: handlers(), onUnexpectedError: (e) => unexpected.push(e) }).openSession(trusted)
    const missing = errorOf(await session.handle('jobs:get', { jobId: 'arb-escape-nothing' }, 'app'))
    expect(missing).toBeInstanceOf(JournalError)
    expect(missing.shortMessage).toBe('There is no job arb-escape-nothing.')
    expect(unexpected).toHaveLength(0)

    const buggy = createIpcRouter({ handlers: { ...handlers(), listJobs: async () => { throw new TypeError('x is undefined') } }, onUnexpectedError: (e) => unexpected.push(e) }).openSession(trusted)
    const e = errorOf(await buggy.handle('jobs:list', {}, 'app'))
    expect(e.shortMessage).toBe('Escape Hatch could not complete this action.')
    expect((e.cause as EscapeError).shortMessage).toBe('x is undefined')
    expect(unexpected).toHaveLength(1)
  })

  it('refuses a handler response that is off-contract instead of passing it on', async () => {
    const h = { ...handlers(), getAppInfo: async () => ({ name: 'Escape Hatch', version: '0.1.0', platform: 'linux' as const, dataDirKind: 'custom' as const, secret: '/home/alice' }) }
    const e = errorOf(await createIpcRouter({ handlers: h }).openSession(trusted).handle('app:get-info', {}, 'app'))
    expect(e).toBeInstanceOf(IpcInvalidPayloadError)
    expect(e.details).toContain('(response)')
  })

  it('holds events per session until its window is ready, then delivers them in order', async () => {
    const job = await store.createJob({ kind: 'arb-escape', title: 'A job', params: null })
    const router = createIpcRouter({ handlers: handlers() })
    const a: unknown[] = []
    const b: unknown[] = []
    const sa = router.openSession({ isTrustedSender: () => true, deliver: (c, p) => a.push([c, p]) })
    const sb = router.openSession({ isTrustedSender: () => true, deliver: (c, p) => b.push([c, p]) })
    const summary = summarize((await store.load(job.id)).state)
    router.publish('jobChanged', { job: summary })
    router.publish('jobChanged', { job: { ...summary, status: 'succeeded' } })
    expect(a).toEqual([])
    expect(await sa.handle('renderer:ready', {}, 'x')).toEqual({ ok: true, value: { deliveredEvents: 2, droppedEvents: 0 } })
    expect(a.map((e) => (e as [string, { job: { status: string } }])[1].job.status)).toEqual(['active', 'succeeded'])
    expect(b).toEqual([])
    router.publish('jobChanged', { job: summary })
    expect(a).toHaveLength(3)
    expect(b).toEqual([])
    sb.close()
    expect(errorOf(await sb.handle('renderer:ready', {}, 'x'))).toBeInstanceOf(IpcUntrustedSenderError)
  })

  it('bounds held events and tells the window how many it missed', async () => {
    const job = await store.createJob({ kind: 'arb-escape', title: 'A job', params: null })
    const router = createIpcRouter({ handlers: handlers(), maxHeldEvents: 2 })
    const got: unknown[] = []
    const s = router.openSession({ isTrustedSender: () => true, deliver: (_c, p) => got.push(p) })
    const summary = summarize((await store.load(job.id)).state)
    for (const title of ['one', 'two', 'three']) router.publish('jobChanged', { job: { ...summary, title } })
    expect(await s.handle('renderer:ready', {}, 'x')).toEqual({ ok: true, value: { deliveredEvents: 2, droppedEvents: 1 } })
    expect(got.map((p) => (p as { job: { title: string } }).job.title)).toEqual(['two', 'three'])
  })

  it('refuses to publish an off-contract event, and one failing window does not stop the others', async () => {
    const router = createIpcRouter({ handlers: handlers() })
    expect(() => router.publish('jobChanged', { job: { id: 'x' } } as never)).toThrow(IpcInvalidPayloadError)
    const job = await store.createJob({ kind: 'arb-escape', title: 'A job', params: null })
    const got: unknown[] = []
    const broken = router.openSession({ isTrustedSender: () => true, deliver: () => { throw new Error('window destroyed') } })
    const ok = router.openSession({ isTrustedSender: () => true, deliver: (_c, p) => got.push(p) })
    await broken.handle('renderer:ready', {}, 'x')
    await ok.handle('renderer:ready', {}, 'x')
    router.publish('jobChanged', { job: summarize((await store.load(job.id)).state) })
    expect(got).toHaveLength(1)
  })
})
