/**
 * Test-only: two real consecutive OP Sepolia blocks (26207960, 26207961) from the shared executor vectors
 * (vectors/README.md §1): each vector's `expectedHeader` is that block's full header and its payload transactions are
 * the block's transactions; 26207961's parent is 26207960.
 */
import { hexToBytes, type Hex } from 'viem'
import { parseRollupConfig, type RollupConfig } from '../../../config/rollupConfig'
import { readVectorJson } from '../../../../../../fixtures/vectors'
import { type BlockHeader } from '../../../../../eth/header'

export interface RealL2Block {
  header: BlockHeader & { hash: Hex }
  transactions: Uint8Array[]
}

function header(j: Record<string, string | undefined>): BlockHeader & { hash: Hex } {
  const big = (k: string): bigint => BigInt(j[k] as string)
  const opt = (k: string): Hex | undefined => (j[k] == null ? undefined : (j[k] as Hex))
  return {
    parentHash: j.parentHash as Hex, sha3Uncles: j.sha3Uncles as Hex, miner: j.miner as Hex, stateRoot: j.stateRoot as Hex,
    transactionsRoot: j.transactionsRoot as Hex, receiptsRoot: j.receiptsRoot as Hex, logsBloom: j.logsBloom as Hex,
    difficulty: big('difficulty'), number: big('number'), gasLimit: big('gasLimit'), gasUsed: big('gasUsed'), timestamp: big('timestamp'),
    extraData: j.extraData as Hex, mixHash: j.mixHash as Hex, nonce: j.nonce as Hex, baseFeePerGas: big('baseFeePerGas'),
    withdrawalsRoot: opt('withdrawalsRoot'), blobGasUsed: j.blobGasUsed == null ? undefined : big('blobGasUsed'),
    excessBlobGas: j.excessBlobGas == null ? undefined : big('excessBlobGas'), parentBeaconBlockRoot: opt('parentBeaconBlockRoot'),
    requestsHash: opt('requestsHash'), hash: j.hash as Hex,
  }
}

export function realL2Blocks(): { config: RollupConfig; blocks: [RealL2Block, RealL2Block]; payloadAttributes61: { gasLimit: bigint; eip1559Params: Hex } } {
  const load = (n: number) => readVectorJson<{ expectedHeader: Record<string, string>; payloadAttributes: { transactions: Hex[]; gasLimit: string; eip1559Params: Hex }; rollupConfig: unknown }>(`op/executor/op-sepolia-block-${n}.json`)
  const v60 = load(26207960)
  const v61 = load(26207961)
  const block = (v: typeof v60): RealL2Block => ({ header: header(v.expectedHeader), transactions: v.payloadAttributes.transactions.map((t) => hexToBytes(t)) })
  return {
    config: parseRollupConfig(v60.rollupConfig),
    blocks: [block(v60), block(v61)],
    payloadAttributes61: { gasLimit: BigInt(v61.payloadAttributes.gasLimit), eip1559Params: v61.payloadAttributes.eip1559Params },
  }
}
