import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  concat,
  createPublicClient,
  createWalletClient,
  decodeFunctionData,
  defineChain,
  encodeFunctionData,
  erc20Abi,
  hexToBytes,
  http,
  keccak256,
  parseEther,
  parseEventLogs,
  type Hex,
  type PublicClient,
} from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { startAnvil, type AnvilHandle } from '../anvil'
import { mine } from '../timeTravel'
import { DEVNET_ARBITRUM_PARAMETERS, deployArbitrum, type ArbitrumDevnetDeployment } from './deploy'
import { readNitroArtifact } from './readNitroArtifact'
import { decodeBatchSegments, decodeBlobs } from './l2/decodeSequencerBatch'
import { arbSysAbi, ARB_SYS_ADDRESS, signedTransactionsOf } from './l2/l2Chain'
import { sendProofOf, sendRootOf } from './l2/sendMerkleTree'
import { bridgeAbi } from '../../../contracts-abi/arbitrum-nitro/Bridge'
import { inboxAbi } from '../../../contracts-abi/arbitrum-nitro/Inbox'
import { outboxAbi } from '../../../contracts-abi/arbitrum-nitro/Outbox'
import { rollupUserLogicAbi as rollupAbi } from '../../../contracts-abi/arbitrum-nitro/RollupUserLogic'
import { sequencerInboxAbi } from '../../../contracts-abi/arbitrum-nitro/SequencerInbox'
import { createL1Clients } from './sendL1Transaction'
import { startArbitrumDevnet, type ArbitrumDevnet } from './startArbitrumDevnet'

