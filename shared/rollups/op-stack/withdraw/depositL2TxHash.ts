/**
 * The L2 transaction a deposit becomes, from its TransactionDeposited log on L1 (notes §1.7, §4: "the deposit's L2
 * hash can be tracked offline"): sourceHash = keccak256(0 ‖ keccak256(l1BlockHash ‖ logIndex)), the 0x7E transaction
 * rebuilt with the one deposit codec (shared/eth/TxDeposit), hash = keccak256 of its bytes. The log must come from
 * the L1 gateway (checked against the block's receipts): the hash is then L1's word, not an L2 node's.
 */
import { keccak256, type Hex } from 'viem'
import { serializeTxDeposit, type TxDeposit } from '../../../eth/TxDeposit'
import { toHex } from '../../../eth/bytes'
import { decodeDepositLog } from '../derive/deposits'

export interface DepositLog {
  topics: readonly Hex[]
  data: Hex
  blockHash: Hex
  logIndex: number
}

export function depositL2Transaction(log: DepositLog): { deposit: TxDeposit; l2TransactionHash: Hex } {
  const deposit = decodeDepositLog({ topics: [...log.topics], data: log.data, blockHash: log.blockHash, logIndex: log.logIndex })
  return { deposit, l2TransactionHash: keccak256(toHex(serializeTxDeposit(deposit))) }
}
