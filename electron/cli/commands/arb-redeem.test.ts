/* eslint-disable @typescript-eslint/no-explicit-any -- this test reads the CLI's JSON output loosely, field by field */
// `arb redeem` and `jobs resume` through the CLI's main(), on the devnet (anvil L1 with the real Nitro contracts, the
// devnet L2 emulating ArbRetryableTx and censoring the redeemer), as a user would run them: a retryable whose
// auto-redeem never ran (gas limit 0) is found from its L1 transaction; a dry run shows its expiry and the keep-alive
// option; the command stops at the force-inclusion wait with the exact resume command; a second command for the same
// ticket is refused (continue the job instead); time travel; `jobs resume` forces the redeem in and the beneficiary's
// L2 balance rises by the call value; the ticket, now redeemed, is refused with the reason.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { getAddress, parseEther, type Address, type Hex, type PublicClient } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { inboxAbi } from '../../../contracts-abi/arbitrum-nitro/Inbox'
import { startArbitrumDevnet, type ArbitrumDevnet } from '../../devnet/arbitrum/startArbitrumDevnet'
import { retryableSubmissionFee } from '../../devnet/arbitrum/l2/retryables'
import { DEVNET_ROLES, startDevnet, type Devnet } from '../../devnet/devnet'
import { devnetPublicClient, devnetWalletClient } from '../../devnet/devnetClients'
import { mine } from '../../devnet/timeTravel'
import { main } from '../main'

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-arb-redeem-'))
let devnet: Devnet
let l2: ArbitrumDevnet
let l1: PublicClient
let l2Check: PublicClient
let networkFile: string
const beneficiary: Address = getAddress('0x00000000000000000000000000000000beef0017')
const callValue = parseEther('0.25')

beforeAll(async () => {
  devnet = await startDevnet({ stacks: ['arbitrum'] })
  l2 = await startArbitrumDevnet({ l1: devnet.anvil, deployment: devnet.arbitrum!, pollIntervalMs: 100 })
  l1 = devnetPublicClient(devnet.l1.rpcUrl)
  l2Check = devnetPublicClient(l2.l2RpcUrl, { retryCount: 0 })
  networkFile = path.join(home, 'devnet-arbitrum.json')
  fs.writeFileSync(networkFile, JSON.stringify({ ...devnet.arbitrum!.network, l2RpcUrl: undefined }))
}, 120_000)
afterAll(async () => {
  await l2?.stop()
  await devnet?.stop()
  fs.rmSync(home, { recursive: true, force: true })
})

async function run(argv: string[]) {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { ESCAPE_HATCH_HOME: home } }, new AbortController().signal)
  return { code, stdout, stderr, json: () => JSON.parse(stdout) as Record<string, any> }
}

/** Run exactly the command a previous run printed (`escape-hatch jobs resume …`). */
function runPrinted(command: string) {
  const argv = [...command.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2]!)
  expect(argv[0]).toBe('escape-hatch')
  return run(argv.slice(1))
}

/** A retryable with gas limit 0 (no auto-redeem: the ticket waits for a manual redeem), created on L2 by the sequencer. */
async function createStuckTicket(): Promise<Hex> {
  const creator = privateKeyToAccount(devnet.anvil.accounts[DEVNET_ROLES.user2]!.privateKey as Hex)
  const baseFee = (await l1.getBlock()).baseFeePerGas ?? 0n
  const maxSubmissionCost = retryableSubmissionFee(0, baseFee * 2n) + 1n
  const hash = await devnetWalletClient(devnet.l1.rpcUrl, creator).writeContract({
    address: devnet.arbitrum!.network.contracts.inbox, abi: inboxAbi, functionName: 'createRetryableTicket', chain: null,
    args: [beneficiary, callValue, maxSubmissionCost, creator.address, beneficiary, 0n, 0n, '0x'], value: callValue + maxSubmissionCost,
  })
  expect((await l1.waitForTransactionReceipt({ hash })).status).toBe('success')
  await l2.postBatchNow().catch(() => null)
  await l2.sync()
  return hash
}

const rpc = () => ['--l1-rpc', devnet.l1.rpcUrl, '--l2-rpc', l2.l2RpcUrl]
const userPath = (i: number) => `44'/60'/0'/0/${i}`

