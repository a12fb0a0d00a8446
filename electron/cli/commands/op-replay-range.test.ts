import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { UntrustedL2DataError } from '../../../shared/rollups/op-stack/derive/start/errors'
import { serveVectorL2Node, type VectorLies } from '../../services/op/test-support/serveVectorL2Node'
import type { CommandContext } from '../command'
import { opReplayRangeCommand } from './op-replay-range'

let dir: string
let config: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'eh-replayrange-'))
  const node = await serveVectorL2Node()
  config = join(dir, 'rollup.json')
  await writeFile(config, JSON.stringify(node.rollupConfigJson))
  await node.close()
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function run(lies: VectorLies, extra: CommandContext['options'] = {}) {
  const node = await serveVectorL2Node(lies)
  const progress: string[] = []
  try {
    const options = { config, 'l2-rpc': node.url, from: String(node.first.parent.number), to: String(node.last.blockNumber), ...extra }
    const r = await opReplayRangeCommand.run({ positionals: [], options, json: false, progress: (m) => progress.push(m), dataDir: dir, signal: new AbortController().signal })
    return { r, node, progress }
  } finally {
    await node.close()
  }
}

describe('op replay-range against an untrusted node serving real OP Sepolia blocks 26207960–26207961', () => {
  it('re-executes both blocks to the real hash and reports throughput; the API key in the URL is never printed', async () => {
    const { r, node, progress } = await run({})
    const json = r.json as { head: { hash: string; stateRoot: string }; blocks: number; mgasPerSecond: number; node: string; startChecked: boolean }
    expect(json.head.hash).toBe(node.last.expectedBlockHash)
    expect(json.head.stateRoot).toBe(node.last.expectedStateRoot)
    expect(json.blocks).toBe(2)
    expect(json.mgasPerSecond).toBeGreaterThan(0)
    expect(json.startChecked).toBe(false)
    expect(r.text).toContain('NOT checked against L1')
    // Pre-Isthmus, the output root needs eth_getProof, which this node refuses: said, not guessed.
    expect(r.text).toContain('not computed')
    expect(r.exitCode).toBe(0)
    const everything = JSON.stringify(r) + progress.join('\n')
    expect(everything).toContain('127.0.0.1')
    expect(everything).not.toContain('SECRETKEY123')
  }, 120_000)

  it('exits 1 when an expected output root cannot be confirmed', async () => {
    const { r } = await run({}, { 'expect-output-root': `0x${'ab'.repeat(32)}` })
    expect(r.exitCode).toBe(1)
    expect(r.text).toContain('NOT CHECKED')
  }, 120_000)

  it('stops with an error naming the node when its witness has a flipped byte', async () => {
    const node = await serveVectorL2Node()
    await node.close()
    await expect(run({ witness: node.last.blockNumber })).rejects.toSatisfy((e) => e instanceof UntrustedL2DataError && e.problem === 'witness' && e.message.includes('127.0.0.1') && !e.message.includes('SECRET'))
  }, 120_000)

  it('stops when the node forges a self-consistent header', async () => {
    const node = await serveVectorL2Node()
    await node.close()
    await expect(run({ header: node.first.blockNumber })).rejects.toSatisfy((e) => e instanceof UntrustedL2DataError && e.problem === 'execution')
  }, 120_000)
})
