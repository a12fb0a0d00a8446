import { concat, keccak256, numberToHex, type Hex } from 'viem'
import type { L2Send } from './l2Types'

/** ArbSys send hash = Outbox.calculateItemHash (notes/arbitrum-nitro.md §3.1). */
export function sendHashOf(s: Pick<L2Send, 'caller' | 'destination' | 'arbBlockNum' | 'ethBlockNum' | 'timestamp' | 'callvalue' | 'data'>): Hex {
  return keccak256(
    concat([
      s.caller,
      s.destination,
      numberToHex(s.arbBlockNum, { size: 32 }),
      numberToHex(s.ethBlockNum, { size: 32 }),
      numberToHex(s.timestamp, { size: 32 }),
      numberToHex(s.callvalue, { size: 32 }),
      s.data,
    ]),
  )
}
