/**
 * Channel stages: frames → raw channel data.
 * - ChannelBank (before Holocene; derivation.md §"Channel Bank", canyon/derivation.md; op-node channel_bank.go):
 *   FIFO of channels by id, timeouts, size-based pruning; from Canyon the first ready channel is read.
 * - ChannelAssembler (Holocene; holocene/derivation.md §"Channel Bank"; op-node channel_assembler.go): one staging
 *   channel, strictly ordered frames, size capped at MAX_RLP_BYTES_PER_CHANNEL.
 * Fork checks use the L1 origin's timestamp, as op-node does; the channel timeout is Granite-dependent.
 */
import type { L1BlockRef } from '../../../l1/L1Source'
import { channelTimeout, isForkActive, maxChannelBankSize, maxRlpBytesPerChannel, type RollupConfig } from '../config/rollupConfig'
import { Channel } from './channel'
import type { Frame } from './parseFrames'
import { EOF, NOT_ENOUGH_DATA, type Signal } from './signals'

export interface NextFrameProvider {
  origin(): L1BlockRef
  nextFrame(): Promise<Frame | Signal>
}

export interface ChannelEvents {
  onChannelTimedOut?(id: string): void
  onChannelDropped?(id: string, reason: string): void
  onFrameRejected?(id: string, frameNumber: number, reason: string): void
  onChannelReady?(id: string, frames: number, openBlock: number): void
}

export interface RawChannel {
  id: string
  data: Uint8Array
  openBlock: number
}

export interface RawChannelProvider {
  origin(): L1BlockRef
  nextRawChannel(): Promise<RawChannel | Signal>
  flushChannel(): void
}

export class ChannelBank implements RawChannelProvider {
  private channels = new Map<string, Channel>()
  private queue: string[] = []
  private readonly config: RollupConfig
  private readonly prev: NextFrameProvider
  private readonly events: ChannelEvents | undefined

  constructor(config: RollupConfig, prev: NextFrameProvider, events?: ChannelEvents) {
    this.config = config
    this.prev = prev
    this.events = events
  }

  origin(): L1BlockRef {
    return this.prev.origin()
  }

  flushChannel(): void {
    // Only the Holocene stage flushes; op-node's BatchMux never calls this before Holocene.
  }

  private timedOut(ch: Channel): boolean {
    const o = this.origin()
    return ch.openBlock.number + channelTimeout(this.config, o.timestamp) < o.number
  }

  private prune(): void {
    let total = 0
    for (const ch of this.channels.values()) total += ch.size
    const max = maxChannelBankSize(this.config, this.origin().timestamp)
    while (total > max) {
      const id = this.queue.shift() as string
      const ch = this.channels.get(id) as Channel
      this.channels.delete(id)
      total -= ch.size
      this.events?.onChannelDropped?.(id, 'channel bank full: pruned')
    }
  }

  ingestFrame(f: Frame): void {
    const origin = this.origin()
    let ch = this.channels.get(f.channelId)
    if (!ch) {
      ch = new Channel(f.channelId, origin, false)
      this.channels.set(f.channelId, ch)
      this.queue.push(f.channelId)
    }
    if (this.timedOut(ch)) {
      this.events?.onFrameRejected?.(f.channelId, f.frameNumber, 'channel timed out')
      return
    }
    const problem = ch.addFrame(f)
    if (problem) {
      this.events?.onFrameRejected?.(f.channelId, f.frameNumber, problem)
      return
    }
    this.prune()
  }

  /** op-node ChannelBank.Read: a timed-out head is removed (one per call); then the head (pre-Canyon) or the first
   * ready channel (Canyon+) is returned. */
  read(): RawChannel | Signal {
    if (this.queue.length === 0) return EOF
    const firstId = this.queue[0] as string
    const first = this.channels.get(firstId) as Channel
    if (this.timedOut(first)) {
      this.channels.delete(firstId)
      this.queue.shift()
      this.events?.onChannelTimedOut?.(firstId)
      return NOT_ENOUGH_DATA
    }
    if (!isForkActive(this.config, 'canyon', this.origin().timestamp)) return this.tryReadAt(0)
    for (let i = 0; i < this.queue.length; i++) {
      const r = this.tryReadAt(i)
      if (r !== EOF) return r
    }
    return EOF
  }

  private tryReadAt(i: number): RawChannel | typeof EOF {
    const id = this.queue[i] as string
    const ch = this.channels.get(id) as Channel
    if (this.timedOut(ch) || !ch.isReady()) return EOF
    this.channels.delete(id)
    this.queue.splice(i, 1)
    this.events?.onChannelReady?.(id, ch.frameCount, ch.openBlock.number)
    return { id, data: ch.data(), openBlock: ch.openBlock.number }
  }

  async nextRawChannel(): Promise<RawChannel | Signal> {
    const r = this.read()
    if (r !== EOF) return r
    const f = await this.prev.nextFrame()
    if (f === EOF || f === NOT_ENOUGH_DATA) return f
    this.ingestFrame(f)
    return NOT_ENOUGH_DATA
  }
}

export class ChannelAssembler implements RawChannelProvider {
  private channel: Channel | undefined
  private readonly config: RollupConfig
  private readonly prev: NextFrameProvider
  private readonly events: ChannelEvents | undefined

  constructor(config: RollupConfig, prev: NextFrameProvider, events?: ChannelEvents) {
    this.config = config
    this.prev = prev
    this.events = events
  }

  origin(): L1BlockRef {
    return this.prev.origin()
  }

  flushChannel(): void {
    this.channel = undefined
  }

  async nextRawChannel(): Promise<RawChannel | Signal> {
    if (this.channel) {
      const o = this.origin()
      if (this.channel.openBlock.number + channelTimeout(this.config, o.timestamp) < o.number) {
        this.events?.onChannelTimedOut?.(this.channel.id)
        this.channel = undefined
      }
    }
    for (;;) {
      const f = await this.prev.nextFrame()
      if (f === EOF || f === NOT_ENOUGH_DATA) return f
      const origin = this.origin()
      if (f.frameNumber === 0) {
        if (this.channel && !this.channel.isReady()) this.events?.onChannelDropped?.(this.channel.id, 'replaced by a new channel (Holocene)')
        this.channel = new Channel(f.channelId, origin, true)
      }
      if (f.frameNumber > 0 && !this.channel) {
        this.events?.onFrameRejected?.(f.channelId, f.frameNumber, 'non-first frame without a channel')
        continue
      }
      const ch = this.channel as Channel
      const problem = ch.addFrame(f)
      if (problem) {
        this.events?.onFrameRejected?.(f.channelId, f.frameNumber, problem)
        continue
      }
      if (ch.size > maxRlpBytesPerChannel(this.config, origin.timestamp)) {
        this.events?.onChannelDropped?.(ch.id, 'oversized channel')
        this.channel = undefined
        continue
      }
      if (f.isLast) break
    }
    const ch = this.channel as Channel
    this.channel = undefined
    this.events?.onChannelReady?.(ch.id, ch.frameCount, ch.openBlock.number)
    return { id: ch.id, data: ch.data(), openBlock: ch.openBlock.number }
  }
}
