/**
 * The withdrawals an L2 transaction started: its MessagePassed events from the L2ToL1MessagePasser
 * (`MessagePassed(uint256 indexed nonce, address indexed sender, address indexed target, uint256 value, uint256
 * gasLimit, bytes data, bytes32 withdrawalHash)`), each rebuilt as the WithdrawalTransaction the portal takes. The
 * receipt may come from an untrusted node or from the app's own execution: the event's withdrawalHash must equal the
 * hash of its fields (else the receipt was tampered with), and nothing here is trusted until the storage proof
 * verifies under a checked output root (which commits to exactly this hash).
 */
import { decodeEventLog, getAddress, type Hex } from 'viem'
import { l2ToL1MessagePasserAbi } from '../../../../contracts-abi/op-stack/L2ToL1MessagePasser'
import { L2_TO_L1_MESSAGE_PASSER } from '../../../eth/predeploys'
import { UntrustedL2DataError } from '../derive/start/errors'
import { computeWithdrawalHash, type WithdrawalTransaction } from '../proof/withdrawalProof'

export interface PassedMessage {
  withdrawal: WithdrawalTransaction
  withdrawalHash: Hex
  logIndex: number
}

export interface ReceiptLogs {
  logs: readonly { address: string; topics: readonly Hex[]; data: Hex; logIndex?: number | null }[]
}

export function findMessagePassed(receipt: ReceiptLogs, source?: string): PassedMessage[] {
  const out: PassedMessage[] = []
  receipt.logs.forEach((log, i) => {
    if (log.address.toLowerCase() !== L2_TO_L1_MESSAGE_PASSER) return
    let decoded
    try {
      decoded = decodeEventLog({ abi: l2ToL1MessagePasserAbi, topics: log.topics as [Hex, ...Hex[]], data: log.data, eventName: 'MessagePassed', strict: true })
    } catch {
      return // another event of the message passer (WithdrawerBalanceBurnt)
    }
    const a = decoded.args
    const withdrawal: WithdrawalTransaction = { nonce: a.nonce, sender: getAddress(a.sender), target: getAddress(a.target), value: a.value, gasLimit: a.gasLimit, data: a.data }
    const withdrawalHash = computeWithdrawalHash(withdrawal)
    if (withdrawalHash !== a.withdrawalHash.toLowerCase()) {
      throw new UntrustedL2DataError('malformed', 'A MessagePassed event’s withdrawal hash is not the hash of its fields.', { node: source, details: `event says ${a.withdrawalHash}, fields hash to ${withdrawalHash}` })
    }
    out.push({ withdrawal, withdrawalHash, logIndex: log.logIndex ?? i })
  })
  return out
}
