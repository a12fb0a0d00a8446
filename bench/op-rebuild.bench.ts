/**
 * A long OP rebuild from L1 alone (issue 15, "Must show"): ≥ 10^4 L2 blocks of a deposit-only devnet chain (the
 * sequencer gone: every block derived from L1 as empty batches with their deposits; test-support/depositOnlyChain),
 * derived and executed by rebuildChain with checkpoints every 500 blocks.
 *
 * 0. The machine's noise: this process idle for 10 s, its event-loop delay (a thread the OS does not run counts as
 *    delayed, so on a loaded machine this is the floor of every delay below).
 * 1. The rebuild in a worker thread (startChainRebuildInWorker, what `op rebuild` and the app use), killed (thread
 *    terminated, like a crash) at its first checkpoint past half the chain, then a new worker resumes from that
 *    checkpoint to the end. The event-loop delay of this process (the one that started the workers: in the app, the
 *    one hosting IPC) is measured over both worker runs; goal p99 ≤ 50 ms. It runs before the baseline so that the
 *    baseline's garbage (a whole rebuild's, on this heap) is not collected during it — the app's main process never
 *    rebuilds on its own thread.
 * 2. Baseline: the same rebuild on the bench process's own thread (how long rebuilds ran before the worker), with the
 *    event-loop delay of this thread measured (node:perf_hooks monitorEventLoopDelay) while it runs.
 * The resumed rebuild must end with the baseline's head and output root, or the bench fails.
 *
 * Time to resume = from spawning the second worker to its first block past the checkpoint (seen through progress
 * messages at most every 50 ms): worker start (here from the TypeScript sources through tsx; the built CLI loads a
 * bundled worker), opening the state (every record of the log re-hashed), reading the derivation checkpoint and
 * deriving up to the next block.
 *
 * Wall times and the event-loop delay depend on how busy the machine is (the delay of a thread the OS does not run
 * is counted too): the load average is printed with them. About 3 min on an idle 2-core machine, 14 min at load 17.
 * Not a vitest test: two 10^4-block rebuilds do not fit in a test's minute; rebuildChain.devnet.test.ts kills and
 * resumes a ~190-block rebuild (on this thread and in a worker) instead.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { createNodeDecompressor } from '../electron/services/l1/createNodeDecompressor'
import { createViemL1Source } from '../electron/services/l1/createViemL1Source'
import { rebuildChain, type RebuildChainResult } from '../electron/services/opRebuild/rebuildChain'
import { startChainRebuildInWorker, type ChainRebuildJob } from '../electron/services/opRebuild/rebuildChainWorker'
import { startDepositOnlyChain } from '../electron/services/opRebuild/test-support/depositOnlyChain'
import type { BenchRow } from './types'

/** L1 blocks 120 s apart: 60 L2 blocks each; the last 20 (the sequencing window) are not derived yet. */
const L1_BLOCKS = 195
const L1_STEP_SECONDS = 120
const CHECKPOINT_EVERY = 500
const GOAL_BLOCKS = 10_000
const IDLE_MS = 10_000

const ms = (ns: number) => ns / 1e6

