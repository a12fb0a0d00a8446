/**
 * The waits of a real escape (not the drill): they only watch L1 — time cannot be made to pass. The force-inclusion
 * window is about a day and the BoLD confirm period about 6.4 days on Arbitrum One, so the app is expected to be
 * closed and resumed meanwhile; the journal makes that safe. The drill replaces these with time travel.
 */
import type { PublicClient } from 'viem'
import type { ArbitrumEscapeDeps } from './runArbitrumEscape'

export interface PollingWaitersOptions {
  l1: Pick<PublicClient, 'getBlockNumber'>
  /** How often to look at the L1 head while waiting for a block. Default one slot (12 s). */
  blockPollMs?: number
  /** How often to look for a newer confirmed assertion. Default 10 min (assertions come every ~hour at best). */
  confirmationPollMs?: number
  /** Short re-check interval. Default 15 s. */
  pauseMs?: number
  signal?: AbortSignal
}

export function createPollingWaiters(options: PollingWaitersOptions): Pick<ArbitrumEscapeDeps, 'waitForL1Block' | 'waitForConfirmation' | 'pause'> {
  // Each sleep removes its abort listener when it ends: a --wait run polls for days, and leftover listeners would pile up.
  const sleep = (ms: number) =>
    new Promise<void>((resolve, reject) => {
      const signal = options.signal
      if (signal?.aborted) return reject(signal.reason)
      const onAbort = () => {
        clearTimeout(timer)
        reject(signal?.reason)
      }
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }, ms)
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  return {
    async waitForL1Block(block) {
      while ((await options.l1.getBlockNumber({ cacheTime: 0 })) < block) await sleep(options.blockPollMs ?? 12_000)
    },
    waitForConfirmation: () => sleep(options.confirmationPollMs ?? 10 * 60_000),
    pause: () => sleep(options.pauseMs ?? 15_000),
  }
}
