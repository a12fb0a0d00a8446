import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPublicClient, createWalletClient, defineChain, encodeFunctionData, http, keccak256, parseEther, type Hex } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { inboxAbi } from '../../../contracts-abi/arbitrum-nitro/Inbox'
import { startAnvil, type AnvilHandle } from '../anvil'
import { revert, snapshot } from '../timeTravel'
import { deployArbitrum, type ArbitrumDevnetDeployment } from './deploy'
import { createL1Clients } from './sendL1Transaction'
import { startArbitrumDevnet } from './startArbitrumDevnet'

describe('devnet Arbitrum L2 lifecycle: auto-sequencing, restart from L1, L1 reorg, lying headers', () => {
  let anvil: AnvilHandle
  let deployment: ArbitrumDevnetDeployment
  const user = privateKeyToAccount(generatePrivateKey())

  beforeAll(async () => {
    anvil = await startAnvil()
    const [deployer, validator, batchPoster] = anvil.accounts
    if (!deployer || !validator || !batchPoster) throw new Error('anvil accounts missing')
    deployment = await deployArbitrum({ rpcUrl: anvil.rpcUrl, deployer, validator, batchPoster })
  })
  afterAll(async () => {
    await anvil?.stop()
  })

  const chainOf = (url: string) =>
    defineChain({ id: deployment.network.l2ChainId, name: 'devnet L2', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [url] } } })

  it('sequences RPC transactions and L1 deposits by itself, and a restarted L2 rebuilds the same chain from L1', async () => {
    const l2 = await startArbitrumDevnet({ l1: anvil, deployment, pollIntervalMs: 50 })
    let hashes: Hex[]
    try {
      const chain = chainOf(l2.l2RpcUrl)
      const pub = createPublicClient({ chain, transport: http(l2.l2RpcUrl), pollingInterval: 50 })
      await l2.fund(user.address, parseEther('1'))
      const wallet = createWalletClient({ account: user, chain, transport: http(l2.l2RpcUrl) })
      const hash = await wallet.sendTransaction({ to: privateKeyToAccount(generatePrivateKey()).address, value: 3n })
      expect((await pub.waitForTransactionReceipt({ hash, timeout: 20_000 })).status).toBe('success')

      // A plain L1 deposit, not through the devnet helper: the loop notices the delayed message and sequences it.
      const depositor = anvil.accounts[8]
      if (!depositor) throw new Error('no account')
      const l1Wallet = (await createL1Clients(anvil.rpcUrl)).walletFor(depositor)
      await l1Wallet.sendTransaction({ to: deployment.network.contracts.inbox, value: parseEther('0.5'), data: encodeFunctionData({ abi: inboxAbi, functionName: 'depositEth' }) })
      const deadline = Date.now() + 20_000
      while ((await pub.getBalance({ address: depositor.address })) !== parseEther('0.5')) {
        if (Date.now() > deadline) throw new Error(`deposit not sequenced; loop error: ${String(l2.lastLoopError())}`)
        await new Promise((r) => setTimeout(r, 50))
      }
      hashes = l2.chain().blocks.map((b) => b.hash)
    } finally {
      await l2.stop()
    }
    // A new L2 process on the same L1 derives the identical chain (state is a function of L1 only).
    const again = await startArbitrumDevnet({ l1: anvil, deployment, autoSequence: false })
    try {
      expect(again.chain().blocks.map((b) => b.hash)).toEqual(hashes)
    } finally {
      await again.stop()
    }
  })

  it('rebuilds from L1 after an L1 reorg (snapshot revert) and lies about headers only in its answers', async () => {
    const l2 = await startArbitrumDevnet({ l1: anvil, deployment, autoSequence: false })
    try {
      const chain = chainOf(l2.l2RpcUrl)
      const pub = createPublicClient({ chain, transport: http(l2.l2RpcUrl) })
      const before = l2.chain().blocks.length
      const id = await snapshot(anvil.rpcUrl)
      const nonce = await pub.getTransactionCount({ address: user.address, blockTag: 'pending' })
      const signed = await user.signTransaction({ chainId: chain.id, type: 'eip1559', nonce, to: user.address, value: 1n, gas: 21_000n, maxFeePerGas: 10n ** 9n, maxPriorityFeePerGas: 0n })
      await pub.request({ method: 'eth_sendRawTransaction', params: [signed] })
      await l2.postBatchNow()
      expect((await pub.getTransactionReceipt({ hash: keccak256(signed) })).status).toBe('success')
      await revert(anvil.rpcUrl, id)
      await l2.sync()
      expect(l2.chain().blocks.length).toBe(before)
      await expect(pub.getTransactionReceipt({ hash: keccak256(signed) })).rejects.toThrow()

      const honest = l2.chain().blocks.at(-1)
      l2.setLying(['headers'])
      const served = await pub.getBlock({ blockTag: 'latest' })
      expect(served.hash).toBe(honest?.hash)
      expect(served.extraData).not.toBe(honest?.extraData)
      l2.setLying([])
      expect((await pub.getBlock({ blockTag: 'latest' })).extraData).toBe(honest?.extraData)
    } finally {
      await l2.stop()
    }
  })
})
