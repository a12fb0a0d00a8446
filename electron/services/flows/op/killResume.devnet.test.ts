/**
 * A real crash at every journaled step of the OP Stack escape (issue 12 "Must show"): the job runs in a child process
 * (test-support/opEscapeChild.ts, bundled) that SIGKILLs itself right after a journal record — each step's completion,
 * and each L1 transaction's signed, sent and mined records, in turn — on one devnet that outlives every child. A fresh
 * process resumes from the journal on disk each time (flows/test-support/crashAndResume.ts; every child bounded).
 *
 * The devnet OP L2 runs on its own timer (building, posting each block and proposing games, as an operator would)
 * until the job has chosen its game; from then on the job reads only L1, and the L2 is stopped so the job's time
 * travel (game clock, proof maturity: minutes at once) does not make it build, post and propose every block of
 * those minutes.
 *
 * Right after the first proof the guardian blacklists its game (and the proposer posts another): the job proves again
 * in a second round, so the round steps (`choose-game#2` … `finalize#2`) are crash points too.
 *
 * The outcome is the one of an uninterrupted run: every step done once, one L1 transaction per action (the user's
 * nonce moved by exactly the number of journaled transactions, none re-signed with a new nonce), the withdrawal
 * proven once per round and finalized once on L1, and the user's L1 balance up by the amount minus what the job paid.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { encodeFunctionData, getAbiItem, parseEther, type Address, type Hex } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { optimismPortal2Abi } from '../../../../contracts-abi/op-stack/OptimismPortal2'
import { DEVNET_ROLES } from '../../../devnet/devnet'
import { JournalStore } from '../../journal/JournalStore'
import { bundleChild, crashAndResume, type BundledChild } from '../test-support/crashAndResume'
import { CHILD_EXIT_TEMPORARY } from '../test-support/crashingChild'
import type { OpEscapeResult } from './opEscapeDeps'
import { createOpEscapeJob, OP_ESCAPE_STEPS, OP_PROOF_ROUND_STEPS, opEscapeStepName } from './opEscapeJob'
import { startOpEscapeDevnet, type OpEscapeDevnet } from './test-support/opEscapeDevnet'
import { devnetOpEscapeParams, jobL1Spend } from './test-support/runDevnetOpEscape'

let d: OpEscapeDevnet
let child: BundledChild
const dir = mkdtempSync(join(tmpdir(), 'eh-op-kill-'))

beforeAll(async () => {
  ;[d, child] = await Promise.all([startOpEscapeDevnet({ autoTickMs: 200 }), bundleChild(new URL('./test-support/opEscapeChild.ts', import.meta.url))])
}, 300_000)
afterAll(async () => {
  await d?.stop()
  child?.dispose()
  rmSync(dir, { recursive: true, force: true })
})

/** The records a crash right after is the most likely to hurt: a step done, a tx signed (not yet sent), sent, mined. */
const KILL_TYPES = ['step.completed', 'tx.signed', 'tx.sent', 'tx.mined']
/**
 * The steps of the job with its game blacklisted after the first proof: the first steps, round 1 up to the wait that
 * sees the game no longer counts, and all of round 2 (`<step>#2`) — every step kind, and the round suffixes.
 */
const ROUND_STEPS: readonly string[] = OP_PROOF_ROUND_STEPS
const STEPS = [
  ...OP_ESCAPE_STEPS.filter((s) => !ROUND_STEPS.includes(s)),
  ...OP_PROOF_ROUND_STEPS.slice(0, OP_PROOF_ROUND_STEPS.indexOf('wait-game') + 1),
  ...OP_PROOF_ROUND_STEPS.map((s) => opEscapeStepName(s, 2)),
]

/** The first round's game, blacklisted by the guardian (the job's proof against it no longer counts). */
async function blacklistFirstGame(jobId: string): Promise<Address> {
  const store = await JournalStore.open(dir)
  const { state } = await store.load(jobId)
  store.close()
  const game = (state.steps.find((s) => s.name === 'choose-game')?.result as { gameAddress: Address }).gameAddress
  const portal = d.devnet.deployment.contracts.optimismPortal
  await d.send(d.guardian, { chainId: d.anvil.chainId, to: portal, data: encodeFunctionData({ abi: optimismPortal2Abi, functionName: 'blacklistDisputeGame', args: [game] }), value: 0n, description: 'blacklist the game' })
  // The proposer's next game, for the second round (the devnet's timer is stopped by now).
  await d.advance(2)
  await d.propose()
  return game
}