describe('escape-hatch arb redeem / jobs resume on the devnet', () => {
  it('finds the stuck ticket, shows its expiry and keep-alive, forces the redeem in through the delayed inbox, then refuses the redeemed ticket', async () => {
    const createTx = await createStuckTicket()
    const user = devnet.anvil.accounts[DEVNET_ROLES.user1]!.address as Address
    await l2.fund(user, parseEther('1'))
    l2.setCensored(user, true)
    const base = ['arb', 'redeem', '--network', networkFile, ...rpc(), '--tx', createTx, '--signer', 'soft-ledger', '--path', userPath(DEVNET_ROLES.user1), '--poll-seconds', '0.1']

    expect((await run(['arb', 'redeem', '--network', networkFile, ...rpc(), '--signer', 'soft-ledger'])).code).toBe(2)
    const dry = await run([...base, '--dry-run'])
    expect(dry.code, dry.stderr).toBe(0)
    expect(dry.stdout).toMatch(/Stage: awaiting-redeem\./)
    expect(dry.stdout).toMatch(/Expires .*\d{4}-\d\d-\d\d.* unless redeemed or kept alive/)
    expect(dry.stdout).toMatch(/Keep-alive: ArbRetryableTx\.keepalive\(0x[0-9a-f]{64}\) moves the expiry 7 days later/)
    expect(dry.stdout).toContain('Dry run: no job was created and nothing was signed.')
    expect((await run(['jobs', 'list', '--json'])).json().jobs).toEqual([])
    const ticketId = /Ticket (0x[0-9a-f]{64})/.exec(dry.stdout)![1]!

    const before = await l2Check.getBalance({ address: beneficiary })
    const first = await run([...base, '--json'])
    expect(first.code, first.stderr).toBe(0)
    const r1 = first.json()
    expect(r1.outcome).toBe('paused')
    expect(r1.pause.reason).toBe('deadline')
    expect(r1.ticket).toMatchObject({ ticketId, stage: 'awaiting-redeem' })
    expect(r1.transactions.map((t: { step: string; status: string }) => [t.step, t.status])).toEqual([['send-l2-message', 'mined']])
    expect(r1.resumeCommand).toBe(`escape-hatch jobs resume ${r1.jobId} --l1-rpc ${devnet.l1.rpcUrl} --l2-rpc ${l2.l2RpcUrl} --poll-seconds 0.1`)

    // A second command for the same ticket (here by its id) is refused: the unfinished job is the one to continue.
    const again = await run(['arb', 'redeem', '--network', networkFile, ...rpc(), '--ticket', ticketId, '--signer', 'soft-ledger', '--path', userPath(DEVNET_ROLES.user1)])
    expect(again.code).toBe(1)
    expect(again.stderr).toContain(`Job ${r1.jobId} already redeems ticket ${ticketId}`)
    expect(again.stderr).toContain(`escape-hatch jobs resume ${r1.jobId}`)

    // Time travel past the force-inclusion deadline; the printed command finishes the job.
    const head = await l1.getBlockNumber()
    const deadline = BigInt(r1.pause.untilL1Block)
    if (head < deadline) await mine(devnet.l1.rpcUrl, deadline - head, 12)
    const resumed = await runPrinted(r1.resumeCommand)
    expect(resumed.code, resumed.stderr).toBe(0)
    // The redeem's own ending (not the ETH escape's "paid out on L1").
    expect(resumed.stdout).toMatch(new RegExp(`Finished: ticket ${ticketId} redeemed by 0x[0-9a-f]{64} \\(as the L2 node reports it\\), after your redeem 0x[0-9a-f]{64} was forced in in batch \\d+ \\(L1 confirms that\\)\\.`))
    expect(resumed.stdout).not.toContain('paid out on L1')
    const shown = (await run(['jobs', 'show', r1.jobId, '--json'])).json()
    expect(shown.state.status).toBe('succeeded')
    expect((await l2Check.getBalance({ address: beneficiary })) - before).toBe(callValue)

    const redeemed = await run([...base])
    expect(redeemed.code).toBe(1)
    expect(redeemed.stderr).toContain(`Ticket ${ticketId} was already redeemed (as the L2 node reports it): there is nothing to redeem.`)
  }, 300_000)
})