describe('devnet Arbitrum L2 on the real Nitro contracts', () => {
  let anvil: AnvilHandle
  let deployment: ArbitrumDevnetDeployment
  let l2: ArbitrumDevnet
  let l1: PublicClient
  const user = privateKeyToAccount(generatePrivateKey())
  const l2Chain = defineChain({
    id: DEVNET_ARBITRUM_PARAMETERS.l2ChainId,
    name: 'devnet L2',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: ['http://127.0.0.1'] } },
  })

  beforeAll(async () => {
    anvil = await startAnvil()
    const [deployer, validator, batchPoster] = anvil.accounts
    if (!deployer || !validator || !batchPoster) throw new Error('anvil accounts missing')
    deployment = await deployArbitrum({ rpcUrl: anvil.rpcUrl, deployer, validator, batchPoster })
    l2 = await startArbitrumDevnet({ l1: anvil, deployment, autoSequence: false })
    l1 = createPublicClient({ transport: http(anvil.rpcUrl) })
  })
  afterAll(async () => {
    await l2?.stop()
    await anvil?.stop()
  })

  function l2Client() {
    return {
      pub: createPublicClient({ chain: l2Chain, transport: http(l2.l2RpcUrl) }),
      wallet: createWalletClient({ account: user, chain: l2Chain, transport: http(l2.l2RpcUrl) }),
    }
  }

  it('starts from the Initialize message: L2 block 0 from batch 0', async () => {
    const { pub } = l2Client()
    expect(await pub.getChainId()).toBe(DEVNET_ARBITRUM_PARAMETERS.l2ChainId)
    const genesis = await pub.getBlock({ blockNumber: 0n })
    expect(genesis.number).toBe(0n)
    expect(l2.follower.batches[0]?.dataLocation).toBe('SeparateBatchEvent')
  })

  it('credits an L1 Inbox.depositEth to the L2 balance', async () => {
    const depositor = anvil.accounts[5]
    if (!depositor) throw new Error('no account')
    const l1Tx = await l2.depositFromL1(depositor, parseEther('2'))
    const { pub } = l2Client()
    expect(await pub.getBalance({ address: depositor.address })).toBe(parseEther('2'))
    const receipt = await l1.getTransactionReceipt({ hash: l1Tx })
    const delivered = parseEventLogs({ abi: bridgeAbi, logs: receipt.logs, eventName: 'MessageDelivered' })[0]
    expect(delivered?.args.kind).toBe(12)
    // The L2 deposit tx (0x64) carries the delayed message index as its request id.
    const block = await pub.getBlock({ blockTag: 'latest', includeTransactions: true })
    const depositTx = l2.chain().blocks.flatMap((b) => b.transactions).find((t) => t.kind === 'deposit' && t.to === depositor.address)
    expect(depositTx?.requestId).toBe(`0x${delivered?.args.messageIndex.toString(16).padStart(64, '0')}`)
    expect(block.number).toBeGreaterThan(0n)
  })

  it('sequences an L2 transfer into a calldata batch that decodes back from L1', async () => {
    await l2.fund(user.address, parseEther('1'))
    const { pub, wallet } = l2Client()
    expect(await pub.getBalance({ address: user.address })).toBe(parseEther('1'))
    const to = privateKeyToAccount(generatePrivateKey()).address
    const hash = await wallet.sendTransaction({ to, value: parseEther('0.1') })
    const posted = await l2.postBatchNow({ mode: 'calldata' })
    expect(posted?.transactions).toEqual([hash])
    const receipt = await pub.getTransactionReceipt({ hash })
    expect(receipt.status).toBe('success')
    expect(await pub.getBalance({ address: to })).toBe(parseEther('0.1'))

    // Decode it back from L1 alone: SequencerBatchDelivered → tx calldata → 0x00 brotli segments → the signed tx.
    const l1Receipt = await l1.getTransactionReceipt({ hash: posted?.l1TxHash as Hex })
    const delivered = parseEventLogs({ abi: sequencerInboxAbi, logs: l1Receipt.logs, eventName: 'SequencerBatchDelivered' })[0]
    expect(delivered?.args.dataLocation).toBe(0)
    const l1Tx = await l1.getTransaction({ hash: posted?.l1TxHash as Hex })
    const call = decodeFunctionData({ abi: sequencerInboxAbi, data: l1Tx.input })
    expect(call.functionName).toBe('addSequencerL2BatchFromOrigin')
    const data = call.args[1] as Hex
    expect(hexToBytes(data)[0]).toBe(0x00)
    const txs = decodeBatchSegments(hexToBytes(data))
      .filter((s) => s[0] === 0)
      .flatMap((s) => signedTransactionsOf(s.subarray(1)))
    expect(txs.map((raw) => keccak256(raw))).toContain(hash)
  })

  it('deploys and runs a contract sent over the L2 RPC (estimateGas, receipts, eth_call, getCode all from its EVM)', async () => {
    const deployer = privateKeyToAccount(generatePrivateKey())
    await l2.fund(deployer.address, parseEther('1'))
    const pub = createPublicClient({ chain: l2Chain, transport: http(l2.l2RpcUrl) })
    const wallet = createWalletClient({ account: deployer, chain: l2Chain, transport: http(l2.l2RpcUrl) })
    const token = readNitroArtifact('test-helpers/TestToken.sol', 'TestToken')
    const deployHash = await wallet.deployContract({ abi: token.abi, bytecode: token.bytecode, args: [1_000n] })
    await l2.postBatchNow({ mode: 'calldata' })
    const deployed = await pub.getTransactionReceipt({ hash: deployHash })
    expect(deployed.status).toBe('success')
    const address = deployed.contractAddress
    if (!address) throw new Error('no contract address in the receipt')
    expect((await pub.getCode({ address }))?.length).toBeGreaterThan(2)
    const to = privateKeyToAccount(generatePrivateKey()).address
    const sent = await wallet.writeContract({ address, abi: erc20Abi, functionName: 'transfer', args: [to, 300n] })
    await l2.postBatchNow({ mode: 'calldata' })
    expect((await pub.getTransactionReceipt({ hash: sent })).status).toBe('success')
    expect(await pub.readContract({ address, abi: erc20Abi, functionName: 'balanceOf', args: [to] })).toBe(300n)
    // A revert comes back as a JSON-RPC execution error, not a crash.
    await expect(pub.simulateContract({ address, abi: erc20Abi, functionName: 'transfer', args: [to, 10_000n], account: deployer })).rejects.toThrow()
    // The block the RPC serves is the one the honest chain rebuilt from L1 (its hash is what the validator asserts).
    const tip = await pub.getBlock({ blockTag: 'latest' })
    expect(tip.hash).toBe(l2.chain().latest()?.hash)
    expect(tip.stateRoot).toBe(l2.chain().latest()?.stateRoot)
  })

  it('posts a blob batch whose blobs, read from the beacon endpoint, decode back to the tx', async () => {
    const { pub, wallet } = l2Client()
    const hash = await wallet.sendTransaction({ to: privateKeyToAccount(generatePrivateKey()).address, value: 1n, type: 'legacy' })
    const posted = await l2.postBatchNow({ mode: 'blob' })
    expect((await pub.getTransactionReceipt({ hash })).status).toBe('success')
    const l1Receipt = await l1.getTransactionReceipt({ hash: posted?.l1TxHash as Hex })
    const delivered = parseEventLogs({ abi: sequencerInboxAbi, logs: l1Receipt.logs, eventName: 'SequencerBatchDelivered' })[0]
    expect(delivered?.args.dataLocation).toBe(3)
    const response = await fetch(`${anvil.beaconUrl}/eth/v1/beacon/blobs/${l1Receipt.blockNumber}`)
    const body = (await response.json()) as { data: Hex[] }
    const payload = decodeBlobs(body.data.map((b) => hexToBytes(b)))
    expect(payload?.[0]).toBe(0x00)
    const txs = decodeBatchSegments(payload ?? new Uint8Array())
      .filter((s) => s[0] === 0)
      .flatMap((s) => signedTransactionsOf(s.subarray(1)))
    expect(txs.map((raw) => keccak256(raw))).toContain(hash)
  })

  it('turns an ArbSys withdrawEth into a send that the Outbox executes after the assertion is confirmed', async () => {
    const { pub, wallet } = l2Client()
    const destination = privateKeyToAccount(generatePrivateKey()).address
    const hash = await wallet.sendTransaction({
      to: ARB_SYS_ADDRESS,
      value: parseEther('0.25'),
      data: encodeFunctionData({ abi: arbSysAbi, functionName: 'withdrawEth', args: [destination] }),
    })
    await l2.postBatchNow()
    const receipt = await pub.getTransactionReceipt({ hash })
    expect(receipt.status).toBe('success')
    const [event] = parseEventLogs({ abi: arbSysAbi, logs: receipt.logs, eventName: 'L2ToL1Tx' })
    if (!event) throw new Error('no L2ToL1Tx')
    const rpcLogs = await pub.getLogs({ address: ARB_SYS_ADDRESS, event: arbSysAbi[2], fromBlock: 0n })
    expect(rpcLogs.map((l) => l.args.hash)).toContain(event.args.hash)

    const confirmed = await l2.postAndConfirmAssertionNow()
    const sendHashes = l2.sends().filter((s) => s.arbBlockNum <= confirmed.l2BlockNumber).map((s) => s.hash)
    expect(confirmed.sendRoot).toBe(sendRootOf(sendHashes))
    // The confirmed block header carries the same sendRoot and sendCount, and hashes to the asserted blockHash.
    const header = await pub.getBlock({ blockNumber: confirmed.l2BlockNumber })
    expect(header.hash).toBe(confirmed.blockHash)
    expect(header.extraData).toBe(confirmed.sendRoot)
    expect(BigInt(header.mixHash.slice(0, 18))).toBe(BigInt(sendHashes.length))
    expect(keccak256(l2.chain().blocks[Number(confirmed.l2BlockNumber)]?.headerRlp as Hex)).toBe(confirmed.blockHash)

    const outbox = deployment.network.contracts.outbox
    expect(await l1.readContract({ address: outbox, abi: outboxAbi, functionName: 'roots', args: [confirmed.sendRoot] })).toBe(confirmed.blockHash)
    const a = event.args
    const index = Number(a.position)
    const args = [sendProofOf(sendHashes, index), a.position, a.caller, a.destination, a.arbBlockNum, a.ethBlockNum, a.timestamp, a.callvalue, a.data] as const
    expect(await l1.readContract({ address: outbox, abi: outboxAbi, functionName: 'calculateItemHash', args: [a.caller, a.destination, a.arbBlockNum, a.ethBlockNum, a.timestamp, a.callvalue, a.data] })).toBe(
      `0x${a.hash.toString(16).padStart(64, '0')}`,
    )
    const executor = anvil.accounts[6]
    if (!executor) throw new Error('no account')
    const l1Wallet = (await createL1Clients(anvil.rpcUrl)).walletFor(executor)
    const before = await l1.getBalance({ address: destination })
    const execTx = await l1Wallet.sendTransaction({ to: outbox, data: encodeFunctionData({ abi: outboxAbi, functionName: 'executeTransaction', args }) })
    expect((await l1.waitForTransactionReceipt({ hash: execTx })).status).toBe('success')
    expect((await l1.getBalance({ address: destination })) - before).toBe(parseEther('0.25'))
    // Replay is rejected by the Outbox (AlreadySpent).
    await expect(l1Wallet.sendTransaction({ to: outbox, data: encodeFunctionData({ abi: outboxAbi, functionName: 'executeTransaction', args }) })).rejects.toThrow()
    expect(await l1.readContract({ address: deployment.network.contracts.rollup, abi: rollupAbi, functionName: 'latestConfirmed' })).toBe(confirmed.assertionHash)
  })

  it('refuses a censored sender, yet executes its tx once forced in from the delayed inbox', async () => {
    const { pub, wallet } = l2Client()
    l2.setCensored(user.address, true)
    const to = privateKeyToAccount(generatePrivateKey()).address
    await expect(wallet.sendTransaction({ to, value: 5n })).rejects.toThrow(/censoring/)

    // The user signs without broadcasting and pushes the tx through L1's delayed inbox (sendL2Message 0x04 ‖ tx).
    const nonce = await pub.getTransactionCount({ address: user.address })
    const signed = await user.signTransaction({ chainId: l2Chain.id, type: 'eip1559', nonce, to, value: 5n, gas: 21_000n, maxFeePerGas: 10n ** 9n, maxPriorityFeePerGas: 0n })
    const sender = anvil.accounts[7]
    if (!sender) throw new Error('no account')
    const l1Wallet = (await createL1Clients(anvil.rpcUrl)).walletFor(sender)
    const sendTx = await l1Wallet.sendTransaction({
      to: deployment.network.contracts.inbox,
      data: encodeFunctionData({ abi: inboxAbi, functionName: 'sendL2Message', args: [concat(['0x04', signed])] }),
    })
    const sendReceipt = await l1.waitForTransactionReceipt({ hash: sendTx })
    const msg = parseEventLogs({ abi: bridgeAbi, logs: sendReceipt.logs, eventName: 'MessageDelivered' })[0]
    if (!msg) throw new Error('no MessageDelivered')

    // The censoring sequencer keeps posting but never reads that delayed message.
    const other = anvil.accounts[5]
    if (!other) throw new Error('no account')
    await l2.depositFromL1(other, 1n) // queued behind the censored message: not included either
    await l2.postBatchNow({ force: true })
    const seqInbox = deployment.network.contracts.sequencerInbox
    expect(await l1.readContract({ address: seqInbox, abi: sequencerInboxAbi, functionName: 'totalDelayedMessagesRead' })).toBe(msg.args.messageIndex)
    expect(await pub.getTransactionReceipt({ hash: keccak256(signed) }).catch(() => null)).toBeNull()

    // After delayBlocks, anyone can force it in; the L2 then executes it.
    await mine(anvil.rpcUrl, DEVNET_ARBITRUM_PARAMETERS.delayBlocks + 1)
    const l1Block = await l1.getBlock({ blockNumber: sendReceipt.blockNumber })
    const force = await l1Wallet.sendTransaction({
      to: seqInbox,
      data: encodeFunctionData({
        abi: sequencerInboxAbi,
        functionName: 'forceInclusion',
        args: [msg.args.messageIndex + 1n, msg.args.kind, [sendReceipt.blockNumber, l1Block.timestamp], msg.args.baseFeeL1, msg.args.sender, msg.args.messageDataHash],
      }),
    })
    expect((await l1.waitForTransactionReceipt({ hash: force })).status).toBe('success')
    await l2.sync()
    const receipt = await pub.getTransactionReceipt({ hash: keccak256(signed) })
    expect(receipt.status).toBe('success')
    expect(await pub.getBalance({ address: to })).toBe(5n)
    expect(l2.follower.batches.at(-1)?.dataLocation).toBe('NoData')
    l2.setCensored(user.address, false)
    // The sequencer resumes after a force inclusion (its reported message count now lags: prevMessageCount 0).
    const after = await wallet.sendTransaction({ to, value: 1n })
    await l2.postBatchNow()
    expect((await pub.getTransactionReceipt({ hash: after })).status).toBe('success')
  })

  it('serves a wrong send list and balances in lying mode while the honest chain is unchanged', async () => {
    const { pub } = l2Client()
    const honestLogs = await pub.getLogs({ address: ARB_SYS_ADDRESS, event: arbSysAbi[2], fromBlock: 0n })
    l2.setLying(['send-list', 'balances'])
    const lyingLogs = await pub.getLogs({ address: ARB_SYS_ADDRESS, event: arbSysAbi[2], fromBlock: 0n })
    expect(lyingLogs.length).toBe(honestLogs.length)
    expect(lyingLogs[0]?.args.callvalue).toBe((honestLogs[0]?.args.callvalue ?? 0n) + 1n)
    expect(lyingLogs[0]?.args.hash).not.toBe(honestLogs[0]?.args.hash)
    const honestBalance = l2.chain().account(user.address).balance
    expect(await pub.getBalance({ address: user.address })).toBe(honestBalance + parseEther('1'))
    l2.setLying([])
    expect(await pub.getBalance({ address: user.address })).toBe(honestBalance)
  })
})
