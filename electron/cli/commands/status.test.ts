/* eslint-disable @typescript-eslint/no-explicit-any -- this test reads the CLI's JSON output loosely, field by field */
// `escape-hatch status` on the devnet, through the CLI's main(): one address with exits in every Arbitrum stage —
// a delayed message the censoring sequencer skips (in the delayed inbox, then force-includable), a withdrawal not yet
// under a confirmed root, one ready to execute and one executed — each with its blocker, its dates from the L1's
// measured block time (checked against the L1 headers here, and shown not to be 12 s a block) and its next action.
// The OP Stack side is in status.op.test.ts.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { defineChain, encodeFunctionData, parseEther, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createArbitrumAdapter } from '../../../shared/rollups/arbitrum-nitro/adapter'
import { readLatestConfirmedAssertion } from '../../../shared/rollups/arbitrum-nitro/status/readConfirmedAssertion'
import { findWithdrawalsTo } from '../../../shared/rollups/arbitrum-nitro/status/findWithdrawalsTo'
import { readVerifiedWithdrawalProof } from '../../../shared/rollups/arbitrum-nitro/status/readVerifiedWithdrawalProof'
import { buildExecuteTransactionTx } from '../../../shared/rollups/arbitrum-nitro/tx/buildExecuteTransactionTx'
import { buildL2WithdrawalTx } from '../../../shared/rollups/arbitrum-nitro/tx/buildL2WithdrawalTx'
import { buildSendL2MessageTx } from '../../../shared/rollups/arbitrum-nitro/tx/buildSendL2MessageTx'
import { startArbitrumDevnet, type ArbitrumDevnet } from '../../devnet/arbitrum/startArbitrumDevnet'
import { ARB_SYS_ADDRESS, arbSysAbi } from '../../devnet/arbitrum/l2/l2Chain'
import { DEVNET_ROLES, startDevnet, type Devnet } from '../../devnet/devnet'
import { mine } from '../../devnet/timeTravel'
import { main } from '../main'
import { devnetPublicClient, devnetWalletClient } from '../../devnet/devnetClients'

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-status-'))
let devnet: Devnet
let l2: ArbitrumDevnet
let networkFile: string
let user: ReturnType<typeof privateKeyToAccount>
let delayedL1Block: bigint
const l1 = () => devnetPublicClient(devnet.l1.rpcUrl)

async function withdrawOnL2(value: bigint): Promise<void> {
  const chain = defineChain({ id: l2.l2ChainId, name: 'devnet L2', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [l2.l2RpcUrl] } } })
  const wallet = devnetWalletClient(l2.l2RpcUrl, user, { chain })
  await wallet.sendTransaction({ to: ARB_SYS_ADDRESS, value, data: encodeFunctionData({ abi: arbSysAbi, functionName: 'withdrawEth', args: [user.address] }) })
}

