/**
 * The batcher round trip on the real devnet: anvil L1 with the real OP L1 contracts, L2 blocks posted to the batch
 * inbox by the batcher role — first as calldata, then as blob transactions — and read back by the app's own deriver
 * (deriveL2Blocks over createViemL1Source, blobs from anvil's beacon endpoint through createBeaconBlobSource, checked
 * against their versioned hashes with c-kzg). The derived blocks must be exactly the posted ones: timestamps, L1
 * origins, sequenced transactions byte for byte, and (through an execution oracle that answers with the chain's own
 * hashes) every span batch's parent check. Then the stop-posting switch: nothing reaches L1, derivation stops there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bytesToHex, getAddress } from 'viem'
import type { RollupConfig } from '../../../../../shared/rollups/op-stack/config/rollupConfig'
import { deriveL2Blocks } from '../../../../../shared/rollups/op-stack/derive/deriveL2Blocks'
import type { DerivedL2Block, ExecutionOracle } from '../../../../../shared/rollups/op-stack/derive/l2Types'
import { createBeaconBlobSource } from '../../../../services/blobs/createBeaconBlobSource'
import { loadKzg } from '../../../../services/kzg'
import { createNodeDecompressor } from '../../../../services/l1/createNodeDecompressor'
import { createViemL1Source } from '../../../../services/l1/createViemL1Source'
import { DEVNET_ROLES, startDevnet, type Devnet } from '../../../devnet'
import { devnetPublicClient } from '../../../devnetClients'
import { readDevnetRollupConfig } from '../../readDevnetRollupConfig'
import { connectDevnetL1 } from '../../../sendDevnetTransaction'
import { mine } from '../../../timeTravel'
import { createOpL2Switches } from '../types'
import { createOpBatcher, type OpBatcher, type PostedChannel } from './createOpBatcher'
import { createFakeOpL2Chain, type FakeOpL2Chain } from './test-support/fakeOpL2Chain'

let devnet: Devnet
let config: RollupConfig
let chain: FakeOpL2Chain
let batcher: OpBatcher
const switches = createOpL2Switches()

/** Extend the L2 chain until its L1 origin is the L1 head (what a live sequencer does), plus `extra` blocks. */
async function sequenceToL1Head(extra = 2): Promise<void> {
  const head = await devnetPublicClient(devnet.l1.rpcUrl).getBlockNumber()
  while (chain.head().l1Origin.number < head) await chain.extend(1)
  await chain.extend(extra)
}

/** The deriver sees the chain through this: the chain's own hash for a payload that matches its block, else invalid. */
const oracle = (): ExecutionOracle => ({
  async execute(parent, attributes) {
    const block = chain.block(BigInt(parent.number + 1))
    if (!block || block.header.parentHash !== parent.hash || BigInt(attributes.timestamp) !== block.header.timestamp) return { status: 'invalid', reason: 'not the chain block' }
    const sequenced = attributes.transactions.filter((t) => t[0] !== 0x7e).map((t) => bytesToHex(t))
    if (JSON.stringify(sequenced) !== JSON.stringify(block.transactions.filter((t) => !t.deposit).map((t) => t.raw))) return { status: 'invalid', reason: 'other transactions' }
    return { status: 'valid', blockHash: block.hash }
  },
})

async function derive(): Promise<{ blocks: DerivedL2Block[]; batcherTransactions: number }> {
  const head = Number(await devnetPublicClient(devnet.l1.rpcUrl).getBlockNumber())
  const r = await deriveL2Blocks({
    config,
    l1: createViemL1Source({ rpcUrls: [devnet.l1.rpcUrl] }),
    blobs: createBeaconBlobSource({ kzg: loadKzg(), beaconUrl: devnet.l1.beaconUrl }),
    decompressor: createNodeDecompressor(),
    oracle: oracle(),
    toL1Block: head,
  })
  return { blocks: r.blocks, batcherTransactions: r.progress.batcherTransactions }
}

function expectDerivedEqualsChain(derived: DerivedL2Block[], upTo: bigint): void {
  expect(derived.map((b) => b.ref.number)).toEqual(Array.from({ length: Number(upTo) }, (_, i) => i + 1))
  for (const d of derived) {
    const want = chain.block(BigInt(d.ref.number))!
    expect(d.execution).toBe('executed')
    expect(d.emptyBatch).toBe(false)
    expect(d.ref.hash).toBe(want.hash)
    expect(BigInt(d.ref.timestamp)).toBe(want.header.timestamp)
    expect({ number: BigInt(d.ref.l1Origin.number), hash: d.ref.l1Origin.hash }).toEqual({ number: want.l1Origin.number, hash: want.l1Origin.hash })
    expect(BigInt(d.ref.sequenceNumber)).toBe(want.sequenceNumber)
    expect(d.attributes.transactions.slice(d.depositCount).map((t) => bytesToHex(t))).toEqual(want.transactions.filter((t) => !t.deposit).map((t) => t.raw))
  }
}

