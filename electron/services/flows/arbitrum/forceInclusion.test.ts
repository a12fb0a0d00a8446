// Force inclusion against the real SequencerInbox on the devnet: the off-by-one of notes §1.3 (a forceInclusion mined
// in block = deadline reverts with ForceIncludeBlockTooSoon, one mined in deadline + 1 succeeds), message tracking from
// the L1 receipt, the sequencing batch, and `arb status` showing it all read-only.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BaseError, ContractFunctionRevertedError, keccak256, parseEther, type Address, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sequencerInboxAbi } from '../../../../contracts-abi/arbitrum-nitro/SequencerInbox'
import { findSequencingBatch } from '../../../../shared/rollups/arbitrum-nitro/status/findSequencingBatch'
import { getForceInclusionStatus } from '../../../../shared/rollups/arbitrum-nitro/status/getForceInclusionStatus'
import { readDelayedMessagesFromTx } from '../../../../shared/rollups/arbitrum-nitro/status/trackDelayedMessage'
import { buildForceInclusionTx } from '../../../../shared/rollups/arbitrum-nitro/tx/buildForceInclusionTx'
import { buildL2WithdrawalTx } from '../../../../shared/rollups/arbitrum-nitro/tx/buildL2WithdrawalTx'
import { buildSendL2MessageTx } from '../../../../shared/rollups/arbitrum-nitro/tx/buildSendL2MessageTx'
import type { ArbitrumNetwork } from '../../../../shared/rollups/arbitrum-nitro/network'
import { startArbitrumDevnet, type ArbitrumDevnet } from '../../../devnet/arbitrum/startArbitrumDevnet'
import { DEVNET_ROLES, startDevnet, type Devnet } from '../../../devnet/devnet'
import { mine } from '../../../devnet/timeTravel'
import { main } from '../../../cli/main'
import { devnetPublicClient, devnetWalletClient } from '../../../devnet/devnetClients'

let devnet: Devnet
let l2: ArbitrumDevnet
let network: ArbitrumNetwork
const home = mkdtempSync(join(tmpdir(), 'eh-arb-force-'))

beforeAll(async () => {
  devnet = await startDevnet({ stacks: ['arbitrum'] })
  l2 = await startArbitrumDevnet({ l1: devnet.anvil, deployment: devnet.arbitrum! })
  network = devnet.arbitrum!.network
})
afterAll(async () => {
  await l2?.stop()
  await devnet?.stop()
  rmSync(home, { recursive: true, force: true })
})

async function cli(...argv: string[]) {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { ESCAPE_HATCH_HOME: home } }, new AbortController().signal)
  return { code, stdout, stderr }
}

