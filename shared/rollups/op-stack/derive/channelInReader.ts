/**
 * Channel reader stage: raw channel → batches, one at a time (op-node channel_in_reader.go). Decompression limits and
 * the Fjord/Delta rules are taken at the L1 origin of the channel's completion.
 */
import type { Decompressor } from '../../../l1/Decompressor'
import type { L1BlockRef } from '../../../l1/L1Source'
import { isForkActive, maxRlpBytesPerChannel, type RollupConfig } from '../config/rollupConfig'
import type { Batch } from './batchTypes'
import type { RawChannelProvider } from './channelStages'
import { readChannel, type ReadChannelResult } from './readChannel'
import { EOF, NOT_ENOUGH_DATA, type Signal } from './signals'

export interface ChannelReaderEvents {
  onChannelRead?(id: string, result: ReadChannelResult): void
}

export class ChannelInReader {
  private pending: Batch[] | undefined
  private readonly config: RollupConfig
  private readonly decompressor: Decompressor
  private prev: RawChannelProvider
  private readonly events: ChannelReaderEvents | undefined

  constructor(config: RollupConfig, decompressor: Decompressor, prev: RawChannelProvider, events?: ChannelReaderEvents) {
    this.config = config
    this.decompressor = decompressor
    this.prev = prev
    this.events = events
  }

  /** Swap the channel stage (Holocene activation). */
  setPrev(prev: RawChannelProvider): void {
    this.prev = prev
  }

  origin(): L1BlockRef {
    return this.prev.origin()
  }

  /** Holocene: drop the rest of the current channel and the staged one. */
  flushChannel(): void {
    this.pending = undefined
    this.prev.flushChannel()
  }

  async nextBatch(): Promise<Batch | Signal> {
    if (!this.pending) {
      const raw = await this.prev.nextRawChannel()
      if (raw === EOF || raw === NOT_ENOUGH_DATA) return raw
      const o = this.origin()
      const result = await readChannel(raw.data, {
        decompressor: this.decompressor,
        maxRlpBytes: maxRlpBytesPerChannel(this.config, o.timestamp),
        isFjord: isForkActive(this.config, 'fjord', o.timestamp),
        isDelta: isForkActive(this.config, 'delta', o.timestamp),
        chain: { genesisL2Time: this.config.genesis.l2Time, blockTime: this.config.blockTime, l2ChainId: this.config.l2ChainId },
      })
      this.events?.onChannelRead?.(raw.id, result)
      this.pending = result.batches.map((b) => b.batch)
    }
    const next = this.pending.shift()
    if (next === undefined) {
      this.pending = undefined
      return NOT_ENOUGH_DATA
    }
    return next
  }
}
