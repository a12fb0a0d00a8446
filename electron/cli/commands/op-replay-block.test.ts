import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BlockExecutionError } from '../../../shared/rollups/op-stack/execute/errors'
import { vectorPath } from '../../../fixtures/vectors'
import type { CommandContext } from '../command'
import { opGenesisCommand } from './op-genesis'
import { opReplayBlockCommand } from './op-replay-block'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'eh-opreplay-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

function ctx(positionals: string[], options: CommandContext['options'] = {}): CommandContext {
  return { positionals, options, json: true, progress: () => {}, dataDir: dir, signal: new AbortController().signal }
}

describe('op replay-block', () => {
  it('exits 0 when the real block matches', async () => {
    const r = await opReplayBlockCommand.run(ctx([vectorPath('op/executor/op-sepolia-block-26207960.json')]))
    expect(r.exitCode).toBe(0)
    expect((r.json as { blockHash: string }).blockHash).toBe('0xdb32d9ddfa5fd26c9fb0260bbfa53da88326aa2a465e34d75180564aa31b851e')
  })

  it('exits 1 when the expected hash differs', async () => {
    const v = JSON.parse(await readFile(vectorPath('op/executor/op-sepolia-block-26207960.json'), 'utf8')) as Record<string, unknown>
    v.expectedBlockHash = `0x${'11'.repeat(32)}`
    const file = join(dir, 'wrong.json')
    await writeFile(file, JSON.stringify(v))
    const r = await opReplayBlockCommand.run(ctx([file]))
    expect(r.exitCode).toBe(1)
    expect(r.text).toContain('MISMATCH')
  })

  it('fails with a classified error on a forged witness node', async () => {
    const v = JSON.parse(await readFile(vectorPath('op/executor/op-sepolia-block-26207960.json'), 'utf8')) as { witness: Record<string, string> }
    const key = Object.keys(v.witness)[3]!
    v.witness[key] = `${v.witness[key]}ff`
    const file = join(dir, 'forged.json')
    await writeFile(file, JSON.stringify(v))
    await expect(opReplayBlockCommand.run(ctx([file]))).rejects.toBeInstanceOf(BlockExecutionError)
  })
})

describe('op genesis', () => {
  it('reproduces the OP Sepolia genesis hash', async () => {
    const r = await opGenesisCommand.run(ctx([vectorPath('op/genesis/op-sepolia-genesis.json')], { config: vectorPath('op/genesis/op-sepolia-rollup-config.json') }))
    expect(r.exitCode).toBe(0)
    expect((r.json as { blockHash: string }).blockHash).toBe('0x102de6ffb001480cc9b8b548fd05c34cd4f46ae4aa91759393db90ea0409887d')
  })
})