describe('forceInclusion on the devnet SequencerInbox', () => {
  it('reverts when mined in the deadline block, succeeds one block later; status and sequencing follow', async () => {
    const key = devnet.anvil.accounts[DEVNET_ROLES.user2]!
    const user = key.address as Address
    const account = privateKeyToAccount(key.privateKey as Hex)
    const l1 = devnetPublicClient(devnet.l1.rpcUrl)
    const wallet = devnetWalletClient(devnet.l1.rpcUrl, account)
    const l2Client = devnetPublicClient(l2.l2RpcUrl)

    await l2.fund(user, parseEther('1'))
    l2.setCensored(user, true)

    // The user's own L2 withdrawal, signed for the L2 chain and carried by sendL2Message.
    const { request } = buildL2WithdrawalTx({ l2ChainId: network.l2ChainId, nonce: await l2Client.getTransactionCount({ address: user }), destination: user, value: parseEther('0.5') })
    if (request.type !== 'eip1559') throw new Error('expected an EIP-1559 request')
    const signedL2 = await account.signTransaction({ ...request, to: request.to ?? undefined })
    const send = buildSendL2MessageTx({ network, signedL2Tx: signedL2 })
    const sendHash = await wallet.sendTransaction({ chain: null, to: send.to, data: send.data })
    await l1.waitForTransactionReceipt({ hash: sendHash })
    const [message] = await readDelayedMessagesFromTx(l1, network, sendHash)
    expect(message?.kind).toBe(3)
    expect(message?.data?.startsWith('0x04')).toBe(true)
    const m = message!

    const before = await getForceInclusionStatus(l1, network, m)
    expect(before.sequenced).toBe(false) // censored: the sequencer skips it
    expect(before.deadlineBlock).toBe(m.l1BlockNumber + 50n) // devnet delayBlocks, no delay buffer
    expect(before.firstIncludableBlock).toBe(before.deadlineBlock + 1n)

    const networkFile = join(home, 'network.json')
    writeFileSync(networkFile, JSON.stringify(network))
    const pending = await cli('arb', 'status', '--network-file', networkFile, '--address', user, '--l1-rpc', devnet.l1.rpcUrl, '--l2-rpc', l2.l2RpcUrl, '--from-block', '0', '--json')
    expect(pending.code, pending.stderr).toBe(0)
    const pendingJson = JSON.parse(pending.stdout)
    const mine1 = pendingJson.delayedMessages.find((d: { index: string }) => d.index === m.index.toString())
    expect(mine1).toMatchObject({ relation: 'signed-l2-tx', forceInclusion: { sequenced: false, deadlineBlock: before.deadlineBlock.toString(), canForceNow: false } })

    // Head at deadline - 1: the next block is the deadline block, where forceInclusion must still revert.
    await mine(devnet.l1.rpcUrl, before.deadlineBlock - 1n - (await l1.getBlockNumber()))
    expect(await l1.getBlockNumber()).toBe(before.deadlineBlock - 1n)
    expect((await getForceInclusionStatus(l1, network, m)).canForceNow).toBe(false)
    const force = buildForceInclusionTx({ network, message: m })
    const simulated = await l1.simulateContract({ account: user, address: force.to, abi: sequencerInboxAbi, functionName: 'forceInclusion', args: [m.index + 1n, m.kind, [m.l1BlockNumber, m.timestamp], m.baseFeeL1, m.sender, m.messageDataHash] }).catch((e: unknown) => e)
    const revert = simulated instanceof BaseError ? simulated.walk((e) => e instanceof ContractFunctionRevertedError) : undefined
    expect(revert instanceof ContractFunctionRevertedError ? revert.data?.errorName : simulated).toBe('ForceIncludeBlockTooSoon')
    const early = await wallet.sendTransaction({ chain: null, to: force.to, data: force.data, gas: 500_000n })
    const earlyReceipt = await l1.waitForTransactionReceipt({ hash: early })
    expect(earlyReceipt.blockNumber).toBe(before.deadlineBlock)
    expect(earlyReceipt.status).toBe('reverted')

    // Now the next block is deadline + 1.
    expect((await getForceInclusionStatus(l1, network, m)).canForceNow).toBe(true)
    const onTime = await wallet.sendTransaction({ chain: null, to: force.to, data: force.data, gas: 500_000n })
    const onTimeReceipt = await l1.waitForTransactionReceipt({ hash: onTime })
    expect(onTimeReceipt.blockNumber).toBe(before.deadlineBlock + 1n)
    expect(onTimeReceipt.status).toBe('success')

    const after = await getForceInclusionStatus(l1, network, m)
    expect(after.sequenced).toBe(true)
    const batch = await findSequencingBatch(l1, network, m.index, m.l1BlockNumber)
    expect(batch).toMatchObject({ forced: true, dataLocation: 'NoData', l1TransactionHash: onTime })

    // The devnet L2 executes the forced message: the withdrawal appears in the L2 node's send list.
    await l2.sync()
    const receipt = await l2Client.getTransactionReceipt({ hash: keccak256(signedL2) })
    expect(receipt.status).toBe('success')

    const done = await cli('arb', 'status', '--network-file', networkFile, '--address', user, '--l1-rpc', devnet.l1.rpcUrl, '--l2-rpc', l2.l2RpcUrl, '--from-block', '0')
    expect(done.code, done.stderr).toBe(0)
    expect(done.stdout).toMatch(new RegExp(`#${m.index} kind 3 .*: sequenced`))
    expect(done.stdout).toMatch(/waiting-for-confirmation \[reported by the L2 RPC/)

    // Once an assertion covering it is confirmed, status shows the withdrawal as verified and ready to execute…
    await l2.postAndConfirmAssertionNow()
    const ready = await cli('arb', 'status', '--network-file', networkFile, '--address', user, '--l1-rpc', devnet.l1.rpcUrl, '--l2-rpc', l2.l2RpcUrl, '--from-block', '0', '--json')
    expect(JSON.parse(ready.stdout).withdrawals).toEqual([expect.objectContaining({ stage: 'ready-to-execute', verified: true, value: parseEther('0.5').toString() })])
    // …and a lying L2 node cannot make it show anything as verified: the mismatch is reported instead.
    l2.setLying(['send-list'])
    const lying = await cli('arb', 'status', '--network-file', networkFile, '--address', user, '--l1-rpc', devnet.l1.rpcUrl, '--l2-rpc', l2.l2RpcUrl, '--from-block', '0', '--json')
    l2.setLying([])
    const lyingJson = JSON.parse(lying.stdout)
    expect(lyingJson.withdrawals).toBeUndefined()
    expect(lyingJson.withdrawalsNote).toMatch(/The send root from the L2 RPC http:\/\/127\.0\.0\.1:\d+ does not match the send root confirmed on L1/)
  }, 180_000)
})
