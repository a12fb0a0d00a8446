/**
 * Read the L1 clock: the head header and one header `windowBlocks` before it, through the caller's L1 port (the
 * user's L1 endpoints). Two reads; the block time is measured from them (measureL1BlockTime).
 */
import type { PublicClient } from 'viem'
import type { L1Clock } from './deadline'
import { L1_CLOCK_WINDOW_BLOCKS, measureL1BlockTime } from './measureL1BlockTime'

export interface ReadL1ClockParameters {
  l1: Pick<PublicClient, 'getBlock'>
  /** The head to pin; default: the latest block. */
  head?: { number: bigint; timestamp: bigint }
  windowBlocks?: bigint
}

export async function readL1Clock({ l1, head, windowBlocks = L1_CLOCK_WINDOW_BLOCKS }: ReadL1ClockParameters): Promise<L1Clock> {
  const top = head ?? (await l1.getBlock({ blockTag: 'latest' }))
  const fromNumber = top.number > windowBlocks ? top.number - windowBlocks : 0n
  if (fromNumber === top.number) return measureL1BlockTime([top])
  const from = await l1.getBlock({ blockNumber: fromNumber })
  return measureL1BlockTime([{ number: from.number, timestamp: from.timestamp }, { number: top.number, timestamp: top.timestamp }])
}
