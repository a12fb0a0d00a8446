import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { concat, createPublicClient, createWalletClient, defineChain, encodeFunctionData, http, keccak256, parseEther, parseEventLogs, type Hex } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { bridgeAbi } from '../../../contracts-abi/arbitrum-nitro/Bridge'
import { inboxAbi } from '../../../contracts-abi/arbitrum-nitro/Inbox'
import { sequencerInboxAbi } from '../../../contracts-abi/arbitrum-nitro/SequencerInbox'
import { startAnvil, type AnvilHandle } from '../anvil'
import { arbitrumManifestEntry } from '../manifest'
import { mine, revert, snapshot } from '../timeTravel'
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
    // A new L2 process on the same L1 derives the identical chain (state is a function of L1 only); it can attach
    // from the devnet manifest's entry, as another process would.
    const again = await startArbitrumDevnet({ l1: anvil, deployment: arbitrumManifestEntry(deployment), autoSequence: false })
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
      // Steering from "another process": the devnet_* control methods on the L2 RPC.
      const control = async (method: string, params: unknown[]) =>
        ((await (await fetch(l2.l2RpcUrl, { method: 'POST', body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })).json()) as { result?: unknown; error?: { message: string } })
      const other = privateKeyToAccount(generatePrivateKey())
      expect((await control('devnet_fund', [other.address, '1000000000000000'])).result).toMatch(/^0x[0-9a-f]{64}$/)
      expect(await pub.getBalance({ address: other.address })).toBe(10n ** 15n)
      expect((await control('devnet_setCensored', [other.address, true])).result).toBeNull()
      const otherWallet = createWalletClient({ account: other, chain, transport: http(l2.l2RpcUrl) })
      await expect(otherWallet.sendTransaction({ to: user.address, value: 1n })).rejects.toThrow(/censoring/)
      expect((await control('devnet_setCensored', ['not an address', true])).error?.message).toMatch(/Bad parameters/)
      const assertion = (await control('devnet_postAndConfirmAssertion', [])).result as { sendRoot: string; batch: string }
      expect(BigInt(assertion.batch)).toBe(BigInt(l2.follower.batches.length))

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

  it('posts with delay proofs on a delay-bufferable SequencerInbox, where forceInclusion follows forceInclusionDeadline', async () => {
    const [deployer, validator, batchPoster, , , , , sender] = anvil.accounts
    if (!deployer || !validator || !batchPoster || !sender) throw new Error('anvil accounts missing')
    const buffered = await deployArbitrum({ rpcUrl: anvil.rpcUrl, deployer, validator, batchPoster, delayBuffer: { threshold: 10, max: 60, replenishRateInBasis: 500 } })
    expect(buffered.parameters.isDelayBufferable).toBe('true')
    const l2 = await startArbitrumDevnet({ l1: anvil, deployment: buffered, autoSequence: false })
    try {
      const clients = await createL1Clients(anvil.rpcUrl)
      const seqInbox = buffered.network.contracts.sequencerInbox
      expect(await clients.public.readContract({ address: seqInbox, abi: sequencerInboxAbi, functionName: 'isDelayBufferable' })).toBe(true)
      await l2.fund(user.address, parseEther('1')) // reads the deposit: a batch with a delay proof
      await l2.setBatchMode('blob')
      await l2.depositFromL1(sender, 5n) // the blob variant with a delay proof
      expect(l2.chain().account(sender.address).balance).toBe(5n)
      await l2.setBatchMode('calldata')

      // A censored user's delayed message: forced in exactly after the contract's own deadline.
      l2.setCensored(user.address, true)
      const chain = chainOf(l2.l2RpcUrl)
      const pub = createPublicClient({ chain, transport: http(l2.l2RpcUrl) })
      const nonce = await pub.getTransactionCount({ address: user.address })
      const signed = await user.signTransaction({ chainId: chain.id, type: 'eip1559', nonce, to: sender.address, value: 1n, gas: 21_000n, maxFeePerGas: 10n ** 9n, maxPriorityFeePerGas: 0n })
      const wallet = clients.walletFor(sender)
      const sendReceipt = await clients.public.waitForTransactionReceipt({
        hash: await wallet.sendTransaction({ to: buffered.network.contracts.inbox, data: encodeFunctionData({ abi: inboxAbi, functionName: 'sendL2Message', args: [concat(['0x04', signed])] }) }),
      })
      const msg = parseEventLogs({ abi: bridgeAbi, logs: sendReceipt.logs, eventName: 'MessageDelivered' })[0]
      if (!msg) throw new Error('no MessageDelivered')
      const deadline = await clients.public.readContract({ address: seqInbox, abi: sequencerInboxAbi, functionName: 'forceInclusionDeadline', args: [sendReceipt.blockNumber] })
      const l1Block = await clients.public.getBlock({ blockNumber: sendReceipt.blockNumber })
      const force = () =>
        wallet.sendTransaction({
          to: seqInbox,
          data: encodeFunctionData({
            abi: sequencerInboxAbi,
            functionName: 'forceInclusion',
            args: [msg.args.messageIndex + 1n, msg.args.kind, [sendReceipt.blockNumber, l1Block.timestamp], msg.args.baseFeeL1, msg.args.sender, msg.args.messageDataHash],
          }),
        })
      // The tx is mined in the next block: mine up to deadline - 1 so it lands at the deadline (too soon), then retry.
      const current = await clients.public.getBlockNumber()
      if (deadline - 1n > current) await mine(anvil.rpcUrl, deadline - 1n - current)
      await expect(force()).rejects.toThrow(/0xad3515d9|ForceIncludeBlockTooSoon/) // would land at the deadline: too soon
      await mine(anvil.rpcUrl, 1)
      expect((await clients.public.waitForTransactionReceipt({ hash: await force() })).status).toBe('success')
      await l2.sync()
      expect((await pub.getTransactionReceipt({ hash: keccak256(signed) })).status).toBe('success')
    } finally {
      await l2.stop()
    }
  })
})