beforeAll(async () => {
  devnet = await startDevnet({ stacks: ['arbitrum'] })
  l2 = await startArbitrumDevnet({ l1: devnet.anvil, deployment: devnet.arbitrum!, autoSequence: false })
  const network = devnet.arbitrum!.network
  networkFile = path.join(home, 'devnet-arbitrum.json')
  fs.writeFileSync(networkFile, JSON.stringify({ ...network, l2RpcUrl: undefined }))
  user = privateKeyToAccount(devnet.anvil.accounts[DEVNET_ROLES.user2]!.privateKey as Hex)
  await l2.fund(user.address, parseEther('2'))
  // Confirmed: 0.1 (executed below) and 0.2 (left ready to execute).
  await withdrawOnL2(parseEther('0.1'))
  await withdrawOnL2(parseEther('0.2'))
  await l2.postBatchNow()
  await l2.postAndConfirmAssertionNow()
  // Sequenced but not under a confirmed root: 0.3.
  await withdrawOnL2(parseEther('0.3'))
  await l2.postBatchNow()

  // Execute the 0.1 withdrawal on L1 with its proof, verified against the confirmed root.
  const client = l1()
  const confirmed = await readLatestConfirmedAssertion(client, network)
  const l2Client = devnetPublicClient(l2.l2RpcUrl)
  const sends = await findWithdrawalsTo(l2Client, { destination: user.address, fromBlock: 0n, toBlock: await l2Client.getBlockNumber(), source: 'devnet L2' })
  const first = sends.find((s) => s.value === parseEther('0.1'))!
  const proven = await readVerifiedWithdrawalProof({ l2: l2Client, send: first, confirmed, source: 'devnet L2' })
  if (proven.status !== 'proven') throw new Error('expected the first withdrawal under the confirmed root')
  const call = buildExecuteTransactionTx({ network, send: first, index: first.position, proof: proven.proof, confirmedSendRoot: confirmed.sendRoot })
  const wallet = devnetWalletClient(devnet.l1.rpcUrl, user)
  await client.waitForTransactionReceipt({ hash: await wallet.sendTransaction({ chain: null, to: call.to, data: call.data }) })

  // A censored L2 withdrawal carried to L1 through the delayed inbox: the sequencer skips it.
  l2.setCensored(user.address, true)
  const { request } = buildL2WithdrawalTx({ l2ChainId: network.l2ChainId, nonce: await l2Client.getTransactionCount({ address: user.address }), destination: user.address, value: parseEther('0.4') })
  if (request.type !== 'eip1559') throw new Error('expected an EIP-1559 request')
  const send = buildSendL2MessageTx({ network, signedL2Tx: await user.signTransaction({ ...request, to: request.to ?? undefined }) })
  const receipt = await client.waitForTransactionReceipt({ hash: await wallet.sendTransaction({ chain: null, to: send.to, data: send.data }) })
  delayedL1Block = receipt.blockNumber
}, 180_000)
afterAll(async () => {
  await l2?.stop()
  await devnet?.stop()
  fs.rmSync(home, { recursive: true, force: true })
})

async function status(...more: string[]) {
  let stdout = ''
  let stderr = ''
  const argv = ['status', '--network-file', networkFile, '--address', user.address, '--l1-rpc', devnet.l1.rpcUrl, '--l1-rpc', devnet.l1.rpcUrl.replace('127.0.0.1', 'localhost'), '--l2-rpc', l2.l2RpcUrl, '--from-block', '0', ...more]
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { ESCAPE_HATCH_HOME: home } }, new AbortController().signal)
  return { code, stdout, stderr, json: () => JSON.parse(stdout) as Record<string, any> }
}

/** The date of L1 block `block` from two real headers: (t_head − t_from)/(head − from) a block, from the head. */
async function expectedDate(block: bigint): Promise<{ measured: number; at12: number }> {
  const head = await l1().getBlock({ blockTag: 'latest' })
  const from = await l1().getBlock({ blockNumber: head.number > 7200n ? head.number - 7200n : 0n })
  const measured = head.timestamp * 1000n + ((block - head.number) * (head.timestamp - from.timestamp) * 1000n) / (head.number - from.number)
  return { measured: Number(measured), at12: Number((head.timestamp + (block - head.number) * 12n) * 1000n) }
}

const byTitle = (exits: any[], re: RegExp) => exits.find((e) => re.test(e.title))

