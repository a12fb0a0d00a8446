/**
 * Ledger discovery, hot-plug and per-device queues.
 *
 * - Devices come and go through a LedgerDeviceSource (node-hid `listen` in the app).
 * - hw-app-eth locks the transport for the length of a call and rejects a concurrent one ("Ledger Device is busy"),
 *   so every device call goes through one queue per device handle (notes/tooling.md §2 Pitfalls).
 * - Opening or closing an app makes the Ledger re-enumerate on USB: the transport dies and a device (often under a
 *   new HID path) appears a moment later. Within a grace period a handle waits for it and re-opens, and read-only
 *   calls are retried; a signature is never retried (the user must approve again).
 */
import { EventEmitter } from 'node:events'
import { EscapeError } from '../../../../shared/errors/EscapeError'
import { LedgerNotFoundError } from '../../../../shared/signing/errors'
import type { LedgerDeviceEvent, LedgerDeviceSource } from './LedgerDeviceSource'
import { loadEth, type Eth, type Transport } from './loadLedgerLibs'
import { isLedgerAppNotOpen, isLedgerDisconnect, mapLedgerError, type LedgerOperation } from './mapLedgerError'

export interface LedgerDeviceInfo {
  id: string
  model?: string
}

export interface LedgerDeviceManagerOptions {
  /** How long to wait for a device to (re)appear before LedgerNotFoundError. Default 15 s. */
  reconnectGraceMs?: number
  /** How long read-only calls keep retrying while the device answers "app not open" (the user is opening it). Default 3 s. */
  appSwitchGraceMs?: number
  /** Pause between retries. Default 250 ms. */
  retryDelayMs?: number
  /** Called when a call is waiting for the device or the app, so the UI can say so. */
  onWaiting?: (reason: 'device' | 'app') => void
}

interface ManagerEvents {
  change: [devices: LedgerDeviceInfo[]]
}

// No network for hw-app-eth, ever: every URL of its resolution config is null (clear-signing metadata comes from
// Ledger's CDN otherwise). signTransaction is additionally always called with resolution = null.
const OFFLINE_LOAD_CONFIG = { nftExplorerBaseURL: null, pluginBaseURL: null, extraPlugins: null, cryptoassetsBaseURL: null, calServiceURL: null }

export class LedgerDeviceManager extends EventEmitter<ManagerEvents> {
  private readonly present = new Map<string, LedgerDeviceInfo>()
  private readonly handles = new Set<LedgerDeviceHandle>()
  private unsubscribe: (() => void) | undefined
  private lastError: unknown
  readonly options: Required<Omit<LedgerDeviceManagerOptions, 'onWaiting'>> & Pick<LedgerDeviceManagerOptions, 'onWaiting'>

  constructor(
    private readonly source: LedgerDeviceSource,
    options: LedgerDeviceManagerOptions = {},
  ) {
    super()
    this.options = {
      reconnectGraceMs: options.reconnectGraceMs ?? 15_000,
      appSwitchGraceMs: options.appSwitchGraceMs ?? 3_000,
      retryDelayMs: options.retryDelayMs ?? 250,
      onWaiting: options.onWaiting,
    }
  }

  /** Start listening for devices. Idempotent. */
  start(): this {
    if (this.unsubscribe) return this
    this.unsubscribe = this.source.listen(
      (event) => this.onDeviceEvent(event),
      (error) => {
        this.lastError = error
      },
    )
    return this
  }

  async stop(): Promise<void> {
    this.unsubscribe?.()
    this.unsubscribe = undefined
    await Promise.all([...this.handles].map((h) => h.close()))
    this.handles.clear()
  }

  devices(): LedgerDeviceInfo[] {
    return [...this.present.values()]
  }

  /**
   * A handle on one device, with its own queue. Without `id` it follows whichever Ledger is connected (the usual
   * single-device case, and robust to the HID path changing on re-enumeration).
   */
  device(id?: string): LedgerDeviceHandle {
    this.start()
    const handle = new LedgerDeviceHandle(this, id)
    this.handles.add(handle)
    return handle
  }

  /** @internal The id to use now for a handle that prefers `preferred`, or undefined if none is present. */
  pick(preferred: string | undefined): string | undefined {
    if (preferred !== undefined) return this.present.has(preferred) ? preferred : undefined
    return this.present.keys().next().value
  }