export default async function bench(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'eh-rebuild-bench-'))
  const chain = await startDepositOnlyChain({ dir, l1Blocks: L1_BLOCKS, l1StepSeconds: L1_STEP_SECONDS })
  try {
    const { anvil, config, genesis, genesisPath, toL1Block } = chain

    // 0. The machine's own noise: this process idle (anvil idle too) for a few seconds — the floor of any delay
    // measured below (a thread the OS does not run counts as delayed; the load average is printed).
    const idleDelay = monitorEventLoopDelay({ resolution: 5 })
    idleDelay.enable()
    await new Promise((r) => setTimeout(r, IDLE_MS))
    idleDelay.disable()

    // 1. In a worker, killed at the first checkpoint past half, resumed by a new worker. Measured first, while this
    // process's heap holds nothing of a rebuild (as in the app: its main process never rebuilds on its own thread),
    // so the main-thread baseline's garbage is not collected during this measurement.
    const job: ChainRebuildJob = { stateDir: join(dir, 'worker'), config, genesisPath, l1RpcUrls: [anvil.rpcUrl], toL1Block, checkpointEvery: CHECKPOINT_EVERY, progressIntervalMs: 50 }
    const workerDelay = monitorEventLoopDelay({ resolution: 5 })
    workerDelay.enable()
    let t = performance.now()
    let killedAt = 0
    const first = startChainRebuildInWorker(job, (p) => {
      if (killedAt === 0 && p.checkpointedAt !== null && p.checkpointedAt >= GOAL_BLOCKS / 2) {
        killedAt = p.checkpointedAt
        void first.kill()
      }
    })
    await first.result.then(
      () => {
        throw new Error('the rebuild worker finished before it could be killed')
      },
      (e: unknown) => {
        if (!/killed/.test(String(e))) throw e
      },
    )
    const firstMs = performance.now() - t
    const firstBlocks = killedAt // executed from genesis up to at least the checkpoint it was killed at

    t = performance.now()
    let resumeMs = NaN
    let resumedFrom: number | null = null
    const second = startChainRebuildInWorker(job, (p) => {
      resumedFrom = p.resumedFrom
      if (Number.isNaN(resumeMs) && p.blocksExecuted > 0) resumeMs = performance.now() - t
    })
    const resumed = await second.result
    const secondMs = performance.now() - t
    workerDelay.disable()

    // 2. Baseline: the same rebuild on this thread (how long rebuilds ran before the worker), uninterrupted.
    const mainDelay = monitorEventLoopDelay({ resolution: 5 })
    mainDelay.enable()
    t = performance.now()
    const whole: RebuildChainResult = await rebuildChain({
      stateDir: join(dir, 'main-thread'), config, genesis, l1: createViemL1Source({ rpcUrls: [anvil.rpcUrl] }), decompressor: createNodeDecompressor(), toL1Block, checkpointEvery: CHECKPOINT_EVERY,
    })
    const mainMs = performance.now() - t
    mainDelay.disable()
    if (whole.head.number < GOAL_BLOCKS) throw new Error(`the devnet chain has ${whole.head.number} L2 blocks, fewer than ${GOAL_BLOCKS}`)

    const same = resumed.head.outputRoot === whole.head.outputRoot && resumed.head.hash === whole.head.hash && (resumed.resumedFrom ?? 0) >= killedAt
    if (!same) throw new Error(`the resumed rebuild ended at ${resumed.head.number} ${resumed.head.outputRoot} from ${resumed.resumedFrom}; uninterrupted: ${whole.head.number} ${whole.head.outputRoot}, killed at ${killedAt}`)
    const mainRate = (whole.blocksExecuted / mainMs) * 1000
    const workerRate = ((firstBlocks + resumed.blocksExecuted) / (firstMs + secondMs)) * 1000
    const p99Main = ms(mainDelay.percentile(99))
    const p99Worker = ms(workerDelay.percentile(99))
    const p99Idle = ms(idleDelay.percentile(99))
    const load = `load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores`
    return [
      { name: `rebuild from L1, ${whole.blocksExecuted} L2 blocks, in a worker (killed at ${killedAt}, resumed)`, value: Number(workerRate.toFixed(1)), unit: 'blocks/s', note: `${((firstMs + secondMs) / 1000).toFixed(1)} s over both workers; ${load}` },
      { name: 'baseline: the same rebuild on the main thread', value: Number(mainRate.toFixed(1)), unit: 'blocks/s', note: `${(mainMs / 1000).toFixed(1)} s` },
      { name: 'killed rebuild resumes from its checkpoint to the same output root', value: same ? 1 : 0, unit: 'bool', goal: 'same root', met: same, note: `resumed from ${resumedFrom}; ${whole.head.outputRoot}` },
      { name: 'time to resume (spawn → first block past the checkpoint)', value: Math.round(resumeMs), unit: 'ms', note: `worker start under tsx + state reopen (log re-hashed) + derivation restart; ${load}` },
      { name: 'event-loop delay p99 of the process that started the worker', value: Number(p99Worker.toFixed(1)), unit: 'ms', goal: '≤ 50 ms', met: p99Worker <= 50, note: `max ${ms(workerDelay.max).toFixed(1)} ms; over both worker runs; ${load}` },
      { name: 'baseline: event-loop delay p99, rebuild on the main thread', value: Number(p99Main.toFixed(1)), unit: 'ms', note: `max ${ms(mainDelay.max).toFixed(1)} ms` },
      { name: 'baseline: event-loop delay p99 of this process idle (the machine\'s noise)', value: Number(p99Idle.toFixed(1)), unit: 'ms', note: `${IDLE_MS / 1000} s, nothing running; max ${ms(idleDelay.max).toFixed(1)} ms; ${load}` },
    ]
  } finally {
    await chain.anvil.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}
