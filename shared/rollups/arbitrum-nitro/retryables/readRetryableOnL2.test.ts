// The L2 half of a ticket's status against the real Arbitrum One answers recorded in the SDK tracing fixture
// (receipts, RedeemScheduled log, the block's base fee = the 0x68 tx's gas price), replayed by a JSON-RPC transport;
// then the same node altered to lie, and to report the auto-redeem as failed.
import { encodeFunctionResult, numberToHex, type Address, type Hex } from 'viem'
import { describe, expect, it } from 'vitest'
import { replayRpcClient } from '../../../../electron/services/l1/test-support/replayRpcClient'
import { arbRetryableTxAbi } from '../../../../contracts-abi/arbitrum-nitro/ArbRetryableTx'
import { readVectorJson } from '../../../../fixtures/vectors'
import { decodeMessageDeliveredLog, withCheckedMessageData } from '../derive/readDelayedMessageLogs'
import type { RetryableTicket } from './findRetryables'
import { readRetryableOnL2, type RetryableL2Client } from './getRetryableStatus'
import { decodeRetryableSubmission, retryableTicketId } from './retryableSubmission'

interface FixtureLog { address: Address; topics: Hex[]; data: Hex; blockNumber: number; transactionHash: Hex; logIndex: number; transactionIndex: number; blockHash: Hex }
interface FixtureReceipt { to: Address; from: Address; transactionHash: Hex; blockHash: Hex; blockNumber: number; transactionIndex: number; gasUsed: Hex; cumulativeGasUsed: Hex; effectiveGasPrice: Hex; logsBloom: Hex; status: number; type: number; logs: FixtureLog[] }
interface Fixture {
  parentLogs: FixtureLog[]
  childLogs: FixtureLog[]
  childReceiptByHash: Record<string, FixtureReceipt>
  childTxByHash: Record<string, { gasPrice: Hex }>
  expected: { ticketId: Hex; redeemTxHash: Hex }
}

const f = readVectorJson('arbitrum/sdk-tracing-retryable.json') as Fixture
const messageData = (readVectorJson('arbitrum/sdk-tracing-retryable.expected.json') as { expected: { messageData: Hex } }).expected.messageData
const TIMEOUT = 1_700_000_000n

function ticketFromL1(): RetryableTicket {
  const log = f.parentLogs[0]!
  const m = withCheckedMessageData(decodeMessageDeliveredLog({ ...log, blockNumber: BigInt(log.blockNumber) }), messageData)
  const { submission } = decodeRetryableSubmission(m.data)
  if (!submission) throw new Error('fixture does not decode')
  return {
    messageIndex: m.index, l1TxHash: log.transactionHash, l1BlockNumber: m.l1BlockNumber, l1Timestamp: m.timestamp, sender: m.sender, baseFeeL1: m.baseFeeL1, submission,
    ticketId: retryableTicketId({ l2ChainId: 42161n, messageIndex: m.index, sender: m.sender, baseFeeL1: m.baseFeeL1, submission }),
  }
}

const rpcLog = (l: FixtureLog) => ({ ...l, blockNumber: numberToHex(l.blockNumber), logIndex: numberToHex(l.logIndex), transactionIndex: numberToHex(l.transactionIndex), removed: false })