beforeAll(async () => {
  devnet = await startDevnet({ stacks: ['op'] })
  const op = devnet.manifest.op!
  config = await readDevnetRollupConfig(devnet.l1.rpcUrl, op)
  chain = createFakeOpL2Chain(devnetPublicClient(devnet.l1.rpcUrl), config)
  const key = devnet.anvil.accounts[DEVNET_ROLES.opBatcher]!
  batcher = createOpBatcher({
    l1: await connectDevnetL1(devnet.l1.rpcUrl, devnet.anvil),
    key,
    batchInbox: op.batchInbox,
    chain: { genesisL2Time: config.genesis.l2Time, l2ChainId: config.l2ChainId },
    view: chain,
    switches,
  })
}, 180_000)

afterAll(async () => {
  await devnet?.stop()
})

describe('devnet OP batcher → L1 → our deriver', () => {
  const posts: PostedChannel[] = []

  it('posts span batches as calldata that derive back to exactly the posted blocks', async () => {
    await mine(devnet.l1.rpcUrl, 2, 12)
    await sequenceToL1Head()
    expect(batcher.address).toBe(getAddress(config.genesis.systemConfig.batcherAddress))
    posts.push(...(await batcher.postPending()))
    expect(posts).toHaveLength(1)
    expect(posts[0]).toMatchObject({ mode: 'calldata', firstBlock: 1n, lastBlock: chain.head().number })
    const tx = await devnetPublicClient(devnet.l1.rpcUrl).getTransaction({ hash: posts[0]!.l1TxHashes[0]! })
    expect(tx.to?.toLowerCase()).toBe(config.batchInboxAddress.toLowerCase())
    expect(tx.input.slice(0, 4)).toBe('0x00') // derivation version 0, then the frame
    const { blocks } = await derive()
    expectDerivedEqualsChain(blocks, batcher.postedUpTo())
    expect(chain.blocks.slice(1).some((b) => b.transactions.length > 2)).toBe(true) // real sequenced txs were carried
  }, 120_000)

  it('posts the next blocks as blob transactions that derive back too (blobs from the beacon endpoint)', async () => {
    await mine(devnet.l1.rpcUrl, 2, 12)
    await sequenceToL1Head()
    batcher.mode = 'blob'
    const before = batcher.postedUpTo()
    const blobPosts = await batcher.postPending()
    expect(blobPosts).toHaveLength(1)
    expect(blobPosts[0]).toMatchObject({ mode: 'blob', firstBlock: before + 1n, lastBlock: chain.head().number })
    const tx = await devnetPublicClient(devnet.l1.rpcUrl).getTransaction({ hash: blobPosts[0]!.l1TxHashes[0]! })
    expect(tx.type).toBe('eip4844')
    expect(tx.blobVersionedHashes).toHaveLength(1)
    posts.push(...blobPosts)
    const { blocks, batcherTransactions } = await derive()
    expect(batcherTransactions).toBe(2)
    expectDerivedEqualsChain(blocks, batcher.postedUpTo())
  }, 120_000)

  it('posts nothing while stopped; the blocks are posted (and derived) once it resumes', async () => {
    await chain.extend(3)
    switches.batcherStopped = true
    const nonce = await devnetPublicClient(devnet.l1.rpcUrl).getTransactionCount({ address: batcher.address })
    expect(await batcher.postPending()).toEqual([])
    expect(await devnetPublicClient(devnet.l1.rpcUrl).getTransactionCount({ address: batcher.address })).toBe(nonce)
    const before = batcher.postedUpTo()
    expect(chain.head().number).toBeGreaterThan(before)
    expectDerivedEqualsChain((await derive()).blocks, before)

    switches.batcherStopped = false
    batcher.mode = 'calldata'
    const resumed = await batcher.postPending()
    expect(resumed).toHaveLength(1)
    expect(batcher.postedUpTo()).toBe(chain.head().number)
    expectDerivedEqualsChain((await derive()).blocks, chain.head().number)
  }, 120_000)

  it('skips a block derivation forced (already on L1 as an empty batch): one channel before it, one after', async () => {
    const start = batcher.postedUpTo()
    const added = await chain.extend(5)
    const forced = added[2]!
    Object.assign(forced, { forcedByDerivation: true })
    const channels = await batcher.postPending()
    expect(channels.map((c) => [c.firstBlock, c.lastBlock])).toEqual([
      [start + 1n, forced.number - 1n],
      [forced.number + 1n, chain.head().number],
    ])
    expect(batcher.postedUpTo()).toBe(chain.head().number)
  }, 120_000)
})