  /** @internal */
  async waitForDevice(preferred: string | undefined, deadline: number, signal: AbortSignal | undefined): Promise<string> {
    for (;;) {
      const id = this.pick(preferred)
      if (id !== undefined) return id
      signal?.throwIfAborted()
      const remaining = deadline - Date.now()
      if (remaining <= 0) throw new LedgerNotFoundError(this.lastError !== undefined ? { cause: this.lastError } : {})
      this.options.onWaiting?.('device')
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer)
          this.off('change', done)
          resolve()
        }
        const timer = setTimeout(done, remaining)
        this.on('change', done)
      })
    }
  }

  /** @internal */
  open(id: string): Promise<Transport> {
    return this.source.open(id)
  }

  /** @internal */
  forget(handle: LedgerDeviceHandle): void {
    this.handles.delete(handle)
  }

  private onDeviceEvent(event: LedgerDeviceEvent): void {
    if (event.type === 'add') this.present.set(event.id, { id: event.id, ...(event.model ? { model: event.model } : {}) })
    else this.present.delete(event.id)
    for (const h of this.handles) if (event.type === 'remove') h.deviceRemoved(event.id)
    this.emit('change', this.devices())
  }
}

export interface LedgerSession {
  /** A read-only call: retried across a re-enumeration or an app switch within the grace periods. */
  idempotent<T>(operation: LedgerOperation, f: (eth: Eth) => Promise<T>): Promise<T>
  /** A call that needs the user (signature): never retried; errors are mapped to instructions. */
  once<T>(operation: LedgerOperation, f: (eth: Eth) => Promise<T>): Promise<T>
}

export class LedgerDeviceHandle {
  private queue: Promise<unknown> = Promise.resolve()
  private transport: Transport | null = null
  private transportId: string | undefined
  private eth: Eth | null = null
  private closed = false

  constructor(
    private readonly manager: LedgerDeviceManager,
    private readonly preferredId: string | undefined,
  ) {}

  /** Run `f` alone on the device: calls from other tasks wait their turn instead of failing with "busy". */
  exclusive<T>(f: (session: LedgerSession) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const run = async () => {
      if (this.closed) throw new EscapeError('This Ledger connection was closed.', { kind: 'critical', steps: ['Select the Ledger again.'] })
      signal?.throwIfAborted()
      return f({
        idempotent: (operation, g) => this.callWithRetry(operation, g, signal),
        once: (operation, g) => this.callOnce(operation, g, signal),
      })
    }
    const result = this.queue.then(run, run)
    this.queue = result.catch(() => undefined)
    return result
  }

  async close(): Promise<void> {
    this.closed = true
    await this.dropTransport()
    this.manager.forget(this)
  }

  /** @internal the manager tells us a device went away */
  deviceRemoved(id: string): void {
    if (id === this.transportId) void this.dropTransport()
  }

  private async connect(deadline: number, signal: AbortSignal | undefined): Promise<Eth> {
    if (this.eth && this.transportId !== undefined && this.manager.pick(this.preferredId ?? this.transportId) === this.transportId) return this.eth
    await this.dropTransport()
    const id = await this.manager.waitForDevice(this.preferredId, deadline, signal)
    const transport = await this.manager.open(id)
    transport.on('disconnect', () => {
      if (this.transport === transport) void this.dropTransport()
    })
    const Eth = loadEth()
    this.transport = transport
    this.transportId = id
    this.eth = new Eth(transport, 'w0w', OFFLINE_LOAD_CONFIG)
    return this.eth
  }

  private async dropTransport(): Promise<void> {
    const t = this.transport
    this.transport = null
    this.transportId = undefined
    this.eth = null
    if (t) await t.close().catch(() => undefined)
  }

  private async callWithRetry<T>(operation: LedgerOperation, f: (eth: Eth) => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    const { reconnectGraceMs, appSwitchGraceMs, retryDelayMs, onWaiting } = this.manager.options
    const started = Date.now()
    const deviceDeadline = started + reconnectGraceMs
    for (;;) {
      signal?.throwIfAborted()
      try {
        return await f(await this.connect(deviceDeadline, signal))
      } catch (error) {
        if (error instanceof EscapeError) throw error
        if (isLedgerDisconnect(error)) {
          await this.dropTransport()
          if (Date.now() < deviceDeadline) {
            onWaiting?.('device')
            await delay(retryDelayMs)
            continue
          }
        } else if (isLedgerAppNotOpen(error) && Date.now() < started + appSwitchGraceMs) {
          onWaiting?.('app')
          await delay(retryDelayMs)
          continue
        }
        throw mapLedgerError(error, operation)
      }
    }
  }

  private async callOnce<T>(operation: LedgerOperation, f: (eth: Eth) => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    signal?.throwIfAborted()
    const eth = await this.connect(Date.now() + this.manager.options.reconnectGraceMs, signal)
    try {
      return await f(eth)
    } catch (error) {
      if (isLedgerDisconnect(error)) await this.dropTransport()
      throw mapLedgerError(error, operation)
    }
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
