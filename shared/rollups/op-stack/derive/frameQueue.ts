/**
 * Frame queue: batcher payloads → frames; from Holocene (by L1 origin time) the queue only keeps contiguous, ordered
 * frames (holocene/derivation.md §"Frame Queue"; op-node frame_queue.go `pruneFrameQueue`).
 */
import type { L1BlockRef } from '../../../l1/L1Source'
import { isForkActive, type RollupConfig } from '../config/rollupConfig'
import { MalformedBatcherDataError } from './errors'
import { parseFrames, type Frame } from './parseFrames'
import { EOF, NOT_ENOUGH_DATA, type Signal } from './signals'

export interface NextDataProvider {
  origin(): L1BlockRef
  nextData(): Promise<Uint8Array | typeof EOF>
}

export interface FrameQueueEvents {
  onFramesDropped?(count: number, reason: string): void
  onFrames?(count: number): void
}

export class FrameQueue {
  private frames: Frame[] = []
  private readonly config: RollupConfig
  private readonly prev: NextDataProvider
  private readonly events: FrameQueueEvents | undefined

  constructor(config: RollupConfig, prev: NextDataProvider, events?: FrameQueueEvents) {
    this.config = config
    this.prev = prev
    this.events = events
  }

  origin(): L1BlockRef {
    return this.prev.origin()
  }

  reset(): void {
    this.frames = []
  }

  async nextFrame(): Promise<Frame | Signal> {
    if (this.frames.length === 0) {
      const data = await this.prev.nextData()
      if (data === EOF) return EOF
      try {
        const frames = parseFrames(data)
        this.events?.onFrames?.(frames.length)
        this.frames.push(...frames)
      } catch (e) {
        if (!(e instanceof MalformedBatcherDataError)) throw e
        this.events?.onFramesDropped?.(1, e.reason) // the whole transaction's frames are dropped
        return NOT_ENOUGH_DATA
      }
      if (isForkActive(this.config, 'holocene', this.origin().timestamp)) {
        const before = this.frames.length
        this.frames = pruneFrameQueue(this.frames)
        if (this.frames.length < before) this.events?.onFramesDropped?.(before - this.frames.length, 'out-of-order frames (Holocene)')
      }
    }
    const f = this.frames.shift()
    return f ?? NOT_ENOUGH_DATA
  }
}

/** Keep only contiguous, ordered frames (op-node `pruneFrameQueue`). */
export function pruneFrameQueue(input: Frame[]): Frame[] {
  const frames = [...input]
  for (let i = 0; i < frames.length - 1; ) {
    const current = frames[i] as Frame
    const next = frames[i + 1] as Frame
    if (current.channelId === next.channelId) {
      if (current.isLast || next.frameNumber !== current.frameNumber + 1) {
        frames.splice(i + 1, 1) // discard next
        continue
      }
    } else {
      if (next.frameNumber === 0 && !current.isLast) {
        frames.splice(i, 1) // discard current: a new channel starts before it closed
        if (i > 0) i--
        continue
      }
      if (next.frameNumber !== 0) {
        frames.splice(i + 1, 1) // non-first frame of a new channel
        continue
      }
    }
    i++
  }
  return frames
}
