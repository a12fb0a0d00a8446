/**
 * The devnet L2 against the app's own rebuild from L1 alone (electron/services/opRebuild): with the sequencer down
 * from genesis, every block is forced by derivation (deposits only, once the sequencing window has elapsed). A full
 * rebuild from the written genesis and rollup config, reading nothing but the devnet L1, must reach the same blocks:
 * same hashes, same output roots — including a forced withdrawal's MessagePassed in the message passer root.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPublicClient, createWalletClient, encodeFunctionData, getAddress, http, parseEther } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { l2ToL1MessagePasserAbi } from '../../../../../contracts-abi/op-stack/L2ToL1MessagePasser'
import { optimismPortal2Abi } from '../../../../../contracts-abi/op-stack/OptimismPortal2'
import { createNodeDecompressor } from '../../../../services/l1/createNodeDecompressor'
import { createViemL1Source } from '../../../../services/l1/createViemL1Source'
import { rebuildChain } from '../../../../services/opRebuild/rebuildChain'
import { startAnvil, type AnvilHandle } from '../../../anvil'
import { mine } from '../../../timeTravel'
import { startOpL2, type OpL2 } from '../startOpL2'
import { createOpL2Switches } from '../types'
import { deployOpStackWithL2, type OpL2Devnet } from './deployOpStackWithL2'
import { L2_PREDEPLOYS } from './predeployAddresses'

let anvil: AnvilHandle
let devnet: OpL2Devnet
let l2: OpL2
let dir: string
const SEQ_WINDOW = 4

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'op-l2-forced-'))
  anvil = await startAnvil()
  const [deployer, batcher, proposer, challenger] = anvil.accounts
  devnet = await deployOpStackWithL2({ rpcUrl: anvil.rpcUrl, deployer: deployer!, batcher: batcher!, proposer: proposer!, challenger: challenger!, l1Node: anvil, seqWindowSize: SEQ_WINDOW })
  l2 = await startOpL2({ l1RpcUrl: anvil.rpcUrl, l1Node: anvil, devnet, switches: createOpL2Switches({ sequencerDown: true }) })
}, 240_000)
afterAll(async () => {
  await l2?.stop()
  await anvil?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('devnet OP L2 with the sequencer down', () => {
  it('builds exactly the blocks a rebuild from L1 alone derives (hashes and output roots)', async () => {
    const userKey = privateKeyToAccount(anvil.accounts[6]!.privateKey)
    const user = getAddress(userKey.address)
    const wallet = createWalletClient({ account: userKey, transport: http(anvil.rpcUrl) })
    const client = createPublicClient({ transport: http(anvil.rpcUrl), cacheTime: 0 })
    const portal = devnet.deployment.contracts.optimismPortal
    const send = async (data: `0x${string}`, value: bigint) => {
      const hash = await wallet.sendTransaction({ to: portal, data, value, chain: null })
      expect((await client.waitForTransactionReceipt({ hash })).status).toBe('success')
    }
    await send(encodeFunctionData({ abi: optimismPortal2Abi, functionName: 'depositTransaction', args: [user, parseEther('1'), 100_000n, false, '0x'] }), parseEther('1'))
    await mine(anvil.rpcUrl, 3, 12)
    const withdrawal = encodeFunctionData({ abi: l2ToL1MessagePasserAbi, functionName: 'initiateWithdrawal', args: [user, 100_000n, '0x'] })
    await send(encodeFunctionData({ abi: optimismPortal2Abi, functionName: 'depositTransaction', args: [L2_PREDEPLOYS.l2ToL1MessagePasser, parseEther('0.25'), 200_000n, false, withdrawal] }), parseEther('0.25'))
    await mine(anvil.rpcUrl, 12, 12)
    const built = await l2.tick()
    expect(built.length).toBeGreaterThan(10)
    expect(built.every((b) => b.forcedByDerivation)).toBe(true)

    const rebuilt = await rebuildChain({
      stateDir: join(dir, 'state'),
      config: devnet.genesis.rollupConfig,
      genesis: devnet.genesis.genesis,
      l1: createViemL1Source({ rpcUrls: [anvil.rpcUrl] }),
      decompressor: createNodeDecompressor(),
      toL1Block: Number(await client.getBlockNumber()),
    })
    expect(rebuilt.head.number).toBeGreaterThan(10)
    const ours = l2.chain.block(BigInt(rebuilt.head.number))
    expect(ours).toBeDefined()
    expect(ours!.hash).toBe(rebuilt.head.hash)
    expect(ours!.outputRoot).toBe(rebuilt.head.outputRoot)
    // The forced withdrawal is in that state: the message passer root moved off the genesis one.
    expect(ours!.messagePasserStorageRoot).not.toBe(l2.chain.genesis().messagePasserStorageRoot)
  }, 300_000)
})
