/* eslint-disable @typescript-eslint/no-explicit-any -- this test reads the CLI's JSON output loosely, field by field */
// `escape-hatch status` on the devnet OP L2 (issue 12 "Must show": status answers for an account with withdrawals in
// every stage, with correct dates). ONE account sends ten forced withdrawals through the real portal; the devnet L2
// (our executor) includes them, its proposer posts games with honest roots, and the test proves, resolves,
// blacklists and finalizes on the real L1 contracts, moving L1 time, so that the account ends with one withdrawal in
// each stage: waiting for inclusion, ready to prove (with a game covering it, and with none yet), proven while the game
// clock runs, game clock over but not resolved, resolved and waiting for the proof maturity and the airgap (both, and
// the airgap alone), ready to finalize (with another address's proof: the external-proof variant), finalized, and
// proven against a blacklisted game (re-prove). Every date is checked to the second against the L1 timestamps of the
// game's creation, the proof and the resolution, and the contracts' delays read from L1 (the portal's rules are
// strict: a date is the first second the contract accepts). The pains of notes/op-stack.md §9 are the assertions:
// the airgap shown apart from the maturity and never "0 h left", a blacklisted proof reads as "prove again", finalizing
// with someone else's proof names the external-proof call, "ready to prove" says whether a game covers it yet.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { bytesToHex, encodeFunctionData, getAbiItem, parseEther, type Address, type Hex } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { faultDisputeGameAbi } from '../../../contracts-abi/op-stack/FaultDisputeGame'
import { optimismPortal2Abi } from '../../../contracts-abi/op-stack/OptimismPortal2'
import { toNetworkFile } from '../../../shared/networks/networkFile'
import type { WithdrawalTransaction } from '../../../shared/rollups/op-stack/proof/withdrawalProof'
import { buildFinalizeWithdrawalTx } from '../../../shared/rollups/op-stack/withdraw/buildFinalizeWithdrawalTx'
import { buildForcedEthWithdrawalTx } from '../../../shared/rollups/op-stack/withdraw/buildForcedWithdrawalTx'
import { buildProveWithdrawalTx } from '../../../shared/rollups/op-stack/withdraw/buildProveWithdrawalTx'
import { checkGameRootClaimWithL2Node } from '../../../shared/rollups/op-stack/withdraw/checkGameRootClaim'
import { depositL2Transaction } from '../../../shared/rollups/op-stack/withdraw/depositL2TxHash'
import { findMessagePassed } from '../../../shared/rollups/op-stack/withdraw/findMessagePassed'
import { readGames } from '../../../shared/rollups/op-stack/withdraw/readGames'
import { readPortalSetup } from '../../../shared/rollups/op-stack/withdraw/readPortalSetup'
import { readUntrustedWithdrawalProof } from '../../../shared/rollups/op-stack/withdraw/readUntrustedWithdrawalProof'
import { DEVNET_OP_PARAMETERS } from '../../devnet/op/deploy'
import { DEVNET_ROLES } from '../../devnet/devnet'
import type { DevnetKey } from '../../devnet/sendDevnetTransaction'
import { increaseTime } from '../../devnet/timeTravel'
import { createRpcL2BlockSource } from '../../services/op/createRpcL2BlockSource'
import { devnetOpNetworkEntry, startOpEscapeDevnet, type OpEscapeDevnet } from '../../services/flows/op/test-support/opEscapeDevnet'
import { main } from '../main'

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-status-opl2-'))
const { maxClockDuration: CLOCK, proofMaturityDelaySeconds: MATURITY, disputeGameFinalityDelaySeconds: AIRGAP } = DEVNET_OP_PARAMETERS
let d: OpEscapeDevnet
let networkFile: string
let user: DevnetKey
let relayer: DevnetKey

