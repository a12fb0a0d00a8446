/**
 * The devnet L2 end to end with its batcher (batcher/startOpBatcher): blocks with sequenced txs (an L2 transfer and an
 * initiateWithdrawal) and deposits, posted to the batch inbox, are what the app's own rebuild from L1 alone derives
 * and executes — same block hashes and output roots.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPublicClient, createWalletClient, encodeFunctionData, getAddress, http, keccak256, parseEther } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { l2ToL1MessagePasserAbi } from '../../../../../contracts-abi/op-stack/L2ToL1MessagePasser'
import { createNodeDecompressor } from '../../../../services/l1/createNodeDecompressor'
import { createViemL1Source } from '../../../../services/l1/createViemL1Source'
import { rebuildChain } from '../../../../services/opRebuild/rebuildChain'
import { startAnvil, type AnvilHandle } from '../../../anvil'
import { mine } from '../../../timeTravel'
import { startOpBatcher, type RunningOpBatcher } from '../batcher/startOpBatcher'
import { startOpL2, type OpL2 } from '../startOpL2'
import { deployOpStackWithL2, type OpL2Devnet } from './deployOpStackWithL2'
import { L2_PREDEPLOYS } from './predeployAddresses'

let anvil: AnvilHandle
let devnet: OpL2Devnet
let l2: OpL2
let dir: string

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'op-l2-batcher-'))
  anvil = await startAnvil()
  const [deployer, batcher, proposer, challenger] = anvil.accounts
  devnet = await deployOpStackWithL2({ rpcUrl: anvil.rpcUrl, deployer: deployer!, batcher: batcher!, proposer: proposer!, challenger: challenger!, l1Node: anvil })
  l2 = await startOpL2({ l1RpcUrl: anvil.rpcUrl, l1Node: anvil, devnet, roles: [async (ctx) => startOpBatcher({ ...ctx, key: batcher!, dataAvailability: 'calldata', postEveryBlocks: 1_000_000 })] })
}, 240_000)
afterAll(async () => {
  await l2?.stop()
  await anvil?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('devnet OP L2 with its batcher', () => {
  it('posts blocks that a rebuild from L1 alone derives to the same hashes and output roots', async () => {
    const key = privateKeyToAccount(anvil.accounts[6]!.privateKey)
    const user = getAddress(key.address)
    const client = createPublicClient({ transport: http(anvil.rpcUrl), cacheTime: 0 })
    const wallet = createWalletClient({ account: key, transport: http(anvil.rpcUrl) })
    await client.waitForTransactionReceipt({ hash: await wallet.sendTransaction({ to: devnet.deployment.contracts.optimismPortal, value: parseEther('1'), chain: null }) })
    await mine(anvil.rpcUrl, 1, 2)
    await l2.tick()
    const sign = (nonce: number, to: `0x${string}`, value: bigint, data: `0x${string}` = '0x') =>
      key.signTransaction({ type: 'eip1559', chainId: l2.chain.chainId, to, value, data, nonce, gas: 200_000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 10n ** 6n })
    const nonce = Number((await l2.chain.proof(user, [], l2.chain.head().number))!.nonce) // the deposit counted one
    const transfer = await sign(nonce, getAddress(anvil.accounts[8]!.address), parseEther('0.1'))
    const withdraw = await sign(nonce + 1, L2_PREDEPLOYS.l2ToL1MessagePasser, parseEther('0.2'), encodeFunctionData({ abi: l2ToL1MessagePasserAbi, functionName: 'initiateWithdrawal', args: [user, 100_000n, '0x'] }))
    expect(await l2.chain.submitTransaction(transfer)).toMatchObject({ accepted: true })
    expect(await l2.chain.submitTransaction(withdraw)).toMatchObject({ accepted: true })
    await l2.tick()
    const withdrawBlock = l2.chain.transaction(keccak256(withdraw))!.block
    for (let i = 0; i < 3; i++) {
      await mine(anvil.rpcUrl, 1, 2)
      await l2.tick()
    }
    const batcher = l2.roles[0] as RunningOpBatcher
    const posted = await batcher.flush()
    expect(posted.length).toBeGreaterThan(0)
    const toL1Block = Number(await client.getBlockNumber())
    const rebuilt = await rebuildChain({ stateDir: join(dir, 'state'), config: devnet.genesis.rollupConfig, genesis: devnet.genesis.genesis, l1: createViemL1Source({ rpcUrls: [anvil.rpcUrl] }), decompressor: createNodeDecompressor(), toL1Block })
    expect(BigInt(rebuilt.head.number)).toBeGreaterThanOrEqual(withdrawBlock.number)
    const ours = l2.chain.block(BigInt(rebuilt.head.number))!
    expect(rebuilt.head.hash).toBe(ours.hash)
    expect(rebuilt.head.outputRoot).toBe(ours.outputRoot)
  }, 300_000)
})
