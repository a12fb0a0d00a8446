/**
 * The devnet OP L2's batcher role (DEVNET_ROLES.opBatcher): posts the L2 blocks the sequencer made to the batch inbox
 * on L1, in the real format (encodeBatcherTxs.ts), as calldata or as blob (type-3) transactions. Each post is one
 * channel holding one span batch of every block not yet posted, sent as consecutive transactions, each waited for;
 * posts are serialised, so frames reach L1 in order (Holocene's strict ordering).
 *
 * Switch: `switches.batcherStopped` — nothing is posted while it is set; the batcher keeps its position and posts the
 * backlog once it is cleared. Blocks whose L1 origin has left the sequencing window by then are dropped by derivation
 * (which fills the gap with empty batches instead): that is what a vanished batcher does to a chain.
 */
import { bytesToHex, parseGwei, type Address, type Hex, type Kzg } from 'viem'
import { loadViemKzg } from '../../../../services/kzg'
import { sendDevnetTransaction, type DevnetKey, type DevnetL1 } from '../../../sendDevnetTransaction'
import type { OpL2Block, OpL2ChainView, OpL2Switches } from '../types'
import { encodeBatcherTxs, type BatcherChainParameters, type BatcherDataMode } from './encodeBatcherTxs'
import { OpBatcherError } from './errors'

export interface CreateOpBatcherParameters {
  l1: DevnetL1
  /** The batcher key: the SystemConfig's batcher address (derivation ignores any other sender). */
  key: DevnetKey
  batchInbox: Address
  chain: BatcherChainParameters
  view: Pick<OpL2ChainView, 'head' | 'block'>
  switches: Pick<OpL2Switches, 'batcherStopped'>
  mode?: BatcherDataMode
  /** The last L2 block already on L1; default the genesis block 0. */
  postedUpTo?: bigint
  /** Most blocks in one channel (default 1000); more pending blocks go out in several posts. */
  maxBlocksPerChannel?: number
  /** viem KZG for blob transactions; default the process's c-kzg (electron/services/kzg.ts). */
  kzg?: () => Kzg
}

export interface PostedChannel {
  mode: BatcherDataMode
  firstBlock: bigint
  lastBlock: bigint
  l1TxHashes: Hex[]
  /** L1 block of the last transaction (where derivation completes the channel). */
  l1BlockNumber: bigint
}

export interface OpBatcher {
  readonly address: Address
  /** Calldata or blobs for the next posts. */
  mode: BatcherDataMode
  /** The last L2 block posted to L1. */
  postedUpTo(): bigint
  /**
   * Post every block after postedUpTo() up to the head (in channels of at most maxBlocksPerChannel blocks). Nothing is
   * posted while switches.batcherStopped is set or when there is nothing new. Calls are serialised.
   */
  postPending(): Promise<PostedChannel[]>
}

const BLOB_FEE_CAP = parseGwei('30')

export function createOpBatcher(p: CreateOpBatcherParameters): OpBatcher {
  let posted = p.postedUpTo ?? 0n
  let queue: Promise<unknown> = Promise.resolve()
  const maxBlocks = BigInt(p.maxBlocksPerChannel ?? 1000)
  const wallet = p.l1.walletFor(p.key)
  const kzg = p.kzg ?? loadViemKzg

  async function postChannel(blocks: OpL2Block[], mode: BatcherDataMode): Promise<PostedChannel> {
    const first = (blocks[0] as OpL2Block).number
    const last = (blocks[blocks.length - 1] as OpL2Block).number
    const txs = encodeBatcherTxs(blocks, p.chain, mode)
    const hashes: Hex[] = []
    let l1BlockNumber = 0n
    for (const [i, tx] of txs.entries()) {
      const receipt = await sendDevnetTransaction({
        l1: p.l1,
        step: `post L2 blocks ${first}–${last} to the batch inbox (${mode}, transaction ${i + 1} of ${txs.length})`,
        ErrorClass: OpBatcherError,
        steps: ['The devnet L1 refused a batcher transaction: check that anvil is running and the batcher account has ETH.'],
        send: () =>
          tx.mode === 'calldata'
            ? wallet.sendTransaction({ to: p.batchInbox, data: bytesToHex(tx.data) })
            : wallet.sendTransaction({ to: p.batchInbox, data: '0x', blobs: tx.blobs.map((b) => bytesToHex(b)), kzg: kzg(), maxFeePerBlobGas: BLOB_FEE_CAP }),
      })
      hashes.push(receipt.transactionHash)
      l1BlockNumber = receipt.blockNumber
    }
    return { mode, firstBlock: first, lastBlock: last, l1TxHashes: hashes, l1BlockNumber }
  }

  async function postAll(): Promise<PostedChannel[]> {
    const out: PostedChannel[] = []
    while (!p.switches.batcherStopped) {
      const head = p.view.head().number
      if (head <= posted) break
      // One channel per run of consecutive sequenced blocks: a block derivation forced (sequencer down, window
      // elapsed) is already on L1 as an empty batch, so it is skipped, and the next span's parent check names it.
      const blocks: OpL2Block[] = []
      let n = posted + 1n
      for (; n <= head && BigInt(blocks.length) < maxBlocks; n++) {
        const b = p.view.block(n)
        if (!b) throw new OpBatcherError(`The devnet OP batcher cannot read L2 block ${n} (head ${head}).`)
        if (b.forcedByDerivation === true) {
          if (blocks.length > 0) break
          posted = n
          continue
        }
        blocks.push(b)
      }
      if (blocks.length === 0) continue
      out.push(await postChannel(blocks, batcher.mode))
      posted = (blocks[blocks.length - 1] as OpL2Block).number
    }
    return out
  }

  const batcher: OpBatcher = {
    address: wallet.account.address,
    mode: p.mode ?? 'calldata',
    postedUpTo: () => posted,
    postPending() {
      const run = queue.then(postAll, postAll)
      queue = run.catch(() => undefined)
      return run
    },
  }
  return batcher
}
