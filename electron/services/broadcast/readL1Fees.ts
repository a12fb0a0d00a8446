/**
 * What L1 charges right now, asked of every endpoint: the next block's base fee (eth_feeHistory's last entry, which
 * the node computes from the latest block by EIP-1559's rule) and a priority fee (eth_maxPriorityFeePerGas, or the
 * median tip of the latest block where a node lacks that method). The highest answer of each wins: a fee proposed
 * from a lagging node would leave the transaction stuck again, and the user sees the cost before approving it.
 */
import { NoEndpointReachableError } from '../../../shared/signing/broadcastErrors'
import type { EndpointClient } from '../l1/endpointClients'

export interface L1FeeQuote {
  /** The base fee of the next block, wei per gas. */
  nextBaseFee: bigint
  /** A priority fee (tip) that gets a transaction included, wei per gas. */
  priorityFee: bigint
  /** The latest block the quote is based on. */
  latestBlock: bigint
  /** The endpoints (labels) that answered. */
  answered: string[]
}

export async function readL1Fees(endpoints: readonly EndpointClient[], chainId: number): Promise<L1FeeQuote> {
  const answers = await Promise.all(
    endpoints.map(async (endpoint) => {
      try {
        if ((await endpoint.client.getChainId()) !== chainId) return undefined
        const history = await endpoint.client.getFeeHistory({ blockCount: 1, blockTag: 'latest', rewardPercentiles: [50] })
        const nextBaseFee = history.baseFeePerGas.at(-1)
        if (nextBaseFee === undefined || history.baseFeePerGas.length !== 2) return undefined
        const tip = await endpoint.client
          .request({ method: 'eth_maxPriorityFeePerGas' })
          .then((hex) => BigInt(hex))
          .catch(() => history.reward?.[0]?.[0])
        if (tip === undefined) return undefined
        return { label: endpoint.label, nextBaseFee, tip, latestBlock: history.oldestBlock }
      } catch {
        return undefined // down, or not answering sensibly: the others decide
      }
    }),
  )
  const ok = answers.filter((a) => a !== undefined)
  if (ok.length === 0) throw new NoEndpointReachableError(endpoints.map((e) => e.label))
  const max = (values: bigint[]) => values.reduce((a, b) => (b > a ? b : a))
  return {
    nextBaseFee: max(ok.map((a) => a.nextBaseFee)),
    priorityFee: max(ok.map((a) => a.tip)),
    latestBlock: max(ok.map((a) => a.latestBlock)),
    answered: ok.map((a) => a.label),
  }
}
