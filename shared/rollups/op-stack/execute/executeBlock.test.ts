import { readdirSync } from 'node:fs'
import { keccak256, type Hex } from 'viem'
import { describe, expect, it } from 'vitest'
import { readVectorJson, vectorPath } from '../../../../fixtures/vectors'
import { createWitnessStore } from '../state/createWitnessStore'
import { BlockExecutionError } from './errors'
import { executeBlock } from './executeBlock'
import { parseExecutorVector, type ExecutorVector } from './parseExecutorVector'

const files = readdirSync(vectorPath('op/executor')).filter((f) => f.endsWith('.json')).sort()
const load = (f: string): ExecutorVector => parseExecutorVector(readVectorJson(`op/executor/${f}`))

async function replay(v: ExecutorVector, witness = v.witness) {
  return executeBlock({ config: v.config, parent: v.parent, attributes: v.attributes, store: createWitnessStore({ blockNumber: v.blockNumber, witness }) })
}

async function problemOf(p: Promise<unknown>): Promise<BlockExecutionError> {
  try {
    await p
  } catch (e) {
    expect(e).toBeInstanceOf(BlockExecutionError)
    return e as BlockExecutionError
  }
  throw new Error('expected a BlockExecutionError, got a result')
}

describe('executeBlock replays real OP Sepolia blocks (kona fixtures) statelessly', () => {
  it('has the four shared vectors', () => expect(files.length).toBe(4))
  for (const f of files) {
    it(f, async () => {
      const v = load(f)
      const r = await replay(v)
      expect(r.blockHash).toBe(v.expectedBlockHash)
      if (v.expectedStateRoot) expect(r.stateRoot).toBe(v.expectedStateRoot)
      expect(r.header.number).toBe(v.blockNumber)
      expect(r.fork).toBe('holocene')
      // Deposit receipts carry the Canyon receipt version.
      expect(r.receipts[0]!.depositReceiptVersion).toBe(1n)
    })
  }
})

describe('executeBlock bad input: classified errors naming the block and item, never a result', () => {
  const v = load(files[0]!)
  const block = v.blockNumber

  it('a witness missing a node', async () => {
    // Drop the node of the L1Block account path that every block reads first (not the root itself).
    const keys = Object.keys(v.witness)
    let dropped: string | undefined
    let err: BlockExecutionError | undefined
    for (const k of keys) {
      if (k === v.parent.stateRoot) continue
      const witness = { ...v.witness }
      delete witness[k]
      try {
        const r = await replay(v, witness)
        // A node the block does not touch may be dropped without effect; the result must still be exact.
        expect(r.blockHash).toBe(v.expectedBlockHash)
      } catch (e) {
        err = e as BlockExecutionError
        dropped = k
        break
      }
    }
    expect(err).toBeInstanceOf(BlockExecutionError)
    expect(err!.problem).toBe('missing-witness-node')
    expect(err!.blockNumber).toBe(block)
    expect(err!.item).toContain(dropped)
    expect(err!.shortMessage).toContain(`L2 block ${block}`)
  }, 120_000)

  it('a node that does not hash to its key', async () => {
    const key = Object.keys(v.witness)[5]!
    const witness = { ...v.witness, [key]: `${v.witness[key]}00` }
    const err = await problemOf(replay(v, witness))
    expect(err.problem).toBe('invalid-witness-node')
    expect(err.blockNumber).toBe(block)
    expect(err.item).toContain(key)
  })

  it('a malformed transaction', async () => {
    const bad = { ...v, attributes: { ...v.attributes, transactions: [...v.attributes.transactions.slice(0, 3), '0x02c0' as Hex] } }
    const err = await problemOf(replay(bad))
    expect(err.problem).toBe('invalid-transaction')
    expect(err.item).toContain('tx 3')
    expect(err.item).toContain(keccak256('0x02c0'))
  })

  it('a malformed deposit', async () => {
    const bad = { ...v, attributes: { ...v.attributes, transactions: ['0x7ec0' as Hex] } }
    const err = await problemOf(replay(bad))
    expect(err.problem).toBe('invalid-transaction')
    expect(err.item).toContain('tx 0')
  })

  it('a blob transaction is rejected', async () => {
    const bad = { ...v, attributes: { ...v.attributes, transactions: [v.attributes.transactions[0]!, '0x03f8' as Hex] } }
    const err = await problemOf(replay(bad))
    expect(['invalid-transaction']).toContain(err.problem)
  })

  it('an unknown / unsupported fork', async () => {
    const config = { ...v.config, forks: { ...v.config.forks, jovian: 0, karst: 1 } }
    const err = await problemOf(executeBlock({ config, parent: v.parent, attributes: v.attributes, store: createWitnessStore({ blockNumber: block, witness: v.witness }) }))
    expect(err.problem).toBe('unsupported-fork')
    expect(err.item).toBe('karst')
    expect(err.blockNumber).toBe(block)
  })

  it('a wrong parent state root cannot produce a result', async () => {
    const err = await problemOf(executeBlock({ config: v.config, parent: { ...v.parent, stateRoot: keccak256('0x00') }, attributes: v.attributes, store: createWitnessStore({ blockNumber: block, witness: v.witness }) }))
    expect(err.problem).toBe('missing-witness-node')
  })

  it('a malformed vector file', () => {
    expect(() => parseExecutorVector({ schema: 'op-executor-vector/v1' })).toThrow(BlockExecutionError)
  })
})
