/**
 * The L2→L1 sends one L2 transaction made: the ArbSys L2ToL1Tx logs in its receipt, fetched from the untrusted L2
 * node by the transaction hash alone (no scan of anyone else's sends). Each log is self-checked (decodeL2ToL1TxLog:
 * its hash topic must equal the send hash of its own fields); it becomes a fact only once its proof reaches the
 * confirmed send root (verifyOutboxProof). `undefined` when the node has no receipt for the transaction.
 */
import { BaseError, encodeEventTopics, TransactionReceiptNotFoundError, type Hex, type PublicClient } from 'viem'
import { arbSysAbi } from '../../../../contracts-abi/arbitrum-nitro/ArbSys'
import { ArbUntrustedDataError } from '../errors'
import { decodeL2ToL1TxLog, type L2ToL1SendLog } from '../proof/decodeL2ToL1TxLog'
import { ARB_SYS_ADDRESS } from '../tx/buildL2WithdrawalTx'

const L2_TO_L1_TX_TOPIC = encodeEventTopics({ abi: arbSysAbi, eventName: 'L2ToL1Tx' })[0] as Hex
/** One transaction's receipt; a withdrawal makes one send, a contract may make a few. */
const MAX_SENDS_PER_TX = 256

export async function readL2TxSends(l2: Pick<PublicClient, 'getTransactionReceipt'>, transactionHash: Hex, source: string): Promise<L2ToL1SendLog[] | undefined> {
  let receipt
  try {
    receipt = await l2.getTransactionReceipt({ hash: transactionHash })
  } catch (error) {
    if (error instanceof BaseError && error.walk((e) => e instanceof TransactionReceiptNotFoundError)) return undefined
    throw error
  }
  if (receipt.transactionHash?.toLowerCase() !== transactionHash.toLowerCase()) {
    throw new ArbUntrustedDataError(`${source} answered the receipt of ${transactionHash} with the receipt of another transaction.`, { details: String(receipt.transactionHash) })
  }
  const logs = (receipt.logs ?? []).filter((l) => l.address?.toLowerCase() === ARB_SYS_ADDRESS.toLowerCase() && l.topics?.[0]?.toLowerCase() === L2_TO_L1_TX_TOPIC)
  if (logs.length > MAX_SENDS_PER_TX) throw new ArbUntrustedDataError(`${source} reports ${logs.length} withdrawals in one transaction.`, { details: transactionHash })
  return logs.map((l) => decodeL2ToL1TxLog({ address: l.address, topics: l.topics as Hex[], data: l.data, transactionHash }))
}
