/**
 * The roles on the real devnet OP L2 (chain/: real predeploys, our executor): an L1 deposit and L2 transfers are
 * sequenced, the batcher posts them (calldata, then blobs), and the app's own deriver reads L1 back to exactly the
 * chain's blocks — every transaction byte, deposits included (the L1-info deposit the sequencer built equals the one
 * derivation builds); the proposer's games carry the chain's output roots of posted blocks only; the RPC serves blocks
 * that verify and a message-passer proof that verifies against the block's state root.
 */
import { keccak_256 } from '@noble/hashes/sha3.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bytesToHex, createPublicClient, getAddress, hexToBytes, http, keccak256, parseEther, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { faultDisputeGameAbi } from '../../../../contracts-abi/op-stack/FaultDisputeGame'
import { optimismPortal2Abi } from '../../../../contracts-abi/op-stack/OptimismPortal2'
import { deriveL2Blocks } from '../../../../shared/rollups/op-stack/derive/deriveL2Blocks'
import { verifyL2Block } from '../../../../shared/rollups/op-stack/derive/start/verifyL2Block'
import { replayRange } from '../../../../shared/rollups/op-stack/replay/replayRange'
import { verifyProof } from '../../../../shared/trie/verifyProof'
import { createBeaconBlobSource } from '../../../services/blobs/createBeaconBlobSource'
import { loadKzg } from '../../../services/kzg'
import { createNodeDecompressor } from '../../../services/l1/createNodeDecompressor'
import { createViemL1Source } from '../../../services/l1/createViemL1Source'
import { createRpcL2BlockSource } from '../../../services/op/createRpcL2BlockSource'
import { startAnvil, type AnvilHandle } from '../../anvil'
import { mine } from '../../timeTravel'
import { opBatcherRole, type RunningOpBatcher } from './batcher/startOpBatcher'
import { deployOpStackWithL2, type OpL2Devnet } from './chain/deployOpStackWithL2'
import { opProposerRole, type RunningOpProposer } from './proposer/startOpProposer'
import type { ProposedGame } from './proposer/createOpProposer'
import { opL2RpcRole } from './rpc/serveOpL2Rpc'
import { startOpL2, type OpL2 } from './startOpL2'
import type { OpL2RpcServer } from './types'

let anvil: AnvilHandle
let devnet: OpL2Devnet
let l2: OpL2
let batcher: RunningOpBatcher
let proposer: RunningOpProposer
let rpc: OpL2RpcServer
const proposed: ProposedGame[] = []
const l1 = () => createPublicClient({ transport: http(anvil.rpcUrl), cacheTime: 0 })
const l2Call = async (method: string, params: unknown[]) =>
  (await fetch(rpc.url, { method: 'POST', body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) }).then((r) => r.json())) as { result?: string; error?: { code: number; message: string } }

beforeAll(async () => {
  anvil = await startAnvil()
  const [deployer, batcherKey, proposerKey, challenger] = anvil.accounts
  devnet = await deployOpStackWithL2({ rpcUrl: anvil.rpcUrl, deployer: deployer!, batcher: batcherKey!, proposer: proposerKey!, challenger: challenger!, l1Node: anvil })
  l2 = await startOpL2({
    l1RpcUrl: anvil.rpcUrl,
    l1Node: anvil,
    devnet,
    roles: [
      opBatcherRole({ key: batcherKey!, dataAvailability: 'calldata', postEveryBlocks: 1_000_000 }),
      opProposerRole({ key: proposerKey!, intervalBlocks: 4, safeHead: () => batcher.batcher.postedUpTo(), onProposed: (g) => proposed.push(g) }),
      opL2RpcRole(),
    ],
  })
  batcher = l2.roles[0] as RunningOpBatcher
  proposer = l2.roles[1] as RunningOpProposer
  rpc = l2.roles[2] as OpL2RpcServer
}, 300_000)

afterAll(async () => {
  await l2?.stop()
  await anvil?.stop()
})

