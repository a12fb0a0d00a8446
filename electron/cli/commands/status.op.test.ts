/* eslint-disable @typescript-eslint/no-explicit-any -- this test reads the CLI's JSON output loosely, field by field */
// `escape-hatch status` for an OP Stack network on the devnet (real op-contracts v1.4 on anvil), through the CLI's
// main(): one address with exits in several stages — a forced withdrawal waiting for L2 inclusion (its sequencing-window
// date), a withdrawal proven against a game still open (the game clock, proof maturity and airgap dated separately),
// one ready to finalize and one finalized — each with its blocker and next action, read-only.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { keccak256, parseEther, stringToHex } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildFinalizeWithdrawalTx } from '../../../shared/rollups/op-stack/withdraw/buildFinalizeWithdrawalTx'
import { buildForcedEthWithdrawalTx } from '../../../shared/rollups/op-stack/withdraw/buildForcedWithdrawalTx'
import { buildL2WithdrawalState, messagePasserWithdrawal } from '../../../shared/rollups/op-stack/withdraw/test-support/l2WithdrawalState'
import { DEVNET_OP_PARAMETERS } from '../../devnet/op/deploy'
import { DEVNET_ROLES, startDevnet, type Devnet } from '../../devnet/devnet'
import { connectDevnetL1 } from '../../devnet/sendDevnetTransaction'
import { increaseTime } from '../../devnet/timeTravel'
import { writeDevnetNetworks } from '../../devnet/writeDevnetNetworks'
import { openL1Gateway } from '../../services/l1/openL1Gateway'
import { opDevnetDriver } from '../../services/op/test-support/opWithdrawalDevnet'
import { main } from '../main'

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-status-op-'))
let devnet: Devnet
let networkFile: string
let depositBlock: bigint

beforeAll(async () => {
  devnet = await startDevnet({ stacks: ['op'] })
  const [file] = await writeDevnetNetworks({ networksDir: path.join(home, 'networks'), manifest: devnet.manifest, servedBy: { pid: process.pid, startedAt: new Date().toISOString() } })
  networkFile = file as string
  const l1 = await connectDevnetL1(devnet.l1.rpcUrl, devnet.anvil)
  const gateway = await openL1Gateway({ urls: [devnet.l1.rpcUrl], l1ChainId: devnet.l1.chainId })
  const portal = devnet.op!.contracts.optimismPortal
  const d = opDevnetDriver(l1, gateway, portal, devnet.l1.chainId)
  const user = devnet.anvil.accounts[DEVNET_ROLES.user1]!
  const funder = devnet.anvil.accounts[DEVNET_ROLES.user2]!
  const relayer = devnet.anvil.accounts[DEVNET_ROLES.user3]!
  // Funds for the payouts, from another address (not one of the user's exits).
  await d.send(funder, buildForcedEthWithdrawalTx({ l1ChainId: devnet.l1.chainId, portal, networkName: 'devnet', target: funder.address, amount: parseEther('3'), mint: parseEther('3') }))

  const w = [1n, 2n, 3n].map((n) => messagePasserWithdrawal({ n, sender: user.address, target: user.address, value: parseEther(`0.${n}`) }))
  const state = buildL2WithdrawalState({ withdrawals: w })
  const h10 = keccak256(stringToHex('L2 block 10'))
  const h20 = keccak256(stringToHex('L2 block 20'))
  const g1 = await d.createGame(relayer, state.outputRoot(h10), 10n)
  await increaseTime(devnet.l1.rpcUrl, 2)
  await d.prove(user, { state, blockHash: h10, withdrawal: w[0]!, i: 0, gameIndex: g1 })
  await d.prove(user, { state, blockHash: h10, withdrawal: w[1]!, i: 1, gameIndex: g1 })
  await increaseTime(devnet.l1.rpcUrl, DEVNET_OP_PARAMETERS.maxClockDuration + 1)
  await d.resolve(relayer, g1)
  await increaseTime(devnet.l1.rpcUrl, DEVNET_OP_PARAMETERS.proofMaturityDelaySeconds + 1)
  const { setup } = await d.setupNow()
  await d.send(user, buildFinalizeWithdrawalTx({ l1ChainId: devnet.l1.chainId, setup, withdrawal: w[0]!, proofSubmitter: user.address, from: user.address }))
  const g2 = await d.createGame(relayer, state.outputRoot(h20), 20n)
  await increaseTime(devnet.l1.rpcUrl, 2)
  await d.prove(user, { state, blockHash: h20, withdrawal: w[2]!, i: 2, gameIndex: g2 })
  // A forced withdrawal that L2 has not had to include yet.
  const r = await d.send(user, buildForcedEthWithdrawalTx({ l1ChainId: devnet.l1.chainId, portal, networkName: 'devnet', target: user.address, amount: parseEther('0.5') }))
  depositBlock = r.blockNumber
}, 240_000)

