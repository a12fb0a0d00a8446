import { describe, expect, it } from 'vitest'
import { AppInfoSchema, eventNames, invokeNameOfChannel, invokeNames, ipcEvents, ipcInvokes } from './contract'

describe('IPC contract', () => {
  it('gives every invoke and event its own channel name', () => {
    const channels = [...invokeNames.map((n) => ipcInvokes[n].channel), ...eventNames.map((n) => ipcEvents[n].channel)]
    expect(new Set(channels).size).toBe(channels.length)
    for (const c of channels) expect(c).toMatch(/^[a-z]+:[a-z-]+$/)
  })

  it('finds invokes by channel and nothing else', () => {
    expect(invokeNameOfChannel('jobs:get')).toBe('getJob')
    expect(invokeNameOfChannel('jobs:changed')).toBeUndefined() // an event, not an invoke
    expect(invokeNameOfChannel('__proto__')).toBeUndefined()
    expect(invokeNameOfChannel('constructor')).toBeUndefined()
  })

  it('refuses extra fields and bad job ids in requests', () => {
    expect(ipcInvokes.listJobs.request.safeParse({}).success).toBe(true)
    expect(ipcInvokes.listJobs.request.safeParse({ all: true }).success).toBe(false)
    expect(ipcInvokes.getJob.request.safeParse({ jobId: 'arb-escape-20261121-ab12cd' }).success).toBe(true)
    for (const jobId of ['../../etc/passwd', 'ab', 'A-B-C', 42, '', 'x'.repeat(90)]) {
      expect(ipcInvokes.getJob.request.safeParse({ jobId }).success).toBe(false)
    }
  })

  it('accepts only real app info', () => {
    expect(AppInfoSchema.safeParse({ name: 'Escape Hatch', version: '0.1.0', platform: 'linux', dataDirKind: 'custom' }).success).toBe(true)
    expect(AppInfoSchema.safeParse({ name: 'Escape Hatch', version: 'latest', platform: 'linux', dataDirKind: 'custom' }).success).toBe(false)
  })
})