/** One of the account's withdrawals as the test (the trusted side) knows it. */
interface Known {
  amount: bigint
  depositL1Block: bigint
  l2TransactionHash: Hex
  l2Block?: bigint
  withdrawal?: WithdrawalTransaction
  withdrawalHash?: Hex
  provenAt?: bigint
  game?: Address
}
const names = ['finalized', 'externalProof', 'blacklisted', 'airgapOnly', 'maturityAndAirgap', 'clockOver', 'clockRunning', 'covered', 'uncovered', 'notIncluded'] as const
type Name = (typeof names)[number]
const w = {} as Record<Name, Known>
/** Game facts by the test's name for them: creation and resolution L1 timestamps. */
const games: Record<string, { address: Address; createdAt: bigint; resolvedAt?: bigint }> = {}

const portal = () => d.devnet.deployment.contracts.optimismPortal
const timestampOf = async (blockNumber: bigint) => (await d.gateway.getBlock({ blockNumber })).timestamp

async function deposit(name: Name, i: number): Promise<void> {
  const amount = parseEther('0.01') * BigInt(i + 1)
  const r = await d.send(user, buildForcedEthWithdrawalTx({ l1ChainId: d.anvil.chainId, portal: portal(), networkName: 'devnet', target: user.address as Address, amount, mint: amount }))
  const [log] = await d.gateway.getLogs({ address: portal(), event: getAbiItem({ abi: optimismPortal2Abi, name: 'TransactionDeposited' }), args: { from: user.address as Address }, fromBlock: r.blockNumber, toBlock: r.blockNumber })
  w[name] = { amount, depositL1Block: r.blockNumber, l2TransactionHash: depositL2Transaction(log as never).l2TransactionHash }
}

/** After the L2 caught up: each deposit's L2 block and the withdrawal it started, as the devnet chain executed it. */
function readIncluded(list: Name[]): void {
  for (const name of list) {
    const found = d.l2.chain.transaction(w[name].l2TransactionHash)
    if (!found) throw new Error(`the devnet L2 did not include ${name}'s deposit`)
    const logs = found.tx.receipt.logs.map((l) => ({ address: bytesToHex(l.address), topics: l.topics.map((t) => bytesToHex(t)), data: bytesToHex(l.data) }))
    const [passed] = findMessagePassed({ logs })
    if (!passed) throw new Error(`${name}'s deposit started no withdrawal`)
    Object.assign(w[name], { l2Block: found.block.number, withdrawal: passed.withdrawal, withdrawalHash: passed.withdrawalHash })
  }
}

async function propose(name: string, l2BlockNumber: bigint): Promise<void> {
  const g = await d.propose({ l2BlockNumber })
  games[name] = { address: g.game, createdAt: await d.gateway.readContract({ address: g.game, abi: faultDisputeGameAbi, functionName: 'createdAt' }) }
  // The portal finalizes only a proof made strictly after the game's creation (OptimismPortal2.checkWithdrawal): a
  // proof in the same L1 second, which a fast machine makes, would make this test's own finalize revert.
  await increaseTime(d.anvil.rpcUrl, 1)
}

/** Proves a withdrawal against one chosen game, with the proof read from the (honest) L2 RPC and checked locally. */
async function prove(name: Name, game: string, from: DevnetKey = user): Promise<void> {
  const head = await d.gateway.getBlock({})
  const setup = await readPortalSetup(d.gateway, portal(), head.number)
  const facts = (await readGames({ l1: d.gateway, setup })).games.find((g) => g.address.toLowerCase() === games[game]!.address.toLowerCase())!
  const node = createRpcL2BlockSource({ url: d.rpc.url, retryCount: 0 })
  const outputRootProof = await checkGameRootClaimWithL2Node({ game: facts, l2: node, config: d.devnet.genesis.rollupConfig })
  const withdrawalProof = await readUntrustedWithdrawalProof({ l2: node, withdrawalHash: w[name].withdrawalHash!, outputRootProof })
  const r = await d.send(from, buildProveWithdrawalTx({ l1ChainId: d.anvil.chainId, setup, game: facts, withdrawal: w[name].withdrawal!, outputRootProof, withdrawalProof }))
  Object.assign(w[name], { provenAt: await timestampOf(r.blockNumber), game: games[game]!.address })
}