describe('kill -9 at every journaled step of the OP Stack escape, then resume', () => {
  it('same outcome, no duplicate transaction', async () => {
    const user = d.anvil.accounts[DEVNET_ROLES.user1]!.address as Address
    const amount = parseEther('1')
    const nonceBefore = await d.gateway.getTransactionCount({ address: user })
    const balanceBefore = await d.gateway.getBalance({ address: user })

    const store = await JournalStore.open(dir)
    const jobId = await createOpEscapeJob(store, devnetOpEscapeParams(d, DEVNET_ROLES.user1, amount))
    store.close()

    let blacklisted: Address | undefined
    const { result, killedAt, stops } = await crashAndResume<OpEscapeResult>({
      script: child.script,
      env: { ESCAPE_JOB_DIR: dir, ESCAPE_JOB_ID: jobId, ESCAPE_L1_URL: d.anvil.rpcUrl, ESCAPE_L1_CHAIN_ID: String(d.anvil.chainId), ESCAPE_L2_URL: d.rpc.url },
      dir,
      jobId,
      killTypes: KILL_TYPES,
      maxRuns: 60,
      childTimeoutMs: 120_000,
      // A temporary stop (no game yet …) is resumed, as a user would later.
      onStop: async (run) => (run.code === CHILD_EXIT_TEMPORARY ? 'again' : 'fail'),
      async onCrash(key) {
        if (key === 'step.completed|choose-game|') d.autoTick(false)
        if (key === 'step.completed|prove|') blacklisted = await blacklistFirstGame(jobId)
      },
    })
    expect(result.withdrawals).toHaveLength(1)
    expect(stops).toBeLessThan(5)
    expect(result.rounds).toBe(2)
    expect(result.game.address.toLowerCase()).not.toBe(blacklisted?.toLowerCase())
    expect(result.withdrawals[0]?.alreadyFinalized).toBe(false)
    expect(result.withdrawals[0]?.finalizeTx).toMatch(/^0x[0-9a-f]{64}$/)

    const s = await JournalStore.open(dir)
    const { state } = await s.load(jobId)
    s.close()
    expect(state.status).toBe('succeeded')
    // Every step of the job was a crash point (its completion), and every transaction at signed, sent and mined.
    expect(killedAt.filter((k) => k.startsWith('step.completed|')).map((k) => k.split('|')[1])).toEqual(STEPS)
    // deposit, proof, proof again, resolve (claim and game), finalize
    expect(state.txs.map((t) => t.step)).toEqual(['send-forced-withdrawal/0', 'prove/0', 'prove#2/0', 'resolve#2/claim-0', 'resolve#2/game', 'finalize#2/0'])
    for (const t of state.txs) {
      expect(killedAt).toContain(`tx.signed|${t.step}|${t.hash}`)
      expect(killedAt).toContain(`tx.sent||${t.hash}`)
      expect(killedAt).toContain(`tx.mined||${t.hash}`)
    }
    // Each journaled tx mined once, none dropped or replaced, one nonce each in order: none was signed twice.
    expect(state.txs.every((t) => t.status === 'mined' && t.from.toLowerCase() === user.toLowerCase())).toBe(true)
    expect(state.txs.map((t) => t.nonce)).toEqual(state.txs.map((_, i) => nonceBefore + i))
    expect(await d.gateway.getTransactionCount({ address: user })).toBe(nonceBefore + state.txs.length)
    // On L1: the withdrawal proven once per round (against each game once) and finalized once.
    const withdrawalHash = result.withdrawals[0]!.withdrawalHash as Hex
    const portal = d.devnet.deployment.contracts.optimismPortal
    const logs = { address: portal, args: { withdrawalHash }, fromBlock: 0n, toBlock: 'latest' } as const
    expect(await d.l1.public.getLogs({ ...logs, event: getAbiItem({ abi: optimismPortal2Abi, name: 'WithdrawalProven' }) })).toHaveLength(2)
    expect(await d.l1.public.getLogs({ ...logs, event: getAbiItem({ abi: optimismPortal2Abi, name: 'WithdrawalFinalized' }) })).toHaveLength(1)
    // The balance as after an uninterrupted run: the deposit minted `amount` on L2 (paid on L1), the fees of the
    // job's transactions, and `amount` back from the finalization.
    expect(await d.gateway.getBalance({ address: user })).toBe(balanceBefore - (await jobL1Spend(d, state.txs)) + amount)
  }, 900_000) // ~32 children: about 90 s on an idle machine; each child is bounded, this allows for a busy one
})
