/**
 * Software Ledgers as a LedgerDeviceSource, so the real LedgerDeviceManager/LedgerSigner code (discovery, hot-plug,
 * queues, reconnect) runs against them exactly as against USB devices. Unplugging a device removes it; plugging it
 * in again adds it under a new id, as a real Ledger re-enumerating after an app switch gets a new HID path.
 */
import type { LedgerDeviceEvent, LedgerDeviceSource } from '../ledger/LedgerDeviceSource'
import type { Transport } from '../ledger/loadLedgerLibs'
import { SoftLedgerDevice, SoftLedgerTransport } from './SoftLedgerTransport'

export class SoftLedgerDeviceSource implements LedgerDeviceSource {
  private readonly devices = new Map<string, SoftLedgerDevice>()
  private readonly observers = new Set<(event: LedgerDeviceEvent) => void>()
  private readonly cableSubscriptions = new Map<SoftLedgerDevice, () => void>()
  private counter = 0
  /** How many transports were opened (tests check reconnects). */
  opened = 0

  /** Connect a device; returns its current id. */
  plug(device: SoftLedgerDevice = new SoftLedgerDevice()): string {
    if (!this.cableSubscriptions.has(device)) {
      this.cableSubscriptions.set(
        device,
        device.onCable((event) => {
          if (event === 'unplugged') this.remove(device)
          else this.add(device)
        }),
      )
    }
    device.plugIn()
    return this.add(device)
  }

  /** The id a device is connected under now, if any. */
  idOf(device: SoftLedgerDevice): string | undefined {
    for (const [id, d] of this.devices) if (d === device) return id
    return undefined
  }

  listen(onEvent: (event: LedgerDeviceEvent) => void): () => void {
    for (const id of this.devices.keys()) onEvent({ type: 'add', id, model: 'Software Ledger' })
    this.observers.add(onEvent)
    return () => this.observers.delete(onEvent)
  }

  async open(id: string): Promise<Transport> {
    const device = this.devices.get(id)
    if (!device || !device.isPluggedIn) throw Object.assign(new Error(`no device ${id}`), { name: 'DisconnectedDevice' })
    this.opened++
    return new SoftLedgerTransport({ device })
  }

  private add(device: SoftLedgerDevice): string {
    const existing = this.idOf(device)
    if (existing) return existing
    const id = `soft-ledger-${++this.counter}`
    this.devices.set(id, device)
    for (const o of this.observers) o({ type: 'add', id, model: 'Software Ledger' })
    return id
  }

  private remove(device: SoftLedgerDevice): void {
    const id = this.idOf(device)
    if (!id) return
    this.devices.delete(id)
    for (const o of this.observers) o({ type: 'remove', id })
  }
}
