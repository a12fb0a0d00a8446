/* eslint-disable @typescript-eslint/no-explicit-any -- this test reads the CLI's JSON output loosely, field by field */
// `arb retryables` on the devnet's real nitro-contracts Inbox and Bridge, through the L1 gateway: a retryable created
// with Inbox.createRetryableTicket is found from its L1 transaction and from its sender's address, its ticket id is
// the one computed from the message data the Inbox emitted, and with no sequencer reading the inbox the command says
// when it can be forced in. (The devnet L2 does not run retryables yet; the L2 half is tested against real Arbitrum
// One answers in shared/rollups/arbitrum-nitro/retryables/readRetryableOnL2.test.ts.)
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { getAddress, parseEther, parseGwei, type Address, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inboxAbi } from '../../../contracts-abi/arbitrum-nitro/Inbox'
import { applyL1ToL2Alias } from '../../../shared/rollups/arbitrum-nitro/status/applyL1ToL2Alias'
import { DEVNET_ROLES, startDevnet, type Devnet } from '../../devnet/devnet'
import { devnetPublicClient, devnetWalletClient } from '../../devnet/devnetClients'
import { main } from '../main'

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-arb-retryables-'))
let devnet: Devnet
let networkFile: string
let txHash: Hex
let user: Address
const target: Address = getAddress('0x00000000000000000000000000000000000a11ce')

beforeAll(async () => {
  devnet = await startDevnet({ stacks: ['arbitrum'] })
  const network = devnet.arbitrum!.network
  networkFile = path.join(home, 'devnet-arbitrum.json')
  fs.writeFileSync(networkFile, JSON.stringify({ ...network, l2RpcUrl: undefined }))
  const key = devnet.anvil.accounts[DEVNET_ROLES.user1]!
  const account = privateKeyToAccount(key.privateKey as Hex)
  user = account.address
  const l1 = devnetPublicClient(devnet.l1.rpcUrl)
  const wallet = devnetWalletClient(devnet.l1.rpcUrl, account)
  const data: Hex = '0xdeadbeef'
  const fee = await l1.readContract({ address: network.contracts.inbox, abi: inboxAbi, functionName: 'calculateRetryableSubmissionFee', args: [4n, 0n] })
  const maxSubmissionCost = fee * 10n + parseGwei('1')
  const gasLimit = 100_000n
  const maxFeePerGas = parseGwei('1')
  txHash = await wallet.writeContract({
    address: network.contracts.inbox, abi: inboxAbi, functionName: 'createRetryableTicket', chain: null,
    args: [target, parseEther('0.01'), maxSubmissionCost, user, user, gasLimit, maxFeePerGas, data],
    value: parseEther('0.01') + maxSubmissionCost + gasLimit * maxFeePerGas,
  })
  expect((await l1.waitForTransactionReceipt({ hash: txHash })).status).toBe('success')
}, 120_000)
afterAll(async () => {
  await devnet?.stop()
  fs.rmSync(home, { recursive: true, force: true })
})

async function cli(...more: string[]) {
  let stdout = ''
  let stderr = ''
  const argv = ['arb', 'retryables', '--network-file', networkFile, '--l1-rpc', devnet.l1.rpcUrl, ...more]
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { ESCAPE_HATCH_HOME: home } }, new AbortController().signal)
  return { code, stdout, stderr }
}

describe('arb retryables on the devnet', () => {
  it('finds the ticket from its L1 transaction: submission, ticket id, not read by the sequencer yet', async () => {
    const r = await cli('--tx', txHash, '--json')
    expect(r.code, r.stderr).toBe(0)
    const out = JSON.parse(r.stdout) as Record<string, any>
    expect(out.tickets).toHaveLength(1)
    const t = out.tickets[0]
    expect(t.stage).toBe('waiting-for-sequencing')
    expect(t.ticket.sender).toBe(applyL1ToL2Alias(user))
    expect(t.ticket.submission).toMatchObject({ to: target, l2CallValue: parseEther('0.01').toString(), gasLimit: '100000', data: '0xdeadbeef', callValueRefundAddress: user })
    expect(t.ticket.ticketId).toMatch(/^0x[0-9a-f]{64}$/)
    expect(t.nextStep).toMatch(/force message #\d+ in from L1 block \d+/)
    expect(out.rejected).toEqual([])

    const text = await cli('--tx', txHash)
    expect(text.stdout).toContain(`Ticket ${t.ticket.ticketId} (delayed message #${t.ticket.messageIndex}`)
    expect(text.stdout).toMatch(/L1: The sequencer inbox has NOT read the message yet/)
  })

  it('finds the same ticket from the sender’s address, and nothing for an unrelated one', async () => {
    const byTx = JSON.parse((await cli('--tx', txHash, '--json')).stdout) as Record<string, any>
    const byAddress = JSON.parse((await cli('--address', user, '--from-block', '0', '--json')).stdout) as Record<string, any>
    expect(byAddress.tickets.map((t: any) => t.ticket.ticketId)).toEqual([byTx.tickets[0].ticket.ticketId])
    const none = JSON.parse((await cli('--address', '0x000000000000000000000000000000000000dEaD', '--from-block', '0', '--json')).stdout) as Record<string, any>
    expect(none.tickets).toEqual([])
  })

  it('refuses an L1 transaction that made no retryable, and wrong arguments', async () => {
    // An ETH deposit: a delayed message of kind 12, not a retryable.
    const account = privateKeyToAccount(devnet.anvil.accounts[DEVNET_ROLES.user1]!.privateKey as Hex)
    const wallet = devnetWalletClient(devnet.l1.rpcUrl, account)
    const deposit = await wallet.writeContract({ address: devnet.arbitrum!.network.contracts.inbox, abi: inboxAbi, functionName: 'depositEth', args: [], chain: null, value: parseEther('0.001') })
    await devnetPublicClient(devnet.l1.rpcUrl).waitForTransactionReceipt({ hash: deposit })
    const r = await cli('--tx', deposit)
    expect(r.code).not.toBe(0)
    expect(r.stderr).toMatch(/created no retryable ticket on .* \(its delayed messages are of other kinds\)/)
    expect((await cli('--tx', txHash, '--address', user)).code).toBe(2)
    expect((await cli()).code).toBe(2)
  })
})
