/**
 * The L1's block time, measured from its own headers: (t_b − t_a)/(b − a) over the widest span given. Missed slots
 * make a real L1 slower than its 12 s slot; a devnet or another parent chain differs more. The fallback is used only
 * when there is nothing to measure (one header, or headers whose times do not advance), and the basis says so.
 */
import type { L1Clock } from './deadline'

/** Used only when no two L1 headers give a span to measure (post-merge slot time); always named in the basis. */
export const FALLBACK_L1_BLOCK_SECONDS = 12n

export interface L1HeaderTime {
  number: bigint
  timestamp: bigint
}

/** How far back readL1Clock measures by default: about a day of L1 blocks, so a few missed slots average out. */
export const L1_CLOCK_WINDOW_BLOCKS = 7200n

export function measureL1BlockTime(headers: readonly L1HeaderTime[]): L1Clock {
  if (headers.length === 0) throw new Error('measureL1BlockTime needs at least the head header')
  const sorted = [...headers].sort((a, b) => (a.number < b.number ? -1 : a.number > b.number ? 1 : 0))
  const first = sorted[0] as L1HeaderTime
  const head = sorted[sorted.length - 1] as L1HeaderTime
  const blocks = head.number - first.number
  const seconds = head.timestamp - first.timestamp
  if (blocks > 0n && seconds > 0n) {
    return {
      head: { number: head.number, timestamp: head.timestamp },
      span: { blocks, seconds },
      measured: true,
      basis: `L1 block time ${formatBlockSeconds(seconds, blocks)} s, measured over L1 blocks ${first.number}..${head.number}`,
    }
  }
  const why = blocks === 0n ? 'only one L1 header to measure' : `L1 time did not advance over blocks ${first.number}..${head.number}`
  return {
    head: { number: head.number, timestamp: head.timestamp },
    span: { blocks: 1n, seconds: FALLBACK_L1_BLOCK_SECONDS },
    measured: false,
    basis: `L1 block time assumed ${FALLBACK_L1_BLOCK_SECONDS} s (${why})`,
  }
}

/** Seconds per block with two decimals, for text. */
export function l1BlockSeconds(clock: L1Clock): number {
  return Number((clock.span.seconds * 100n) / clock.span.blocks) / 100
}

function formatBlockSeconds(seconds: bigint, blocks: bigint): string {
  const hundredths = (seconds * 100n + blocks / 2n) / blocks
  return `${hundredths / 100n}.${(hundredths % 100n).toString().padStart(2, '0')}`
}