describe('devnet OP L2 roles on the real chain', () => {
  it('batches (calldata, then blobs) derive back to exactly the chain, deposits included', async () => {
    const user = privateKeyToAccount(anvil.accounts[6]!.privateKey)
    const wallet = (await import('viem')).createWalletClient({ account: user, transport: http(anvil.rpcUrl) })
    const hash = await wallet.writeContract({ address: devnet.deployment.contracts.optimismPortal, abi: optimismPortal2Abi, functionName: 'depositTransaction', args: [user.address, 0n, 100_000n, false, '0x'], value: parseEther('1'), chain: null })
    await l1().waitForTransactionReceipt({ hash })
    await mine(anvil.rpcUrl, 2, 12)
    await l2.tick()
    const nonceHex = (await l2Call('eth_getTransactionCount', [user.address, 'latest'])).result
    expect(nonceHex).toBe('0x1') // the deposit bumped it
    const raw = await user.signTransaction({ type: 'eip1559', chainId: l2.chain.chainId, nonce: Number(nonceHex), to: getAddress(anvil.accounts[7]!.address), value: parseEther('0.1'), gas: 21_000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 10n ** 6n })
    const sent = await l2Call('eth_sendRawTransaction', [raw])
    expect(sent.error).toBeUndefined()
    expect(sent.result).toBe(keccak256(raw))
    await mine(anvil.rpcUrl, 1, 12)
    await l2.tick()
    expect(l2.chain.transaction(keccak256(raw))).toBeDefined()
    await batcher.flush()
    batcher.batcher.mode = 'blob'
    await mine(anvil.rpcUrl, 1, 12)
    await l2.tick()
    await batcher.flush()
    const posted = batcher.batcher.postedUpTo()
    expect(posted).toBe(l2.chain.head().number)

    const config = devnet.genesis.rollupConfig
    const r = await deriveL2Blocks({
      config,
      l1: createViemL1Source({ rpcUrls: [anvil.rpcUrl] }),
      blobs: createBeaconBlobSource({ kzg: loadKzg(), beaconUrl: anvil.beaconUrl }),
      decompressor: createNodeDecompressor(),
      toL1Block: Number(await l1().getBlockNumber()),
    })
    expect(r.blocks.length).toBe(Number(posted))
    for (const d of r.blocks) {
      const b = l2.chain.block(BigInt(d.ref.number))!
      expect(BigInt(d.ref.timestamp)).toBe(b.header.timestamp)
      expect(BigInt(d.ref.l1Origin.number)).toBe(b.l1Origin.number)
      expect(d.attributes.transactions.map((t) => bytesToHex(t))).toEqual(b.transactions.map((t) => t.raw))
    }
  }, 300_000)

  it('proposes games with the chain output roots of posted blocks only', async () => {
    await proposer.flush()
    const all = [...proposed]
    expect(all.length).toBeGreaterThan(0)
    for (const g of all) {
      expect(g.l2BlockNumber).toBeLessThanOrEqual(batcher.batcher.postedUpTo())
      expect(await l1().readContract({ address: g.game, abi: faultDisputeGameAbi, functionName: 'rootClaim' })).toBe(l2.chain.block(g.l2BlockNumber)!.outputRoot)
    }
  }, 120_000)

  it('serves blocks that verify and a message-passer proof against the state root', async () => {
    const node = createRpcL2BlockSource({ url: rpc.url, retryCount: 0 })
    const head = l2.chain.head()
    const block = verifyL2Block({ config: devnet.genesis.rollupConfig, block: await node.blockByNumber(Number(head.number)), expectedHash: head.hash })
    const passer = '0x4200000000000000000000000000000000000016'
    const proof = await node.accountProof(passer, block.hash)
    const leaf = verifyProof({ root: hexToBytes(block.header.stateRoot), key: keccak_256(hexToBytes(passer)), proof: proof.accountProof.map((x: Hex) => hexToBytes(x)) })
    expect(leaf).not.toBeNull()
    expect(proof.storageHash).toBe(head.messagePasserStorageRoot)
  }, 120_000)

  it('serves witnesses our executor replays to the chain output root; the lying witness and header are refuted', async () => {
    const node = createRpcL2BlockSource({ url: rpc.url, retryCount: 0 })
    const config = devnet.genesis.rollupConfig
    const head = l2.chain.head()
    const from = head.number - 3n
    const anchor = verifyL2Block({ config, block: await node.blockByNumber(Number(from)), expectedHash: l2.chain.block(from)!.hash })
    const replayed = await replayRange({ config, anchor, toBlock: head.number, source: node })
    expect(replayed.outputRoot).toBe(head.outputRoot)
    const refusals = { 'wrong-witness': /missing|witness|node/i, 'wrong-header': /hash/i } as const
    for (const lie of ['wrong-witness', 'wrong-header'] as const) {
      l2.switches.rpcLies = lie
      try {
        await expect(replayRange({ config, anchor, toBlock: head.number, source: node })).rejects.toThrow(refusals[lie])
      } finally {
        l2.switches.rpcLies = undefined
      }
    }
  }, 300_000)
})