/** A node answering from the fixture; `alter` lets a test make it lie. */
function replayNode(alter: { redeemStatus?: number; redeemScheduledData?: Hex } = {}): RetryableL2Client {
  const logs = f.childLogs.map((l) => ({ ...l, data: alter.redeemScheduledData ?? l.data }))
  const baseFee = f.childTxByHash[f.expected.redeemTxHash]!.gasPrice
  const block = logs[0]!.blockNumber
  return replayRpcClient((method, params) => {
        switch (method) {
          case 'eth_chainId': return '0xa4b1'
          case 'eth_blockNumber': return numberToHex(block + 10)
          case 'eth_getTransactionReceipt': {
            const r = f.childReceiptByHash[params[0] as string]
            if (!r) return null
            const status = r.transactionHash === f.expected.redeemTxHash && alter.redeemStatus !== undefined ? alter.redeemStatus : r.status
            return {
              ...r, blockNumber: numberToHex(r.blockNumber), transactionIndex: numberToHex(r.transactionIndex), type: numberToHex(r.type), status: numberToHex(status),
              contractAddress: null, logs: r.logs.map(rpcLog),
            }
          }
          case 'eth_getLogs': {
            const filter = params[0] as { address: string; topics: (string | null)[] }
            return logs.filter((l) => l.address.toLowerCase() === filter.address.toLowerCase() && filter.topics.every((t, i) => t === null || t === l.topics[i])).map(rpcLog)
          }
          case 'eth_getBlockByNumber':
            return { number: params[0], hash: logs[0]!.blockHash, parentHash: logs[0]!.blockHash, timestamp: '0x6320b9a8', baseFeePerGas: baseFee, transactions: [], gasLimit: '0x0', gasUsed: '0x0' }
          case 'eth_call':
            return encodeFunctionResult({ abi: arbRetryableTxAbi, functionName: 'getTimeout', result: TIMEOUT })
          default: throw new Error(`unexpected ${method}`)
        }
  })
}

describe('readRetryableOnL2 against the real Arbitrum One answers', () => {
  const ticket = ticketFromL1()

  it('finds the ticket and its auto-redeem; the attempt hash re-computed from L1 data fits the node’s event', async () => {
    expect(ticket.ticketId).toBe(f.expected.ticketId)
    const s = await readRetryableOnL2({ l2: replayNode(), source: 'arb1.example', ticket, l2ChainId: 42161 })
    expect(s.stage).toBe('redeemed')
    expect(s.ticketL2Block).toBe(23690050n)
    expect(s.attempts).toEqual([{ sequenceNum: 0n, retryTxHash: f.expected.redeemTxHash, l2Block: 23690050n, succeeded: true }])
    expect(s.reportedByL2.join('\n')).toMatch(/auto-redeem 0x0131dbbd.* succeeded \(reported by arb1\.example, not proven against L1; its hash fits the ticket\)/)
  })

  it('a node that reports the auto-redeem as failed: awaiting redeem, expiry from getTimeout', async () => {
    const s = await readRetryableOnL2({ l2: replayNode({ redeemStatus: 0 }), source: 'arb1.example', ticket, l2ChainId: 42161 })
    expect(s.stage).toBe('awaiting-redeem')
    expect(s.attempts[0]?.succeeded).toBe(false)
    expect(s.expiry?.at.getTime()).toBe(Number(TIMEOUT) * 1000)
    expect(s.expiry?.basis).toMatch(/getTimeout.*arb1\.example/)
  })

  it('refuses a RedeemScheduled whose figures do not hash to its retryTxHash, naming the node', async () => {
    const real = f.childLogs[0]!.data
    const lying = `${real.slice(0, -1)}${real.endsWith('0') ? '1' : '0'}` as Hex // one wei more of submissionFeeRefund
    await expect(readRetryableOnL2({ l2: replayNode({ redeemScheduledData: lying }), source: 'arb1.example', ticket, l2ChainId: 42161 })).rejects.toThrow(
      /arb1\.example reports redeem attempt #0 of ticket 0xface0b92.* with a hash that does not fit the ticket read from L1/,
    )
  })

  it('a node without the ticket: not seen on L2, and says so', async () => {
    const other = { ...ticket, ticketId: `0x${'11'.repeat(32)}` as Hex }
    const s = await readRetryableOnL2({ l2: replayNode(), source: 'arb1.example', ticket: other, l2ChainId: 42161 })
    expect(s.stage).toBe('not-seen-on-l2')
    expect(s.reportedByL2[0]).toMatch(/arb1\.example has no transaction 0x1111/)
  })
})