afterAll(async () => {
  await devnet?.stop()
  fs.rmSync(home, { recursive: true, force: true })
})

async function status(...extra: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const argv = ['status', '--network-file', networkFile, '--address', devnet.anvil.accounts[DEVNET_ROLES.user1]!.address, '--l1-rpc', devnet.l1.rpcUrl, ...extra]
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { ESCAPE_HATCH_HOME: home } }, new AbortController().signal)
  return { code, stdout, stderr }
}

describe('escape-hatch status on the OP devnet', () => {
  it('lists the forced withdrawal and the proven withdrawals, each with its stage, dates and next action', async () => {
    const { code, stdout, stderr } = await status('--json')
    expect(stderr).not.toMatch(/error/i)
    expect(code).toBe(0)
    const out = JSON.parse(stdout) as any
    expect(out.network).toMatchObject({ stack: 'op-stack', name: 'Devnet OP Stack' })
    const byStage = Object.fromEntries(out.exits.map((e: any) => [e.stage, e]))
    expect(Object.keys(byStage).sort()).toEqual(['finalized', 'ready-to-finalize', 'waiting-for-game', 'waiting-for-inclusion'])

    const forced = byStage['waiting-for-inclusion']
    expect(forced.kind).toBe('forced-withdrawal')
    expect(BigInt(forced.facts.l1BlockNumber)).toBe(depositBlock)
    expect(forced.facts.l2TransactionHash).toMatch(/^0x[0-9a-f]{64}$/)
    expect(forced.nextAction).toMatchObject({ kind: 'wait-for-inclusion', by: 'sequencer', ready: false })
    expect(forced.deadlines[0].what).toMatch(/^in L2 by \(sequencing window after L1 block \d+\)$/)

    const open = byStage['waiting-for-game']
    expect(open.deadlines.map((d: any) => d.what)).toEqual([expect.stringMatching(/resolvable/), expect.stringMatching(/proof maturity/), expect.stringMatching(/airgap/), expect.stringMatching(/finalizable/)])
    // The game's resolution date is its creation + the devnet clock (300 s), exactly (a timestamp rule).
    const [resolvable, maturity] = open.deadlines
    expect(resolvable.deadline.estimate).toBe(false)
    expect(new Date(maturity.deadline.at).getTime() - new Date(resolvable.deadline.at).getTime()).toBeGreaterThan(0)
    expect(open.nextAction).toMatchObject({ kind: 'wait-for-game', ready: false })
    expect(byStage['ready-to-finalize'].nextAction).toMatchObject({ kind: 'finalize', ready: true })
    expect(byStage.finalized.nextAction).toBeNull()
  }, 120_000)

  it('prints the same in words: dates with the airgap, never "0 h left"', async () => {
    const { code, stdout } = await status()
    expect(code).toBe(0)
    expect(stdout).toMatch(/Forced withdrawal of 500000000000000000 wei .*: waiting-for-inclusion/)
    expect(stdout).toMatch(/finality airgap ends, at the earliest: /)
    expect(stdout).toMatch(/next: nothing — this exit is done/)
    expect(stdout).not.toMatch(/\b0 h\b/)
  }, 120_000)
})