async function resolve(game: string): Promise<void> {
  expect(await d.proposer.proposer.resolve(games[game]!.address)).toBe(2)
  games[game]!.resolvedAt = await d.gateway.readContract({ address: games[game]!.address, abi: faultDisputeGameAbi, functionName: 'resolvedAt' })
}

const t0 = Date.now()
const log = (m: string) => process.env.EH_TEST_TRACE && process.stderr.write(`[${((Date.now() - t0) / 1000).toFixed(1)} s] ${m}\n`)

beforeAll(async () => {
  d = await startOpEscapeDevnet()
  log('devnet up')
  user = d.anvil.accounts[DEVNET_ROLES.user1]!
  relayer = d.anvil.accounts[DEVNET_ROLES.user2]!
  networkFile = path.join(home, 'devnet-op.json')
  fs.writeFileSync(networkFile, JSON.stringify(toNetworkFile(devnetOpNetworkEntry(d), { pid: process.pid, startedAt: new Date().toISOString() })))

  // Eight deposits in one L1 stretch (the L2 includes them in a few blocks), then one in a later stretch (after every game's
  // block: no game covers it), then one the L2 has not included (its L2 does not move after it).
  const first = names.slice(0, 8)
  for (const [i, name] of first.entries()) await deposit(name, i)
  await d.advance(2)
  log('await d.advance(2)')
  readIncluded(first)
  log('readIncluded(first)')
  // Every game is at or after the last of the eight blocks: each covers each of the eight.
  const x = first.map((n) => w[n].l2Block!).reduce((a, b) => (a > b ? a : b))
  await d.advance(2)
  await deposit('uncovered', 8)
  log("await deposit('uncovered', 8)")
  await d.advance(2)
  log('await d.advance(2)')
  readIncluded(['uncovered'])
  log("readIncluded(['uncovered'])")
  expect(w.uncovered.l2Block!).toBeGreaterThan(x + 5n)

  // t ≈ 0: game 1 (for the two that finish), game B (to be blacklisted).
  await propose('g1', x + 1n)
  log("await propose('g1', x + 1n)")
  await propose('gB', x + 2n)
  log("await propose('gB', x + 2n)")
  await prove('finalized', 'g1')
  log("await prove('finalized', 'g1')")
  await prove('externalProof', 'g1', relayer)
  log("await prove('externalProof', 'g1', relayer)")
  await prove('blacklisted', 'gB')
  log("await prove('blacklisted', 'gB')")
  await d.send(d.guardian, { chainId: d.anvil.chainId, to: portal(), data: encodeFunctionData({ abi: optimismPortal2Abi, functionName: 'blacklistDisputeGame', args: [games.gB!.address] }), value: 0n, description: 'blacklist game B' })
  log('await d.send(d.guardian, { chainId: d.anvil.chainId, to: por')
  // t ≈ clock: game 1 resolves; game 2 starts, one withdrawal proven against it while it runs.
  await increaseTime(d.anvil.rpcUrl, CLOCK + 1)
  log('await increaseTime(d.anvil.rpcUrl, CLOCK + 1)')
  await resolve('g1')
  log("await resolve('g1')")
  await propose('g2', x + 3n)
  log("await propose('g2', x + 3n)")
  await prove('airgapOnly', 'g2')
  log("await prove('airgapOnly', 'g2')")
  // t ≈ clock + maturity: the first proof has matured and game 1's airgap is over: finalize one of the two. Game 3 starts.
  await increaseTime(d.anvil.rpcUrl, MATURITY + 1)
  log('await increaseTime(d.anvil.rpcUrl, MATURITY + 1)')
  const setup = await readPortalSetup(d.gateway, portal(), await d.gateway.getBlockNumber())
  await d.send(user, buildFinalizeWithdrawalTx({ l1ChainId: d.anvil.chainId, setup, withdrawal: w.finalized.withdrawal!, proofSubmitter: user.address as Address, from: user.address as Address }))
  log('await d.send(user, buildFinalizeWithdrawalTx({ l1ChainId: d.')
  await propose('g3', x + 4n)
  log("await propose('g3', x + 4n)")
  await prove('clockOver', 'g3')
  log("await prove('clockOver', 'g3')")
  // t ≈ 2 clock + maturity: game 3's clock is over (nobody resolves it); game 2 resolves now, a withdrawal is proven
  // against it after its resolution (maturity and airgap both ahead, the maturity later); game 4 starts.
  await increaseTime(d.anvil.rpcUrl, CLOCK + 1)
  log('await increaseTime(d.anvil.rpcUrl, CLOCK + 1)')
  await resolve('g2')
  log("await resolve('g2')")
  await prove('maturityAndAirgap', 'g2')
  log("await prove('maturityAndAirgap', 'g2')")
  await propose('g4', x + 5n)
  log("await propose('g4', x + 5n)")
  await prove('clockRunning', 'g4')
  log("await prove('clockRunning', 'g4')")
  // The last deposit: on L1, not in L2 yet.
  await deposit('notIncluded', 9)
  log("await deposit('notIncluded', 9)")
}, 600_000)

