import { describe, expect, it } from 'vitest'
import { type EscapeError, serializeError } from '../errors/EscapeError'
import { createEscapeHatchApi, type IpcTransport } from './createEscapeHatchApi'
import { IpcDisconnectedError, IpcInvalidPayloadError } from './errors'
import { unwrapIpcResult } from './unwrapIpcResult'

const info = { name: 'Escape Hatch', version: '0.1.0', platform: 'linux', dataDirKind: 'os-default' }

function transport(reply: (channel: string, payload: unknown) => unknown): IpcTransport & { sent: [string, unknown][]; emit(channel: string, payload: unknown): void } {
  const sent: [string, unknown][] = []
  const listeners = new Map<string, Set<(p: unknown) => void>>()
  return {
    sent,
    async invoke(channel, payload) {
      sent.push([channel, payload])
      return reply(channel, payload)
    },
    subscribe(channel, listener) {
      const set = listeners.get(channel) ?? new Set()
      set.add(listener)
      listeners.set(channel, set)
      return () => set.delete(listener)
    },
    emit(channel, payload) {
      for (const l of listeners.get(channel) ?? []) l(payload)
    },
  }
}

describe('createEscapeHatchApi', () => {
  it('has exactly one method per invoke plus `on`, and cannot be changed', () => {
    const api = createEscapeHatchApi(transport(() => ({ ok: true, value: info })))
    expect(Object.keys(api).sort()).toEqual([
      'approveFeeBump', 'cancelDrill', 'cancelOpDerive', 'checkEndpoints', 'checkSignedFile', 'diagnose',
      'exportAirGappedRequest', 'getAirGappedRequest', 'getAppInfo', 'getDrillStatus', 'getEscapeAccount',
      'getEscapeRunState', 'getEscapeToken', 'getJob', 'getLedgerStatus', 'getOpDeriveStatus', 'listDrills', 'listJobs',
      'listLedgerAccounts', 'listLedgerSignings', 'listNetworks', 'on', 'previewEscape', 'proposeFeeBump',
      'rendererReady', 'resumeEscape', 'saveDiagnosisReport', 'saveDrillReport', 'saveJobReport', 'showLedgerAddress',
      'startDrill', 'startEscape', 'startOpDerive', 'stopEscape',
    ])
    expect(Object.isFrozen(api)).toBe(true)
  })

  it('sends the channel and payload, and returns checked values', async () => {
    const t = transport(() => ({ ok: true, value: info }))
    const api = createEscapeHatchApi(t)
    expect(await api.getAppInfo()).toEqual({ ok: true, value: info })
    expect(t.sent).toEqual([['app:get-info', {}]])
  })

  it('does not validate requests itself: the router is the boundary', async () => {
    const t = transport(() => ({ ok: true, value: info }))
    const api = createEscapeHatchApi(t)
    await api.getJob({ jobId: '../x' })
    expect(t.sent).toEqual([['jobs:get', { jobId: '../x' }]])
  })

  it('turns an off-contract response into an IpcInvalidPayloadError, as data', async () => {
    const api = createEscapeHatchApi(transport(() => ({ ok: true, value: { ...info, platform: 'plan9' } })))
    const result = await api.getAppInfo()
    expect(result.ok).toBe(false)
    expect(() => unwrapIpcResult(result)).toThrow(IpcInvalidPayloadError)
    const bad = createEscapeHatchApi(transport(() => 'not an envelope'))
    const notEnvelope = await bad.listJobs()
    expect(() => unwrapIpcResult(notEnvelope)).toThrow(IpcInvalidPayloadError)
  })

  it('passes errors through as data and rehydrates them by name', async () => {
    const api = createEscapeHatchApi(transport(() => ({ ok: false, error: serializeError(new IpcDisconnectedError()) })))
    const result = await api.listJobs()
    expect(() => unwrapIpcResult(result)).toThrow(IpcDisconnectedError)
  })

  it('reports a failed transport as IpcDisconnectedError', async () => {
    const api = createEscapeHatchApi({
      invoke: () => Promise.reject(new Error('socket closed')),
      subscribe: () => () => {},
    })
    const result = await api.listJobs()
    let caught: unknown
    try {
      unwrapIpcResult(result)
    } catch (e) {
      caught = e
    }
    expect(caught).toBeInstanceOf(IpcDisconnectedError)
    expect((caught as EscapeError).kind).toBe('temporary')
    expect(((caught as EscapeError).cause as EscapeError).shortMessage).toBe('socket closed')
  })

  it('checks event payloads and refuses unknown events', () => {
    const t = transport(() => undefined)
    const api = createEscapeHatchApi(t)
    const got: unknown[] = []
    const off = api.on('jobChanged', (r) => got.push(r))
    t.emit('jobs:changed', { job: { id: 'nope' } })
    expect(got).toHaveLength(1)
    expect((got[0] as { ok: boolean }).ok).toBe(false)
    off()
    t.emit('jobs:changed', { job: {} })
    expect(got).toHaveLength(1)
    expect(() => api.on('shell:exec' as never, () => {})).toThrow(/unknown event/)
  })
})
