import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { bytesToHex, keccak256, type Hex } from 'viem'
import { afterAll, describe, expect, it } from 'vitest'
import { parseRollupConfig } from '../../../shared/rollups/op-stack/config/rollupConfig'
import type { PayloadAttributes } from '../../../shared/rollups/op-stack/execute/executeBlock'
import { parseGenesis } from '../../../shared/rollups/op-stack/genesis/parseGenesis'
import { readVectorJson, vectorPath as vectorFile } from '../../../fixtures/vectors'
import { FileStateStore, StateStoreError } from './FileStateStore'
import { rebuildState } from './rebuildState'
import { serializeTxDeposit } from '../../../shared/eth/TxDeposit'

const config = parseRollupConfig(readVectorJson('op/genesis/op-sepolia-rollup-config.json'))
const genesis = parseGenesis(readVectorJson('op/genesis/op-sepolia-genesis.json'))
const dirs: string[] = []
const tmp = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'eh-state-'))
  dirs.push(d)
  return d
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

/** A user deposit minting ETH (Regolith rules). */
function deposit(i: number, to: Hex): Hex {
  return bytesToHex(serializeTxDeposit({
    sourceHash: keccak256(`0x${i.toString(16).padStart(2, '0')}`), from: '0x1111111111111111111111111111111111111111', to,
    mint: 10n ** 18n, value: 4n * 10n ** 17n, gas: 100_000n, isSystemTransaction: false, data: new Uint8Array(0),
  }))
}

function blocks(n: number): { number: bigint; attributes: PayloadAttributes }[] {
  return Array.from({ length: n }, (_, k) => ({
    number: BigInt(k + 1),
    attributes: {
      timestamp: BigInt(config.genesis.l2Time + 2 * (k + 1)),
      prevRandao: keccak256(`0x${(k + 1).toString(16).padStart(2, '0')}`),
      suggestedFeeRecipient: '0x4200000000000000000000000000000000000011',
      transactions: [deposit(k, `0x${'22'.repeat(19)}${(k + 1).toString(16).padStart(2, '0')}`)],
      gasLimit: 30_000_000n,
    },
  }))
}

describe('persistent local state: rebuild from genesis, resume from a checkpoint', () => {
  it('resumes after a restart to the same head as an uninterrupted rebuild', async () => {
    const a = FileStateStore.open(tmp())
    const headA = await rebuildState({ store: a, config, genesis, blocks: blocks(3), checkpointEvery: 1 })
    a.close()
    expect(headA.number).toBe(3n)

    const dirB = tmp()
    const b1 = FileStateStore.open(dirB)
    await rebuildState({ store: b1, config, genesis, blocks: blocks(1) })
    b1.close()
    // A crash mid-block leaves bytes after the checkpoint: they are cut off on reopen.
    appendFileSync(join(dirB, 'nodes.log'), new Uint8Array(100).fill(7))
    const b2 = FileStateStore.open(dirB)
    expect(b2.checkpointed?.blockNumber).toBe(1n)
    const headB = await rebuildState({ store: b2, config, genesis, blocks: blocks(3) })
    b2.close()
    expect(headB.hash).toBe(headA.hash)
    expect(headB.stateRoot).toBe(headA.stateRoot)
    // The deposits changed the state (not a no-op replay).
    expect(headA.stateRoot).not.toBe('0x06787a17a3ed87c339a39dbbeeb311578a0c83ed29daa2db95da62b28efce8a9')
  }, 120_000)

  it('refuses a corrupted log', async () => {
    const dir = tmp()
    const s = FileStateStore.open(dir)
    await rebuildState({ store: s, config, genesis, blocks: blocks(1) })
    s.close()
    const log = readFileSync(join(dir, 'nodes.log'))
    log[200] = log[200]! ^ 0xff
    writeFileSync(join(dir, 'nodes.log'), log)
    expect(() => FileStateStore.open(dir)).toThrow(StateStoreError)
  }, 120_000)
})

describe('rebuild worker', () => {
  it('runs the rebuild off the main thread and resumes from the checkpoint', async () => {
    const { runRebuildInWorker } = await import('./rebuildWorker')
    const { writeFileSync: write } = await import('node:fs')
    const dir = tmp()
    const blocksPath = join(dir, 'blocks.jsonl')
    const toJson = (b: { number: bigint; attributes: PayloadAttributes }): string =>
      JSON.stringify({ number: b.number.toString(), attributes: { ...b.attributes, timestamp: `0x${b.attributes.timestamp.toString(16)}`, gasLimit: `0x${b.attributes.gasLimit.toString(16)}` } })
    write(blocksPath, blocks(3).map(toJson).join('\n'))
    const job = {
      stateDir: join(dir, 'state'),
      configPath: vectorFile('op/genesis/op-sepolia-rollup-config.json'),
      genesisPath: vectorFile('op/genesis/op-sepolia-genesis.json'),
      blocksPath,
      checkpointEvery: 1,
    }
    const seen: bigint[] = []
    const result = await runRebuildInWorker(job, (p) => seen.push(p.blockNumber))
    expect(result.blockNumber).toBe('3')
    expect(seen).toEqual([1n, 2n, 3n])
    // Same inputs again: everything is at or below the checkpoint, nothing is re-executed.
    const again: bigint[] = []
    const second = await runRebuildInWorker(job, (p) => again.push(p.blockNumber))
    expect(second).toEqual(result)
    expect(again).toEqual([])
  }, 120_000)
})
