/**
 * Which of a job's journaled transactions cannot be mined as they are: still unconfirmed, their nonce still free,
 * and every one of the last `afterBlocks` L1 blocks (and the next one) had a base fee above their max fee per gas —
 * a block can only include a transaction whose fee cap covers its base fee (EIP-1559), so such a transaction has been
 * waiting at least that long and waits until fees fall. Only advice for the user (bump the fee, or wait): nothing is
 * journaled or sent here, and an endpoint that does not answer just means "not known to be stuck".
 */
import { parseTransaction, type Address, type Hex, type TransactionSerialized } from 'viem'
import { unfinishedTxs, type JobState, type TxState } from '../../../shared/journal/reduce'
import type { EndpointClient } from '../l1/endpointClients'
import { nonceFamily } from './watchJournaledTx'

/** About two minutes of L1 blocks: longer than a short fee spike, short enough not to lose a deadline to it. */
export const STUCK_AFTER_BLOCKS = 10

export interface StuckTx {
  hash: Hex
  step: string
  chainId: number
  from: Address
  nonce: number
  /** The transaction's fee cap (maxFeePerGas, or gasPrice for legacy), wei per gas. */
  maxFeePerGas: bigint
  /** The next block's base fee, wei per gas. */
  baseFee: bigint
  /** It has waited at least this many blocks, each with a base fee above its fee cap. */
  blocks: number
}

export interface FindStuckTxsParameters {
  state: JobState
  endpoints: readonly EndpointClient[]
  afterBlocks?: number
}

export async function findStuckTxs({ state, endpoints, afterBlocks = STUCK_AFTER_BLOCKS }: FindStuckTxsParameters): Promise<StuckTx[]> {
  const stuck: StuckTx[] = []
  for (const tx of unfinishedTxs(state)) {
    const family = nonceFamily(state.txs, tx)
    // Only the newest live transaction of a nonce is the one to bump; a family with a mined member is settled.
    if (family.some((t) => t.status === 'mined' || t.status === 'reverted')) continue
    if (family.filter((t) => t.status === 'signed' || t.status === 'sent').at(-1)?.hash !== tx.hash) continue
    const found = await checkTx(tx, endpoints, afterBlocks)
    if (found) stuck.push(found)
  }
  return stuck
}

async function checkTx(tx: TxState, endpoints: readonly EndpointClient[], afterBlocks: number): Promise<StuckTx | undefined> {
  const parsed = parseTransaction(tx.raw as TransactionSerialized)
  const maxFeePerGas = 'maxFeePerGas' in parsed && parsed.maxFeePerGas !== undefined ? parsed.maxFeePerGas : parsed.gasPrice
  if (maxFeePerGas === undefined) return undefined
  for (const { client } of endpoints) {
    try {
      if ((await client.getChainId()) !== tx.chainId) continue
      // A used nonce means it was mined (or taken): the broadcaster's watch settles that, it is not stuck.
      if ((await client.getTransactionCount({ address: tx.from, blockTag: 'latest' })) > tx.nonce) return undefined
      const history = await client.getFeeHistory({ blockCount: afterBlocks, blockTag: 'latest', rewardPercentiles: [] })
      // afterBlocks past blocks plus the next one; a younger chain has fewer, and nothing waited that long on it.
      if (history.baseFeePerGas.length !== afterBlocks + 1) return undefined
      if (history.baseFeePerGas.some((fee) => fee <= maxFeePerGas)) return undefined
      // It must have been waiting through all of them: journaled before the first of those blocks was made.
      const first = await client.getBlock({ blockNumber: history.oldestBlock })
      if (Date.parse(tx.signedAt) > Number(first.timestamp) * 1000) return undefined
      return { hash: tx.hash, step: tx.step, chainId: tx.chainId, from: tx.from, nonce: tx.nonce, maxFeePerGas, baseFee: history.baseFeePerGas.at(-1)!, blocks: afterBlocks }
    } catch {
      // This endpoint could not tell; ask the next one.
    }
  }
  return undefined
}
