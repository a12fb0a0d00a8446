import { hexToBytes, type Hex } from 'viem'
import { describe, expect, it } from 'vitest'
import { readVectorJson } from '../../../../fixtures/vectors'
import { hashHeader, type BlockHeader } from '../../../eth/header'
import { UntrustedL2DataError } from '../derive/start/errors'
import type { UntrustedL2Block } from '../derive/start/L2BlockSource'
import { parseExecutorVector, type ExecutorVector } from '../execute/parseExecutorVector'
import { attributesFromBlock } from './attributesFromBlock'
import { replayRange, type ReplaySource } from './replayRange'

// Two consecutive real OP Sepolia blocks (kona fixtures, fixtures/vectors/README.md): 26207960 and 26207961.
const raw60 = readVectorJson<Record<string, unknown>>('op/executor/op-sepolia-block-26207960.json')
const raw61 = readVectorJson<Record<string, unknown>>('op/executor/op-sepolia-block-26207961.json')
const v60 = parseExecutorVector(raw60)
const v61 = parseExecutorVector(raw61)
/** The vector's expectedHeader, read with the same parser as its parent header. */
const headerOf = (raw: Record<string, unknown>): BlockHeader & { hash: Hex } => {
  const h = parseExecutorVector({ ...raw, parentHeader: raw.expectedHeader }).parent
  return { ...h, hash: hashHeader({ ...h, hash: undefined }) }
}
const blocks = new Map<bigint, { header: BlockHeader & { hash: Hex }; vector: ExecutorVector }>([
  [v60.blockNumber, { header: headerOf(raw60), vector: v60 }],
  [v61.blockNumber, { header: headerOf(raw61), vector: v61 }],
])
const anchor = { hash: v60.parent.hash as Hex, header: v60.parent, transactions: [] }

interface Lies {
  witness?: bigint
  header?: bigint
}
function source(lies: Lies = {}): ReplaySource {
  return {
    label: 'l2.example',
    async blockByNumber(n): Promise<UntrustedL2Block> {
      const b = blocks.get(BigInt(n))
      if (!b) throw new Error(`no block ${n}`)
      let header = b.header
      if (lies.header === BigInt(n)) {
        // A self-consistent lie: a different state root, and the hash of that forged header.
        const forged = { ...header, stateRoot: `0x${'11'.repeat(32)}` as Hex, hash: undefined }
        header = { ...forged, hash: hashHeader(forged) }
      }
      return { header, transactions: b.vector.attributes.transactions.map((t) => hexToBytes(t)) }
    },
    async executionWitness(n) {
      const b = blocks.get(BigInt(n))
      if (!b) throw new Error(`no witness ${n}`)
      const state = Object.values(b.vector.witness)
      if (lies.witness === BigInt(n)) {
        // One flipped byte in the largest node (a real branch node the execution needs).
        const i = state.reduce((best, v, k) => (v.length > state[best]!.length ? k : best), 0)
        const v = state[i]!
        state[i] = `${v.slice(0, 10)}${v[10] === 'f' ? 'e' : 'f'}${v.slice(11)}`
      }
      return { state, codes: [], keys: [], headers: [] }
    },
  }
}

async function failure(p: Promise<unknown>): Promise<UntrustedL2DataError> {
  try {
    await p
  } catch (e) {
    expect(e).toBeInstanceOf(UntrustedL2DataError)
    return e as UntrustedL2DataError
  }
  throw new Error('expected the replay to be refused')
}

describe('attributesFromBlock', () => {
  it('reads back the payload attributes the real blocks were built from', () => {
    for (const { header, vector } of blocks.values()) {
      const a = attributesFromBlock(vector.config, header, vector.attributes.transactions.map((t) => hexToBytes(t)))
      expect(a).toEqual({ ...vector.attributes, eip1559Params: a.eip1559Params })
      // The vectors' attributes carry explicit Holocene parameters: the block's extraData gives them back exactly.
      expect(a.eip1559Params).toBe(vector.attributes.eip1559Params)
    }
  })
})

describe('replayRange re-executes consecutive real blocks with witnesses from an untrusted node', () => {
  it('reaches the real block hash and state root of the last block, counting gas and transactions', async () => {
    const seen: bigint[] = []
    const r = await replayRange({ config: v60.config, anchor, toBlock: v61.blockNumber, source: source(), onProgress: (p) => seen.push(p.head) })
    expect(r.head.hash).toBe(v61.expectedBlockHash)
    expect(r.head.stateRoot).toBe(v61.expectedStateRoot)
    expect(r.blocks).toBe(2)
    expect(r.transactions).toBe(v60.attributes.transactions.length + v61.attributes.transactions.length)
    expect(r.gasUsed).toBe(blocks.get(v60.blockNumber)!.header.gasUsed + blocks.get(v61.blockNumber)!.header.gasUsed)
    expect(seen).toEqual([v60.blockNumber, v61.blockNumber])
  }, 120_000)

  it('refuses a witness with one flipped byte, naming the node and the block', async () => {
    const e = await failure(replayRange({ config: v60.config, anchor, toBlock: v61.blockNumber, source: source({ witness: v61.blockNumber }) }))
    expect(e.problem).toBe('witness')
    expect(e.message).toContain(`block ${v61.blockNumber}`)
    expect(e.message).toContain('l2.example')
  }, 120_000)

  it('refuses a self-consistent forged header: re-execution gives another state root', async () => {
    const e = await failure(replayRange({ config: v60.config, anchor, toBlock: v60.blockNumber, source: source({ header: v60.blockNumber }) }))
    expect(e.problem).toBe('execution')
    expect(e.details).toContain('stateRoot')
  }, 120_000)

  it('refuses a block that does not follow the anchor', async () => {
    const wrongAnchor = { ...anchor, hash: `0x${'22'.repeat(32)}` as Hex }
    const e = await failure(replayRange({ config: v60.config, anchor: wrongAnchor, toBlock: v60.blockNumber, source: source() }))
    expect(e.problem).toBe('parent')
  })
})
