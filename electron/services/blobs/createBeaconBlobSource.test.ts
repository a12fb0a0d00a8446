/**
 * Blob retrieval and full OP derivation from blobs against a real anvil (which serves the beacon blobs API) on
 * loopback; plus pruning and lying-archive behaviour.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createServer, type Server } from 'node:http'
import { parseGwei, toHex, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { createRequire } from 'node:module'
import { startAnvil, type AnvilHandle } from '../../devnet/anvil'
import { loadKzg } from '../kzg'
import { createBeaconBlobSource } from './createBeaconBlobSource'
import { createViemL1Source } from '../l1/createViemL1Source'
import { createNodeDecompressor } from '../l1/createNodeDecompressor'
import { BlobsPrunedError, BlobUnavailableError } from '../../../shared/l1/BlobSource'
import { BlobMismatchError, versionedHashFromCommitment } from '../../../shared/l1/kzg'
import { encodeBlob } from '../../../shared/rollups/op-stack/derive/encodeBlob'
import { decodeBlob } from '../../../shared/rollups/op-stack/derive/decodeBlob'
import { deriveL2Blocks } from '../../../shared/rollups/op-stack/derive/deriveL2Blocks'
import { parseRollupConfig } from '../../../shared/rollups/op-stack/config/rollupConfig'
import { batcherPayload, encodeChannel, encodeSingularBatch, splitFrames } from '../../../shared/rollups/op-stack/derive/test-support/syntheticL1'
import { devnetWalletClient } from '../../devnet/devnetClients'

const INBOX = '0xff00000000000000000000000000000000000901' as const
let anvil: AnvilHandle
let blobTxBlock: { number: number; hash: Hex; timestamp: number }
let blob: Uint8Array
let versionedHash: Hex
let genesis: { hash: Hex; timestamp: number }
let server: Server
let archiveUrl: string

async function rpc<T>(method: string, params: unknown[] = []): Promise<T> {
  const r = await fetch(anvil.rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })
  return ((await r.json()) as { result: T }).result
}

beforeAll(async () => {
  anvil = await startAnvil()
  const kzg = loadKzg()
  const g = await rpc<{ hash: Hex; timestamp: Hex }>('eth_getBlockByNumber', ['0x0', false])
  genesis = { hash: g.hash, timestamp: Number(g.timestamp) }
  // An OP batcher blob: one channel with one singular batch for L2 block 1 (origin = L1 genesis).
  const l2Genesis = `0x${'22'.repeat(32)}` as Hex
  const batch = encodeSingularBatch({ parentHash: l2Genesis, epochNum: 0, epochHash: genesis.hash, timestamp: genesis.timestamp + 2, transactions: [new Uint8Array([0x02, 0xaa, 0xbb])] })
  blob = encodeBlob(batcherPayload(splitFrames('55'.repeat(16), encodeChannel([batch]), 1)))
  versionedHash = versionedHashFromCommitment(kzg.blobToKzgCommitment(blob))
  const account = privateKeyToAccount(anvil.accounts[0]!.privateKey)
  const wallet = devnetWalletClient(anvil.rpcUrl, account, { chain: { id: anvil.chainId, name: 'anvil', nativeCurrency: { name: 'E', symbol: 'E', decimals: 18 }, rpcUrls: { default: { http: [anvil.rpcUrl] } } } })
  const cKzg = createRequire(import.meta.url)('c-kzg')
  const txHash = await wallet.sendTransaction({ blobs: [toHex(blob)], kzg: cKzg, maxFeePerBlobGas: parseGwei('30'), to: INBOX })
  // anvil may mine a blob tx a moment after accepting it: wait for the receipt.
  let receipt: { blockNumber: Hex; blockHash: Hex } | null = null
  for (let i = 0; i < 200 && !receipt; i++) {
    receipt = await rpc<{ blockNumber: Hex; blockHash: Hex } | null>('eth_getTransactionReceipt', [txHash])
    if (!receipt) await new Promise((r) => setTimeout(r, 50))
  }
  if (!receipt) throw new Error('blob transaction was not mined')
  const b = await rpc<{ timestamp: Hex }>('eth_getBlockByHash', [receipt.blockHash, false])
  blobTxBlock = { number: Number(receipt.blockNumber), hash: receipt.blockHash, timestamp: Number(b.timestamp) }
  await rpc('anvil_mine', ['0x4'])
  // A "blob archive" that lies: it returns a different valid blob for any block.
  const other = toHex(encodeBlob(new Uint8Array([9, 9, 9])))
  server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json')
    res.end(JSON.stringify({ data: [other] }))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  archiveUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}`
}, 60_000)

afterAll(async () => {
  await anvil?.stop()
  await new Promise((r) => server?.close(r))
})

describe('beacon BlobSource', () => {
  it('returns the blob (verified against its versioned hash) and it decodes to the batcher frames', async () => {
    const src = createBeaconBlobSource({ beaconUrl: anvil.beaconUrl, kzg: loadKzg() })
    const [got] = await src.getBlobs(blobTxBlock, [versionedHash])
    expect(Buffer.from(got!).equals(Buffer.from(blob))).toBe(true)
    expect(decodeBlob(got!)[0]).toBe(0) // derivation version byte
  })

  it('derives the L2 block from the blob batcher transaction end to end (anvil L1, beacon blobs)', async () => {
    const config = parseRollupConfig({
      l1_chain_id: anvil.chainId,
      l2_chain_id: 901,
      genesis: { l1: { hash: genesis.hash, number: 0 }, l2: { hash: `0x${'22'.repeat(32)}`, number: 0 }, l2_time: genesis.timestamp, system_config: { batcherAddr: anvil.accounts[0]!.address, overhead: '0x00', scalar: `0x01${'00'.repeat(31)}`, gasLimit: 30_000_000 } },
      block_time: 2, max_sequencer_drift: 600, seq_window_size: 100, channel_timeout: 300,
      regolith_time: 0, canyon_time: 0, delta_time: 0, ecotone_time: 0, fjord_time: 0, granite_time: 0, holocene_time: 0, isthmus_time: 0,
      batch_inbox_address: INBOX, deposit_contract_address: `0x${'00'.repeat(19)}01`, l1_system_config_address: `0x${'00'.repeat(19)}02`,
    })
    const r = await deriveL2Blocks({
      config,
      l1: createViemL1Source({ rpcUrls: [anvil.rpcUrl] }),
      blobs: createBeaconBlobSource({ beaconUrl: anvil.beaconUrl, kzg: loadKzg() }),
      decompressor: createNodeDecompressor(),
      toL1Block: blobTxBlock.number + 2,
    })
    expect(r.blocks.length).toBeGreaterThanOrEqual(1)
    const b1 = r.blocks[0]!
    expect(b1.ref.number).toBe(1)
    expect(b1.ref.l1Origin.hash).toBe(genesis.hash)
    expect(b1.attributes.transactions.at(-1)).toEqual(new Uint8Array([0x02, 0xaa, 0xbb]))
    expect(b1.derivedFrom.number).toBe(blobTxBlock.number)
    expect(r.progress.batcherTransactions).toBe(1)
  }, 60_000)

  it('names the pruned L1 block and what to configure when blobs are past retention', async () => {
    const missing = `0x01${'ab'.repeat(31)}` as Hex
    const in30Days = () => blobTxBlock.timestamp + 30 * 86400
    const empty = createBeaconBlobSource({ beaconUrl: anvil.beaconUrl, kzg: loadKzg(), now: in30Days })
    const old = { number: blobTxBlock.number + 1, hash: `0x${'00'.repeat(32)}` as Hex, timestamp: blobTxBlock.timestamp }
    const pruned = await empty.getBlobs(old, [missing]).catch((e: unknown) => e)
    expect(pruned).toBeInstanceOf(BlobsPrunedError)
    expect((pruned as BlobsPrunedError).shortMessage).toContain(`L1 block ${old.number}`)
    expect((pruned as BlobsPrunedError).steps.join(' ')).toMatch(/blob archive/)
    const recent = await createBeaconBlobSource({ beaconUrl: anvil.beaconUrl, kzg: loadKzg() }).getBlobs(old, [missing]).catch((e: unknown) => e)
    expect(recent).toBeInstanceOf(BlobUnavailableError)
  })

  it('rejects a lying blob archive, naming it', async () => {
    const src = createBeaconBlobSource({ archiveUrl, kzg: loadKzg() })
    const err = await src.getBlobs(blobTxBlock, [versionedHash]).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(BlobMismatchError)
    expect((err as BlobMismatchError).shortMessage).toContain(archiveUrl)
  })
})
