/**
 * All ArbSys L2ToL1Tx logs from an untrusted L2 RPC, decoded and self-checked (decodeL2ToL1TxLog). The result is
 * untrusted until verifySendList matches it against a confirmed send root.
 */
import type { Hex } from 'viem'
import { arbSysAbi } from '../../../../contracts-abi/arbitrum-nitro/ArbSys'
import { getLogsChunked, type ArbL2Client } from '../l1Client'
import { decodeL2ToL1TxLog, type L2ToL1SendLog } from '../proof/decodeL2ToL1TxLog'
import { ARB_SYS_ADDRESS } from '../tx/buildL2WithdrawalTx'

const l2ToL1TxEvent = arbSysAbi.find((i) => i.type === 'event' && i.name === 'L2ToL1Tx') as Extract<(typeof arbSysAbi)[number], { type: 'event'; name: 'L2ToL1Tx' }>

export async function readL2Sends(client: ArbL2Client, params: { fromBlock?: bigint; toBlock?: bigint; chunk?: bigint } = {}): Promise<L2ToL1SendLog[]> {
  const to = params.toBlock ?? (await client.getBlockNumber())
  const logs = await getLogsChunked(
    (f, t) => client.getLogs({ address: ARB_SYS_ADDRESS, event: l2ToL1TxEvent, fromBlock: f, toBlock: t }),
    params.fromBlock ?? 0n,
    to,
    params.chunk ?? 50_000n,
  )
  return logs.map((l) => decodeL2ToL1TxLog({ address: l.address, topics: l.topics as Hex[], data: l.data, transactionHash: l.transactionHash }))
}
