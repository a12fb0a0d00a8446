/**
 * A full rebuild from L1 on the devnet (anvil + the real OP L1 contracts): a deposit-only chain (no batcher posts, so
 * every epoch past the sequencing window is derived as an empty batch with its deposits) from a small genesis.
 * Killed halfway (aborted), it resumes from its checkpoint and ends with the same head and output root as a rebuild
 * that was never interrupted.
 */
import { cp, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RollupConfig } from '../../../shared/rollups/op-stack/config/rollupConfig'
import type { Genesis } from '../../../shared/rollups/op-stack/genesis/parseGenesis'
import type { AnvilHandle } from '../../devnet/anvil'
import { createNodeDecompressor } from '../l1/createNodeDecompressor'
import { createViemL1Source } from '../l1/createViemL1Source'
import { rebuildChain, type RebuildChainProgress, type RebuildChainResult } from './rebuildChain'
import { startChainRebuildInWorker } from './rebuildChainWorker'
import { startDepositOnlyChain } from './test-support/depositOnlyChain'
import { opRebuildCommand } from '../../cli/commands/op-rebuild'
import { rollupConfigToJson } from '../../../shared/rollups/op-stack/config/rollupConfigToJson'

let anvil: AnvilHandle
let config: RollupConfig
let genesis: Genesis
let toL1Block: number
let dir: string
let genesisPath: string
let whole: RebuildChainResult

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'eh-rebuild-'))
  // Two deposits, then 50 L1 blocks 12 s apart: ~40 epochs past the 20-block sequencing window.
  ;({ anvil, config, genesis, genesisPath, toL1Block } = await startDepositOnlyChain({ dir, l1Blocks: 50 }))
}, 180_000)
afterAll(async () => {
  await anvil?.stop()
  await rm(dir, { recursive: true, force: true })
})

const run = (stateDir: string, extra: { signal?: AbortSignal; onProgress?: (p: RebuildChainProgress) => void } = {}) =>
  rebuildChain({ stateDir, config, genesis, l1: createViemL1Source({ rpcUrls: [anvil.rpcUrl] }), decompressor: createNodeDecompressor(), toL1Block, checkpointEvery: 40, ...extra })

describe('rebuildChain: derive + execute from L1 alone, checkpointed, resumable', () => {
  it('a rebuild killed halfway resumes from its checkpoint and ends with the same output root', async () => {
    whole = await run(join(dir, 'whole'))
    expect(whole.blocksExecuted).toBeGreaterThan(150)
    expect(whole.resumedFrom).toBeNull()

    const stateDir = join(dir, 'killed')
    const ac = new AbortController()
    let stoppedAt = 0
    await expect(
      run(stateDir, {
        signal: ac.signal,
        onProgress: (p) => {
          if (p.l2Head >= whole.head.number / 2 && !ac.signal.aborted) {
            stoppedAt = p.l2Head
            ac.abort()
          }
        },
      }),
    ).rejects.toThrow()
    expect(stoppedAt).toBeGreaterThan(0)
    expect((await readdir(stateDir)).some((f) => /^derivation-\d+\.json$/.test(f))).toBe(true)

    const resumed = await run(stateDir)
    expect(resumed.resumedFrom).not.toBeNull()
    expect(resumed.resumedFrom!).toBeGreaterThan(0)
    expect(resumed.resumedFrom!).toBeLessThanOrEqual(stoppedAt)
    expect(resumed.blocksExecuted).toBeLessThan(whole.blocksExecuted)
    expect(resumed.head).toEqual(whole.head)

    // Nothing left to do: a third run resumes at the head and derives nothing new.
    const again = await run(stateDir)
    expect(again.head).toEqual(whole.head)
    expect(again.blocksExecuted).toBe(0)
  }, 600_000)

  it('in a worker thread: killed halfway (thread terminated, like a crash), a new worker resumes to the same output root', async () => {
    expect(whole).toBeDefined()
    const stateDir = join(dir, 'worker')
    const job = { stateDir, config, genesisPath, l1RpcUrls: [anvil.rpcUrl], toL1Block, checkpointEvery: 40, progressIntervalMs: 0 }
    let handle = startChainRebuildInWorker(job, (p) => {
      if (p.checkpointedAt !== null && p.checkpointedAt >= whole.head.number / 2) void handle.kill()
    })
    expect(handle.threadId).toBeGreaterThan(0)
    await expect(handle.result).rejects.toThrow(/killed/)
    handle = startChainRebuildInWorker(job)
    const resumed = await handle.result
    expect(resumed.resumedFrom).not.toBeNull()
    expect(resumed.head).toEqual(whole.head)
  }, 600_000)

  it('`op rebuild` prints the same output root (continuing a finished rebuild: nothing left to execute)', async () => {
    const stateDir = join(dir, 'cli')
    await cp(join(dir, 'whole'), stateDir, { recursive: true })
    const configFile = join(dir, 'rollup.json')
    await writeFile(configFile, JSON.stringify(rollupConfigToJson(config)))
    const progress: string[] = []
    const options = { config: configFile, genesis: genesisPath, 'l1-rpc': [anvil.rpcUrl], to: String(toL1Block), 'state-dir': stateDir }
    const r = await opRebuildCommand.run({ positionals: [], options, json: false, progress: (m) => progress.push(m), dataDir: dir, signal: new AbortController().signal })
    const json = r.json as { head: RebuildChainResult['head']; blocksExecuted: number; resumedFrom: number }
    expect(json.head).toEqual(whole.head)
    expect(json.blocksExecuted).toBe(0)
    expect(json.resumedFrom).toBe(whole.head.number)
    expect(r.text).toContain(whole.head.outputRoot)
  }, 300_000)
})
