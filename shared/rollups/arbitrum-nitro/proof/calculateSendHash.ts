/**
 * The hash of one L2→L1 send: ArbSys's sendHash, byte for byte Outbox.calculateItemHash (notes §3.1, AbsOutbox.sol:276).
 * It is also the `hash` topic of ArbSys's L2ToL1Tx event.
 */
import { encodePacked, keccak256, type Address, type Hex } from 'viem'

export interface L2ToL1Send {
  /** ArbSys `caller` / Outbox `l2Sender`. */
  l2Sender: Address
  /** ArbSys `destination` / Outbox `to`. */
  to: Address
  /** ArbSys `arbBlockNum`. */
  l2Block: bigint
  /** ArbSys `ethBlockNum`. */
  l1Block: bigint
  l2Timestamp: bigint
  value: bigint
  data: Hex
}

export function calculateSendHash(send: L2ToL1Send): Hex {
  return keccak256(
    encodePacked(
      ['address', 'address', 'uint256', 'uint256', 'uint256', 'uint256', 'bytes'],
      [send.l2Sender, send.to, send.l2Block, send.l1Block, send.l2Timestamp, send.value, send.data],
    ),
  )
}