describe('escape-hatch status (Arbitrum devnet)', () => {
  it('shows each exit with its stage, blocker, dates from the measured L1 block time, and one next action', async () => {
    const r = await status('--json')
    expect(r.code, r.stderr).toBe(0)
    const s = r.json()
    expect(s.network).toMatchObject({ stack: 'arbitrum-nitro' })
    expect(s.l1BlockTime).toMatch(/^L1 block time \d+\.\d\d s, measured over L1 blocks \d+\.\.\d+$/)
    const exits = s.exits as any[]
    expect(exits.map((e) => [e.kind, e.stage])).toEqual([
      ['delayed-message', 'in-delayed-inbox'],
      ['withdrawal', 'executed'],
      ['withdrawal', 'ready-to-execute'],
      ['withdrawal', 'waiting-for-confirmation'],
    ])

    // The censored message: forceInclusion from delayedL1Block + delayBlocks (50) + 1, dated at the measured block time.
    const delayed = exits[0]
    const firstIncludable = delayedL1Block + 51n
    const want = await expectedDate(firstIncludable)
    expect(want.measured).not.toBe(want.at12) // the devnet's blocks are not 12 s apart: a literal 12 would be wrong here
    expect(delayed.blocker).toMatch(new RegExp(`has not included delayed message #\\d+ yet; it can be forced in from L1 block ${firstIncludable} \\(in `))
    expect(delayed.nextAction).toMatchObject({ kind: 'force-include', by: 'anyone', ready: false })
    expect(new Date(delayed.nextAction.earliest.at).getTime()).toBe(want.measured)
    expect(delayed.nextAction.earliest).toMatchObject({ estimate: true })
    expect(delayed.nextAction.earliest.basis).toMatch(/measured over L1 blocks/)
    expect(delayed.deadlines).toHaveLength(1)

    expect(byTitle(exits, /100000000000000000 wei/)).toMatchObject({ stage: 'executed', blocker: null, nextAction: null, deadlines: [] })
    expect(byTitle(exits, /200000000000000000 wei/)).toMatchObject({ stage: 'ready-to-execute', blocker: null, nextAction: { kind: 'execute-withdrawal', by: 'you', ready: true } })

    const waiting = byTitle(exits, /300000000000000000 wei/)
    expect(waiting.title).toMatch(/not yet under a confirmed root/)
    expect(waiting.blocker).toMatch(/No assertion posted on L1 covers withdrawal #\d+ yet; .* confirmed 20 L1 blocks later/)
    expect(waiting.nextAction).toMatchObject({ kind: 'wait-for-confirmation', by: 'validator', ready: false })
    const head = await l1().getBlockNumber()
    expect(new Date(waiting.deadlines[0].deadline.at).getTime()).toBe((await expectedDate(head + 20n)).measured)

    const text = await status()
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toMatch(/next: Force delayed message #\d+ in .* — from about (\d{4}-\d\d-\d\d \d\d:\d\d \S+ \()?\d{4}-\d\d-\d\d \d\d:\d\d UTC\)? \(in /)
    expect(text.stdout).toMatch(/: executed\n {2}next: nothing — this exit is done/)
    expect(text.stdout).toMatch(/next: Execute withdrawal #\d+ .* — now/)
    expect(text.stdout).not.toMatch(/\b0 h\b/)
  }, 120_000)

  it('past the deadline the message is force-includable now; after a confirmation the old find says to search again', async () => {
    const network = devnet.arbitrum!.network
    const adapter = createArbitrumAdapter({ l1: l1(), l2: devnetPublicClient(l2.l2RpcUrl), fromBlock: 0n })
    const described = await adapter.describe(network)
    expect(described).toMatchObject({ stack: 'arbitrum-nitro', l2ChainId: network.l2ChainId, contracts: { outbox: network.contracts.outbox } })
    expect(described.parameters).toMatchObject({ delayBlocks: 50n, confirmPeriodBlocks: 20n, isDelayBufferable: false })
    expect(described.l1Clock).toMatchObject({ measured: true, head: { number: described.l1Block } })
    const before = await adapter.findWithdrawals(network, user.address)
    const head = await l1().getBlockNumber()
    await mine(devnet.l1.rpcUrl, Number(delayedL1Block + 50n - head))
    const delayed = before.items.find((i) => i.kind === 'delayed-message')!
    const now = await adapter.status(network, delayed)
    expect(now.stage).toBe('force-includable')
    expect(now.blocker).toMatch(/its force-inclusion deadline \(L1 block \d+\) has passed/)
    expect(now.nextAction).toMatchObject({ kind: 'force-include', ready: true })
    expect(now.deadlines[0]).toMatchObject({ passed: true })

    l2.setCensored(user.address, false)
    await l2.postAndConfirmAssertionNow()
    const stale = before.items.find((i) => i.kind === 'withdrawal' && i.withdrawal.value === parseEther('0.3'))!
    expect(await adapter.status(network, stale)).toMatchObject({ stage: 'waiting-for-confirmation', nextAction: { kind: 'search-again', ready: true } })
    const again = await adapter.findWithdrawals(network, user.address)
    const fresh = again.items.find((i) => i.kind === 'withdrawal' && i.withdrawal.value === parseEther('0.3'))!
    expect(await adapter.status(network, fresh)).toMatchObject({ stage: 'ready-to-execute' })
  }, 120_000)

  it('refuses a missing --l1-rpc and a bad block number', async () => {
    const noL1 = await main(['status', '--network-file', networkFile, '--address', user.address], { stdout: () => {}, stderr: () => {}, env: { ESCAPE_HATCH_HOME: home } }, new AbortController().signal)
    expect(noL1).toBe(2)
    expect((await status('--l2-from-block', 'yesterday')).code).toBe(2)
  })
})

