/**
 * Starts the devnet OP L2 on a deployed devnet (deployOpStackWithL2): the chain (chain/createOpL2Chain) reading its
 * L1 origins from the devnet's anvil, the devnet's rollup.json and genesis.json written out, and the roles that plug
 * in (batcher, proposer, L2 JSON-RPC) started against the chain view with the shared switches.
 *
 * Blocks are built by `tick()` (tests and the drill drive it; time-travel friendly), or every `tickIntervalMs` when
 * given. stop() stops the timer, then the roles, and waits for a block being built.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { rollupConfigToJson } from '../../../../shared/rollups/op-stack/config/rollupConfigToJson'
import { devnetPublicClient } from '../../devnetClients'
import { connectDevnetL1, type DevnetL1Node } from '../../sendDevnetTransaction'
import { createOpL2Chain, type OpL2Chain, type OpL2ChainBlock } from './chain/createOpL2Chain'
import type { OpL2Devnet } from './chain/deployOpStackWithL2'
import { devnetL1Epochs } from './chain/devnetL1Epochs'
import { createOpL2Switches, type OpL2Role, type OpL2RoleContext, type OpL2Switches } from './types'

/** Starts one role (batcher, proposer or RPC server) against the running chain. */
export type OpL2RoleStarter<R extends OpL2Role = OpL2Role> = (context: OpL2RoleContext) => Promise<R>

export interface StartOpL2Parameters {
  l1RpcUrl: string
  l1Node?: DevnetL1Node
  devnet: OpL2Devnet
  /** Shared by reference with every role; default: all off. */
  switches?: OpL2Switches
  /** Where rollup.json and genesis.json are written (created if missing); nothing is written without it. */
  outDir?: string
  /** Build blocks on a timer as well as on tick(); undefined = only on tick(). */
  tickIntervalMs?: number
  /** Roles to start, in order; each gets the same context. */
  roles?: readonly OpL2RoleStarter[]
  /** Called with a timer tick's failure (the timer keeps going); default: ignored (the next tick retries). */
  onTickError?: (error: unknown) => void
}

export interface OpL2 {
  chain: OpL2Chain
  switches: OpL2Switches
  devnet: OpL2Devnet
  roles: readonly OpL2Role[]
  /** Paths of the files written (when outDir was given). */
  files: { rollupJson: string; genesisJson: string } | undefined
  /** Builds blocks until the L2 has caught up with L1 time (at least one, unless the sequencer is down). */
  tick(): Promise<OpL2ChainBlock[]>
  stop(): Promise<void>
}

export async function startOpL2(p: StartOpL2Parameters): Promise<OpL2> {
  const switches = p.switches ?? createOpL2Switches()
  const { deployment, genesis } = p.devnet
  const l1 = await connectDevnetL1(p.l1RpcUrl, p.l1Node)
  const chain = createOpL2Chain({
    genesis,
    switches,
    l1: devnetL1Epochs(devnetPublicClient(p.l1RpcUrl), { optimismPortal: deployment.contracts.optimismPortal, systemConfig: deployment.contracts.systemConfig }),
  })
  let files: OpL2['files']
  if (p.outDir) {
    mkdirSync(p.outDir, { recursive: true })
    files = { rollupJson: join(p.outDir, 'rollup.json'), genesisJson: join(p.outDir, 'genesis.json') }
    writeFileSync(files.rollupJson, `${JSON.stringify(rollupConfigToJson(genesis.rollupConfig), null, 2)}\n`)
    writeFileSync(files.genesisJson, `${JSON.stringify(genesis.json, null, 2)}\n`)
  }
  const context: OpL2RoleContext = { chain, l1, l1RpcUrl: p.l1RpcUrl, deployment, rollupConfig: genesis.rollupConfig, switches }
  const roles: OpL2Role[] = []
  try {
    for (const start of p.roles ?? []) roles.push(await start(context))
  } catch (error) {
    await Promise.allSettled(roles.map((r) => r.stop()))
    throw error
  }
  let timer: ReturnType<typeof setInterval> | undefined
  if (p.tickIntervalMs !== undefined) {
    // One timer tick at a time: a tick after a time jump builds hundreds of blocks, and ticks queued behind it (each
    // building at least one block) piled up on a busy machine — the L2 ran ahead of L1 block by block, the batcher and
    // proposer fell minutes behind, and stop() waited for the whole queue.
    let ticking = false
    timer = setInterval(() => {
      if (ticking) return
      ticking = true
      chain
        .tick()
        .catch((e: unknown) => p.onTickError?.(e))
        .finally(() => {
          ticking = false
        })
    }, p.tickIntervalMs)
    timer.unref?.()
  }
  let stopped = false
  return {
    chain,
    switches,
    devnet: p.devnet,
    roles,
    files,
    tick: () => chain.tick(),
    async stop() {
      if (stopped) return
      stopped = true
      if (timer) clearInterval(timer)
      await Promise.allSettled([...roles].reverse().map((r) => r.stop()))
      await chain.idle()
    },
  }
}