afterAll(async () => {
  await d?.stop()
  fs.rmSync(home, { recursive: true, force: true })
})

async function status(...extra: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const argv = ['status', '--network-file', networkFile, '--address', user.address, '--l1-rpc', d.anvil.rpcUrl, '--l2-rpc', d.rpc.url, ...extra]
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { ESCAPE_HATCH_HOME: home } }, new AbortController().signal)
  return { code, stdout, stderr }
}

/** A date from the JSON output, as an L1 timestamp in seconds. */
const seconds = (deadline: any): bigint => BigInt(new Date(deadline.at).getTime() / 1000)

describe('escape-hatch status on the devnet OP L2: one account, a withdrawal in every stage', () => {
  let exits: Map<Name, any>
  let head: bigint

  beforeAll(async () => {
    const { code, stdout, stderr } = await status('--json')
    expect(stderr).not.toMatch(/error/i)
    expect(code).toBe(0)
    const out = JSON.parse(stdout) as any
    head = await timestampOf(BigInt(out.l1Block))
    // Each exit is found by its L2 transaction (computed from the L1 deposit).
    exits = new Map(names.map((n) => [n, out.exits.find((e: any) => e.facts.l2TransactionHash === w[n].l2TransactionHash)]))
  }, 120_000)

  it('finds all ten forced withdrawals, each with the withdrawal hash the L2 executed', () => {
    for (const n of names) expect(exits.get(n), n).toBeDefined()
    for (const n of names.filter((x) => x !== 'notIncluded')) expect(exits.get(n).facts.withdrawalHash, n).toBe(w[n].withdrawalHash)
    expect(exits.get('notIncluded').facts.withdrawalHash).toBeNull()
  })

  it('stages and next actions', () => {
    const stage = Object.fromEntries(names.map((n) => [n, exits.get(n).stage]))
    expect(stage).toEqual({
      finalized: 'finalized',
      externalProof: 'ready-to-finalize',
      blacklisted: 'proof-invalidated',
      airgapOnly: 'waiting-for-finality',
      maturityAndAirgap: 'waiting-for-finality',
      clockOver: 'ready-to-resolve',
      clockRunning: 'waiting-for-game',
      covered: 'ready-to-prove',
      uncovered: 'ready-to-prove',
      notIncluded: 'waiting-for-inclusion',
    })
    expect(exits.get('finalized').nextAction).toBeNull()
    // Finalizing with another address's proof needs the external-proof call (superchain-relayer#62, viem#3204).
    expect(exits.get('externalProof').nextAction).toMatchObject({ kind: 'finalize', ready: true })
    expect(exits.get('externalProof').nextAction.description).toMatch(new RegExp(`proof submitted by ${relayer.address}: finalizeWithdrawalTransactionExternalProof`, 'i'))
    // A blacklisted game: prove again (base/withdrawer#82), not a status the user cannot act on.
    expect(exits.get('blacklisted').nextAction).toMatchObject({ kind: 're-prove', ready: true })
    expect(exits.get('blacklisted').blocker).toMatch(new RegExp(`${games.gB!.address}.*blacklisted`, 'i'))
    expect(exits.get('clockOver').nextAction).toMatchObject({ kind: 'resolve-game', by: 'anyone', ready: true })
    expect(exits.get('clockRunning').nextAction).toMatchObject({ kind: 'wait-for-game', ready: false })
    expect(exits.get('airgapOnly').nextAction).toMatchObject({ kind: 'wait-for-finality', ready: false })
    expect(exits.get('notIncluded').nextAction).toMatchObject({ kind: 'wait-for-inclusion', by: 'sequencer', ready: false })
  })

  it('"ready to prove" says whether a game covers the withdrawal yet (optimism#13466: stuck at READY_TO_PROVE)', () => {
    const covered = exits.get('covered')
    expect(covered.nextAction).toMatchObject({ kind: 'prove', ready: true })
    expect(covered.blocker).toMatch(new RegExp(`L2 block ${w.covered.l2Block}`))
    // The game that lets it finalize soonest: game 1, resolved long ago (its block is after the withdrawal's).
    expect(covered.blocker).toMatch(new RegExp(`Dispute game ${games.g1!.address} \\(L2 block \\d+, resolved for its claim\\) covers`))
    const uncovered = exits.get('uncovered')
    expect(uncovered.blocker).toMatch(new RegExp(`No dispute game covers L2 block ${w.uncovered.l2Block} yet`))
    expect(uncovered.nextAction.kind).toBe('wait-for-game')
    expect(uncovered.nextAction.ready).toBe(false)
  })

  it('dates to the second: the game clock, the proof maturity and the airgap, each from its own L1 timestamp', () => {
    const [C, M, A] = [BigInt(CLOCK), BigInt(MATURITY), BigInt(AIRGAP)]
    const byWhat = (n: Name) => Object.fromEntries(exits.get(n).deadlines.map((x: any) => [x.what.replace(/ \(.*$|^dispute game 0x[0-9a-f]+ /gi, ''), x]))

    // Clock running: resolvable = created + clock (the game accepts resolve at exactly that second); the airgap and
    // the finalization are earliest dates counted from that resolution; the proof matures the second after its delay.
    const running = byWhat('clockRunning')
    const g4 = games.g4!
    expect(seconds(running.resolvable.deadline)).toBe(g4.createdAt + C)
    expect(running.resolvable.deadline.estimate).toBe(false)
    expect(seconds(running['proof maturity'].deadline)).toBe(w.clockRunning.provenAt! + M + 1n)
    expect(seconds(running['finality airgap ends, at the earliest'].deadline)).toBe(g4.createdAt + C + A + 1n)
    const finalizable = [w.clockRunning.provenAt! + M + 1n, g4.createdAt + C + A + 1n].reduce((a, b) => (a > b ? a : b))
    expect(seconds(running['finalizable, at the earliest'].deadline)).toBe(finalizable)
    expect(seconds(exits.get('clockRunning').nextAction.earliest)).toBe(g4.createdAt + C)
    expect(running['in L2 by'].passed).toBe(true)
    expect(['resolvable', 'proof maturity', 'finality airgap ends, at the earliest', 'finalizable, at the earliest'].map((k) => running[k].passed)).toEqual([false, false, false, false])

    // Clock over, not resolved: the airgap cannot start before the next L1 block resolves the game, so its earliest
    // end moves with the head — never the clock's end + airgap, a date already impossible.
    const over = byWhat('clockOver')
    expect(seconds(over.resolvable.deadline)).toBe(games.g3!.createdAt + C)
    expect(over.resolvable.passed).toBe(true)
    expect(head).toBeGreaterThan(games.g3!.createdAt + C)
    expect(seconds(over['finality airgap ends, at the earliest'].deadline)).toBe(head + 1n + A + 1n)
    expect(seconds(over['finalizable, at the earliest'].deadline)).toBe([w.clockOver.provenAt! + M + 1n, head + 1n + A + 1n].reduce((a, b) => (a > b ? a : b)))

    // Resolved, waiting for both: maturity from the proof, airgap from the resolution — two dates, the later one next.
    const both = byWhat('maturityAndAirgap')
    const g2 = games.g2!
    expect(seconds(both['proof maturity'].deadline)).toBe(w.maturityAndAirgap.provenAt! + M + 1n)
    expect(seconds(both['finality airgap after the game resolved'].deadline)).toBe(g2.resolvedAt! + A + 1n)
    expect(both['proof maturity'].passed).toBe(false)
    expect(both['finality airgap after the game resolved'].passed).toBe(false)
    expect(seconds(exits.get('maturityAndAirgap').nextAction.earliest)).toBe(w.maturityAndAirgap.provenAt! + M + 1n)
    expect(exits.get('maturityAndAirgap').blocker).toMatch(/the proof matures in .* and the finality airgap ends in /)

    // Resolved, the proof matured long ago: the airgap alone holds it (the case "0 h left" hid).
    const airgap = byWhat('airgapOnly')
    expect(airgap['proof maturity'].passed).toBe(true)
    expect(seconds(airgap['finality airgap after the game resolved'].deadline)).toBe(g2.resolvedAt! + A + 1n)
    expect(airgap['finality airgap after the game resolved'].passed).toBe(false)
    expect(seconds(exits.get('airgapOnly').nextAction.earliest)).toBe(g2.resolvedAt! + A + 1n)
    expect(exits.get('airgapOnly').blocker).toMatch(/waiting until the finality airgap ends in \d+ min\.$/)

    // Ready to finalize: both dates passed, and the dates are still shown.
    const ready = byWhat('externalProof')
    expect(seconds(ready['proof maturity'].deadline)).toBe(w.externalProof.provenAt! + M + 1n)
    expect(seconds(ready['finality airgap after the game resolved'].deadline)).toBe(games.g1!.resolvedAt! + A + 1n)
    expect(head).toBeGreaterThanOrEqual(seconds(ready['proof maturity'].deadline))

    // Not included: the sequencing-window date is an estimate from the L1 block time (a block-count rule).
    const window = exits.get('notIncluded').deadlines[0]
    expect(window.what).toBe(`in L2 by (sequencing window after L1 block ${w.notIncluded.depositL1Block})`)
    expect(window.deadline.estimate).toBe(true)
    expect(window.passed).toBe(false)
  })

  it('the contract agrees with the dates: finalizing the airgap-only withdrawal reverts one second before its date and succeeds at it', async () => {
    const at = seconds(exits.get('airgapOnly').nextAction.earliest)
    const setup = await readPortalSetup(d.gateway, portal(), await d.gateway.getBlockNumber())
    const call = buildFinalizeWithdrawalTx({ l1ChainId: d.anvil.chainId, setup, withdrawal: w.airgapOnly.withdrawal!, proofSubmitter: user.address as Address, from: user.address as Address })
    const simulate = (timestamp: bigint) => d.l1.public.call({ account: user.address as Address, to: call.to, data: call.data, blockOverrides: { time: timestamp } } as never)
    await expect(simulate(at - 1n)).rejects.toThrow(/air-gap|airgap|finalized|AirGap|not.*final/i)
    await expect(simulate(at)).resolves.toBeDefined()
  }, 60_000)

  it('says it in words: the airgap apart from the maturity, dates with UTC, never "0 h left"', async () => {
    const { code, stdout } = await status()
    expect(code).toBe(0)
    expect(stdout).toMatch(/proof-invalidated\n {2}blocked: .*blacklisted/)
    expect(stdout).toMatch(/finality airgap after the game resolved: .*UTC/)
    expect(stdout).toMatch(/next: Finalize withdrawal .*finalizeWithdrawalTransactionExternalProof\)\. — now/)
    expect(stdout).not.toMatch(/\b0 (h|min)\b/)
    expect(stdout).toMatch(/could not be found on the L2 RPC .*not included yet/)
  }, 120_000)
})
