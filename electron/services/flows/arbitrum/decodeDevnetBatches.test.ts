// The app's batch decoder against batches a different implementation posted to the real SequencerInbox: the devnet
// batch poster (calldata and EIP-4844 blobs, served by anvil's beacon API). Rebuilding every L2 block's transactions
// from L1 alone must give exactly the devnet L2's blocks; a blob that does not match its versioned hash is refused.
import { parseEther, type Hex } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BlobMismatchError } from '../../../../shared/l1/kzg'
import { decodeBatch } from '../../../../shared/rollups/arbitrum-nitro/derive/decodeBatch'
import { readSequencerBatches } from '../../../../shared/rollups/arbitrum-nitro/derive/readSequencerBatch'
import { readDelayedMessagesInRange, type TrackedDelayedMessage } from '../../../../shared/rollups/arbitrum-nitro/status/trackDelayedMessage'
import { startArbitrumDevnet, type ArbitrumDevnet } from '../../../devnet/arbitrum/startArbitrumDevnet'
import { DEVNET_ROLES, startDevnet, type Devnet } from '../../../devnet/devnet'
import { createBeaconBlobSource } from '../../blobs/createBeaconBlobSource'
import { loadKzg } from '../../kzg'
import { nodeBrotliDecompressor } from './nodeBrotliDecompressor'
import { devnetPublicClient } from '../../../devnet/devnetClients'

let devnet: Devnet
let l2: ArbitrumDevnet

beforeAll(async () => {
  devnet = await startDevnet({ stacks: ['arbitrum'] })
  l2 = await startArbitrumDevnet({ l1: devnet.anvil, deployment: devnet.arbitrum!, batchMode: 'calldata' })
})
afterAll(async () => {
  await l2?.stop()
  await devnet?.stop()
})

describe('decoding the devnet’s real batches from L1', () => {
  it('rebuilds every L2 block’s transactions from calldata and blob batches alone', async () => {
    const network = devnet.arbitrum!.network
    const users = [DEVNET_ROLES.user1, DEVNET_ROLES.user2, DEVNET_ROLES.user3].map((i) => devnet.anvil.accounts[i]!.address)
    await l2.fund(users[0]!, parseEther('1'))
    l2.setBatchMode('blob')
    await l2.fund(users[1]!, parseEther('2'))
    await l2.fund(users[2]!, parseEther('3'))
    l2.setBatchMode('calldata')
    await l2.depositFromL1(devnet.anvil.accounts[DEVNET_ROLES.user4]!, parseEther('0.5'))
    await l2.sync()

    const l1 = devnetPublicClient(devnet.l1.rpcUrl)
    const head = await l1.getBlockNumber()
    const delayed = new Map<bigint, TrackedDelayedMessage>()
    for (const m of await readDelayedMessagesInRange(l1, network, 0n, head)) delayed.set(m.index, m)
    const kzg = loadKzg()
    const batches = await readSequencerBatches({ l1, network, fromBlock: 0n, toBlock: head, blobSource: createBeaconBlobSource({ beaconUrl: devnet.anvil.beaconUrl, kzg }) })

    const decodedBlocks: Hex[][] = []
    const locations = new Set<string>()
    let delayedRead = 0n
    for (const batch of batches) {
      locations.add(batch.dataLocation)
      const blobInput = batch.blobs ? { kzg, blobs: batch.blobs, source: devnet.anvil.beaconUrl } : undefined
      if (batch.blobs) {
        // Tamper: one flipped bit in a blob is refused before decoding.
        const tampered = batch.blobs.map((b) => b.slice())
        tampered[0]![5000]! ^= 1
        expect(() => decodeBatch({ data: batch.data, header: batch.header, delayedMessagesReadBefore: delayedRead, chainId: BigInt(network.l2ChainId), decompressor: nodeBrotliDecompressor, blobs: { kzg, blobs: tampered } })).toThrow(BlobMismatchError)
      }
      const decoded = decodeBatch({
        data: batch.data, header: batch.header, delayedMessagesReadBefore: delayedRead, chainId: BigInt(network.l2ChainId), decompressor: nodeBrotliDecompressor, blobs: blobInput,
        readDelayedMessage: (i) => delayed.get(i),
      })
      // The rollup's initial batch (and any forceInclusion) carries no data by design.
      expect(decoded.warnings).toEqual(batch.data.length === 0 ? ['Empty batch data.'] : [])
      for (const m of decoded.messages) decodedBlocks.push(m.transactions.map((t) => t.hash))
      delayedRead = batch.header.afterDelayedMessagesRead
    }
    expect(locations.has('TxInput') && locations.has('Blob')).toBe(true) // calldata and blob batches were both decoded

    const chainBlocks = l2.chain().blocks.map((b) => b.transactions.map((t) => t.hash))
    expect(decodedBlocks.length).toBe(chainBlocks.length)
    expect(decodedBlocks).toEqual(chainBlocks)
    expect(decodedBlocks.flat().length).toBeGreaterThanOrEqual(4)
  }, 180_000)
})
