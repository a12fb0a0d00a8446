/**
 * The withdrawals (ArbSys L2ToL1Tx logs) that pay out to one address, found by the indexed `destination` topic over a
 * bounded L2 block range, page by page, so the L2 node returns only this address's sends, never everyone's. ArbSys
 * indexes `destination`, `hash` and `position` but not `caller` (notes §3.1), so withdrawals are found by where they
 * pay, not by who made them.
 *
 * Untrusted like every L2 answer: each log is self-checked (decodeL2ToL1TxLog) and must match the filter that was
 * asked for; a withdrawal becomes a fact only once its proof reaches the confirmed send root
 * (readVerifiedWithdrawalProof).
 */
import { getAddress, type Address, type Hex } from 'viem'
import { arbSysAbi } from '../../../../contracts-abi/arbitrum-nitro/ArbSys'
import { ArbUntrustedDataError } from '../errors'
import { getLogsChunked, type ArbL2Client } from '../l1Client'
import { decodeL2ToL1TxLog, type L2ToL1SendLog } from '../proof/decodeL2ToL1TxLog'
import { ARB_SYS_ADDRESS } from '../tx/buildL2WithdrawalTx'

const l2ToL1TxEvent = arbSysAbi.find((i) => i.type === 'event' && i.name === 'L2ToL1Tx') as Extract<(typeof arbSysAbi)[number], { type: 'event'; name: 'L2ToL1Tx' }>

/** Blocks per eth_getLogs request (halved automatically when a node refuses a range). */
export const WITHDRAWAL_SEARCH_PAGE_BLOCKS = 100_000n
/** More than this many withdrawals to one address is not a user's wallet; narrow the range instead. */
export const MAX_WITHDRAWALS_FOUND = 1_000

export interface FindWithdrawalsToParameters {
  destination: Address
  fromBlock: bigint
  toBlock: bigint
  pageBlocks?: bigint
  /** How the L2 node is named in errors. */
  source: string
  onProgress?: (message: string) => void
}

export async function findWithdrawalsTo(l2: Pick<ArbL2Client, 'getLogs'>, params: FindWithdrawalsToParameters): Promise<L2ToL1SendLog[]> {
  const destination = getAddress(params.destination)
  const { fromBlock, toBlock, source } = params
  if (toBlock < fromBlock) return []
  const total = toBlock - fromBlock + 1n
  params.onProgress?.(`Searching L2 blocks ${fromBlock}..${toBlock} for withdrawals to ${destination} (${total} blocks, ${params.pageBlocks ?? WITHDRAWAL_SEARCH_PAGE_BLOCKS} per request)…`)
  const logs = await getLogsChunked(
    (f, t) => l2.getLogs({ address: ARB_SYS_ADDRESS, event: l2ToL1TxEvent, args: { destination }, fromBlock: f, toBlock: t }),
    fromBlock,
    toBlock,
    params.pageBlocks ?? WITHDRAWAL_SEARCH_PAGE_BLOCKS,
    ({ throughBlock, found }) => {
      // Thrown outside the chunk's retry: a refused range is retried smaller, too many answers is final.
      if (found > MAX_WITHDRAWALS_FOUND) throw tooMany(source, destination)
      if (throughBlock < toBlock) params.onProgress?.(`  …L2 block ${throughBlock} (${((throughBlock - fromBlock + 1n) * 100n) / total}%), ${found} found`)
    },
  )
  const byPosition = new Map<bigint, L2ToL1SendLog>()
  for (const log of logs) {
    const send = decodeL2ToL1TxLog({ address: log.address, topics: log.topics as Hex[], data: log.data, transactionHash: log.transactionHash })
    // A node that answers outside the filter is not answering the question asked.
    const block = log.blockNumber
    if (getAddress(send.to) !== destination || (block !== null && block !== undefined && (block < fromBlock || block > toBlock))) {
      throw new ArbUntrustedDataError(`${source} returned a withdrawal outside the search (to ${send.to}, L2 block ${block}).`)
    }
    const seen = byPosition.get(send.position)
    if (seen && seen.sendHash !== send.sendHash) throw new ArbUntrustedDataError(`${source} returned two different withdrawals at position ${send.position}.`)
    byPosition.set(send.position, send)
  }
  return [...byPosition.values()].sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0))
}

function tooMany(source: string, destination: Address): ArbUntrustedDataError {
  return new ArbUntrustedDataError(`${source} reports more than ${MAX_WITHDRAWALS_FOUND} withdrawals to ${destination} in the range searched.`, {
    kind: 'user-action',
    steps: ['Search a shorter L2 block range (--l2-from-block), or check that this is the address you meant.'],
  })
}
