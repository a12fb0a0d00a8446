/**
 * The devnet OP L2 with its standard roles, on a devnet started with `opL2` (startDevnet): the chain (startOpL2), the
 * batcher (DEVNET_ROLES.opBatcher), the proposer (DEVNET_ROLES.opProposer, proposing only what the batcher posted)
 * and the L2 JSON-RPC, with rollup.json and genesis.json written to `outDir`. `devnet up` and the OP drill both start
 * it here, so what a user pokes at with `--network devnet-op` is the chain the drill escapes from.
 *
 * Blocks: the drill drives `tick()` itself (time travel). `devnet up` passes `followL1`: every interval the chain
 * builds blocks when L1 has moved past the L2 head's time, or when transactions wait in the pool (anvil automines, so
 * L1 moves only with L1 transactions; the chain may then run ahead of L1 time within the sequencer drift, as
 * op-node's sequencer does).
 */
import { DEVNET_ROLES } from '../../devnet'
import type { AnvilHandle, DevnetAccount } from '../../anvil'
import { devnetPublicClient } from '../../devnetClients'
import { opBatcherRole, type RunningOpBatcher } from './batcher/startOpBatcher'
import type { OpL2Devnet } from './chain/deployOpStackWithL2'
import { opProposerRole, type RunningOpProposer } from './proposer/startOpProposer'
import { opL2RpcRole } from './rpc/serveOpL2Rpc'
import { startOpL2, type OpL2 } from './startOpL2'
import type { OpL2RpcServer, OpL2Switches } from './types'
import { OpL2SequencerError } from './chain/errors'

/** How far a pending transaction may pull the L2 ahead of L1 time (well inside the 1800 s sequencer drift). */
const AHEAD_OF_L1_SECONDS = 600n

export interface StartDevnetOpL2Parameters {
  anvil: AnvilHandle
  l2: OpL2Devnet
  /** Where rollup.json and genesis.json go. */
  outDir?: string
  dataAvailability?: 'calldata' | 'blobs'
  /** Post a channel every this many L2 blocks (default 6). */
  postEveryBlocks?: number
  /** Propose a game every this many L2 blocks (default 10). */
  proposeEveryBlocks?: number
  switches?: OpL2Switches
  /** Build blocks on a timer that follows L1 (devnet up); without it only tick() builds. */
  followL1?: { intervalMs: number }
  /** A role's failure or a timer tick's (they retry with the next block); default: ignored. */
  onError?: (error: unknown, where: 'batcher' | 'proposer' | 'tick') => void
}

export interface DevnetOpL2 {
  l2: OpL2
  batcher: RunningOpBatcher
  proposer: RunningOpProposer
  rpc: OpL2RpcServer
  /** The L2 JSON-RPC (http://127.0.0.1:port). */
  rpcUrl: string
  stop(): Promise<void>
}

function key(anvil: AnvilHandle, index: number): DevnetAccount {
  const a = anvil.accounts[index]
  if (!a) throw new OpL2SequencerError(`The devnet has no account #${index} for the OP L2 roles.`)
  return a
}

export async function startDevnetOpL2(p: StartDevnetOpL2Parameters): Promise<DevnetOpL2> {
  const onError = p.onError ?? (() => undefined)
  // The proposer asks the batcher (started before it) how far L1 carries the chain.
  const started: { batcher?: RunningOpBatcher } = {}
  const l2 = await startOpL2({
    l1RpcUrl: p.anvil.rpcUrl,
    l1Node: p.anvil,
    devnet: p.l2,
    ...(p.switches ? { switches: p.switches } : {}),
    ...(p.outDir ? { outDir: p.outDir } : {}),
    roles: [
      opBatcherRole({ key: key(p.anvil, DEVNET_ROLES.opBatcher), dataAvailability: p.dataAvailability ?? 'calldata', postEveryBlocks: p.postEveryBlocks ?? 6, onError: (e) => onError(e, 'batcher') }),
      opProposerRole({
        key: key(p.anvil, DEVNET_ROLES.opProposer),
        intervalBlocks: p.proposeEveryBlocks ?? 10,
        // Only blocks L1 carries are proposed, so every honest game can be recomputed from L1 alone.
        safeHead: () => started.batcher?.batcher.postedUpTo() ?? 0n,
        onError: (e) => onError(e, 'proposer'),
      }),
      opL2RpcRole(),
    ],
  })
  const batcher = l2.roles[0] as RunningOpBatcher
  started.batcher = batcher
  const proposer = l2.roles[1] as RunningOpProposer
  const rpc = l2.roles[2] as OpL2RpcServer

  let timer: ReturnType<typeof setTimeout> | undefined
  let stopped = false
  if (p.followL1) {
    const l1 = devnetPublicClient(p.anvil.rpcUrl, { retryCount: 0 })
    const { intervalMs } = p.followL1
    const follow = async () => {
      try {
        const l1Head = await l1.getBlock({ blockTag: 'latest' })
        const l2Time = l2.chain.head().header.timestamp
        // Pool transactions (censored ones too) may pull the L2 ahead of L1 time, but only by a few minutes.
        if (l1Head.timestamp > l2Time || (l2.chain.pendingCount > 0 && l2Time < l1Head.timestamp + AHEAD_OF_L1_SECONDS)) await l2.tick()
      } catch (error) {
        onError(error, 'tick')
      }
      if (!stopped) timer = setTimeout(() => void follow(), intervalMs)
    }
    timer = setTimeout(() => void follow(), intervalMs)
  }
  return {
    l2,
    batcher,
    proposer,
    rpc,
    rpcUrl: rpc.url,
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      await l2.stop()
    },
  }
}
