/**
 * Test guard: refuse (and record) every socket or DNS lookup that would leave loopback, for the length of a test.
 * Patches net.Socket.prototype.connect (every TCP/TLS client, axios and undici included, ends there) and
 * dns.lookup / dns.promises.lookup.
 */
import dns from 'node:dns'
import net from 'node:net'

export interface LoopbackGuard {
  /** Every refused destination, e.g. "cdn.live.ledger.com:443" or "dns:cdn.live.ledger.com". */
  readonly attempts: string[]
  restore(): void
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '0:0:0:0:0:0:0:1'])

function isLoopback(host: string | undefined): boolean {
  if (host === undefined || host === '') return true // Node defaults to localhost
  return LOOPBACK_HOSTS.has(host) || host.startsWith('127.')
}

export function guardLoopbackOnly(): LoopbackGuard {
  const attempts: string[] = []
  const originalConnect = net.Socket.prototype.connect
  const originalLookup = dns.lookup
  const originalPromisesLookup = dns.promises.lookup

  net.Socket.prototype.connect = function (this: net.Socket, ...args: unknown[]) {
    let first = args[0]
    if (Array.isArray(first)) first = first[0] // net's normalized [options, cb] form
    let host: string | undefined
    let port: unknown
    let ipc = false
    if (typeof first === 'object' && first !== null) {
      const o = first as { host?: string; port?: unknown; path?: string }
      if (o.path) ipc = true
      host = o.host
      port = o.port
    } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
      port = first
      host = typeof args[1] === 'string' ? args[1] : undefined
    } else if (typeof first === 'string') {
      ipc = true
    }
    if (!ipc && !isLoopback(host)) {
      attempts.push(`${host}:${String(port)}`)
      const error = new Error(`guardLoopbackOnly: connection to ${host}:${String(port)} refused in tests`)
      process.nextTick(() => this.destroy(error))
      return this
    }
    return (originalConnect as (...a: unknown[]) => net.Socket).apply(this, args)
  } as typeof net.Socket.prototype.connect

  const guardedLookup = function (hostname: string, ...rest: unknown[]) {
    if (!isLoopback(hostname)) {
      attempts.push(`dns:${hostname}`)
      const callback = rest.find((r) => typeof r === 'function') as ((e: Error) => void) | undefined
      const error = Object.assign(new Error(`guardLoopbackOnly: DNS lookup of ${hostname} refused in tests`), { code: 'ENOTFOUND' })
      if (callback) process.nextTick(() => callback(error))
      return undefined
    }
    return (originalLookup as (...a: unknown[]) => unknown)(hostname, ...rest)
  }
  ;(dns as { lookup: unknown }).lookup = guardedLookup
  ;(dns.promises as { lookup: unknown }).lookup = async (hostname: string, ...rest: unknown[]) => {
    if (!isLoopback(hostname)) {
      attempts.push(`dns:${hostname}`)
      throw Object.assign(new Error(`guardLoopbackOnly: DNS lookup of ${hostname} refused in tests`), { code: 'ENOTFOUND' })
    }
    return (originalPromisesLookup as (...a: unknown[]) => unknown)(hostname, ...rest)
  }

  return {
    attempts,
    restore() {
      net.Socket.prototype.connect = originalConnect
      ;(dns as { lookup: unknown }).lookup = originalLookup
      ;(dns.promises as { lookup: unknown }).lookup = originalPromisesLookup
    },
  }
}
