/**
 * A channel being assembled from frames (specs/protocol/derivation.md §"Channel Bank"; op-node channel.go).
 * `requireInOrder` is the Holocene rule (holocene/derivation.md §"Channel Bank").
 */
import type { L1BlockRef } from '../../../l1/L1Source'
import type { Frame } from './parseFrames'

/** Per-frame overhead counted toward channel size (derivation.md §"Channel Bank": frameSize = len(data) + 200). */
export const FRAME_SIZE_OVERHEAD = 200

export class Channel {
  readonly id: string
  readonly openBlock: L1BlockRef
  readonly requireInOrder: boolean
  size = 0
  closed = false
  private highestFrameNumber = 0
  private endFrameNumber = 0
  private readonly inputs = new Map<number, Frame>()

  constructor(id: string, openBlock: L1BlockRef, requireInOrder: boolean) {
    this.id = id
    this.openBlock = openBlock
    this.requireInOrder = requireInOrder
  }

  get frameCount(): number {
    return this.inputs.size
  }

  /** Add a frame; returns a reason string when the frame is rejected (and nothing changes). */
  addFrame(frame: Frame): string | undefined {
    if (frame.channelId !== this.id) return 'frame id does not match channel id'
    if (frame.isLast && this.closed) return 'cannot add ending frame to a closed channel'
    if (this.inputs.has(frame.frameNumber)) return 'duplicate frame'
    if (this.closed && frame.frameNumber >= this.endFrameNumber) return 'frame number at or above the closing frame'
    if (this.requireInOrder && frame.frameNumber !== this.inputs.size) return `frame out of order, expected ${this.inputs.size}`
    if (frame.isLast) {
      this.endFrameNumber = frame.frameNumber
      this.closed = true
    }
    // A closing frame prunes frames numbered above it (never happens under Holocene ordering). op-node subtracts the
    // size of *every* buffered frame here, not only the pruned ones, so the size then undercounts; we mirror it
    // because the size drives channel-bank pruning, which is consensus.
    if (frame.isLast && this.endFrameNumber < this.highestFrameNumber) {
      for (const [n, f] of this.inputs) {
        if (n >= this.endFrameNumber) this.inputs.delete(n)
        this.size -= f.data.length + FRAME_SIZE_OVERHEAD
      }
      this.highestFrameNumber = this.endFrameNumber
    }
    if (frame.frameNumber > this.highestFrameNumber) this.highestFrameNumber = frame.frameNumber
    this.inputs.set(frame.frameNumber, frame)
    this.size += frame.data.length + FRAME_SIZE_OVERHEAD
    return undefined
  }

  isReady(): boolean {
    if (!this.closed) return false
    if (this.inputs.size !== this.endFrameNumber + 1) return false
    for (let i = 0; i <= this.endFrameNumber; i++) if (!this.inputs.has(i)) return false
    return true
  }

  /** The channel data: frames 0..end concatenated. Only valid when ready. */
  data(): Uint8Array {
    let len = 0
    for (let i = 0; i <= this.endFrameNumber; i++) len += (this.inputs.get(i) as Frame).data.length
    const out = new Uint8Array(len)
    let o = 0
    for (let i = 0; i <= this.endFrameNumber; i++) {
      const d = (this.inputs.get(i) as Frame).data
      out.set(d, o)
      o += d.length
    }
    return out
  }
}
