/**
 * A game that stops counting after the user proved against it (issue 12 "Must show"): the guardian blacklists it
 * (OptimismPortal2.blacklistDisputeGame, the devnet deployer is the guardian), or retires every game so far
 * (setRespectedGameType: portal 3.x respectedGameTypeUpdatedAt). The job notices, proves again in a new proof round
 * (`prove#2`) against another game the devnet proposer posted (its root claim checked again) and finalizes:
 * the user's L1 balance rises by the amount minus what the job spent, and the old game is never used again.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { encodeFunctionData, isAddressEqual, parseEther, type Address } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { faultDisputeGameAbi } from '../../../../contracts-abi/op-stack/FaultDisputeGame'
import { optimismPortal2Abi } from '../../../../contracts-abi/op-stack/OptimismPortal2'
import type { JobState } from '../../../../shared/journal/reduce'
import { DEVNET_ROLES } from '../../../devnet/devnet'
import { increaseTime } from '../../../devnet/timeTravel'
import type { JournalStore } from '../../journal/JournalStore'
import { startOpEscapeDevnet, type OpEscapeDevnet } from './test-support/opEscapeDevnet'
import { createDevnetOpEscapeJob } from './test-support/runDevnetOpEscape'

let d: OpEscapeDevnet
const dir = mkdtempSync(join(tmpdir(), 'eh-op-reprove-'))

beforeAll(async () => {
  d = await startOpEscapeDevnet({ autoTickMs: 200 })
}, 300_000)
afterAll(async () => {
  await d?.stop()
  rmSync(dir, { recursive: true, force: true })
})

const step = (state: JobState, name: string) => state.steps.find((s) => s.name === name)
const gameOf = (state: JobState, round: number) => (step(state, round === 1 ? 'choose-game' : `choose-game#${round}`)?.result as { gameAddress: Address } | undefined)?.gameAddress

/** What the user's L1 balance must be after the job: paid out value and fees of its own txs, got the amount back. */
async function expectedBalance(before: bigint, state: JobState, amount: bigint): Promise<bigint> {
  let spent = 0n
  for (const t of state.txs) {
    const r = await d.gateway.getTransactionReceipt({ hash: t.hash })
    const tx = await d.l1.public.getTransaction({ hash: t.hash })
    spent += r.gasUsed * r.effectiveGasPrice + tx.value
  }
  return before - spent + amount
}

/** Runs a job whose first game stops counting right after the proof (`invalidate`), to its end. */
async function runWithInvalidatedGame(account: number, invalidate: (game: Address) => Promise<void>) {
  const amount = parseEther('0.5')
  const user = d.anvil.accounts[account]!.address as Address
  const before = await d.gateway.getBalance({ address: user })
  let invalidated: Address | undefined
  const job = await createDevnetOpEscapeJob({
    d,
    dir,
    account,
    amount,
    async afterRecord(event, store: JournalStore, jobId) {
      if (invalidated || event.type !== 'step.completed' || event.step !== 'prove') return
      invalidated = gameOf((await store.load(jobId)).state, 1)
      if (!invalidated) throw new Error('the prove step completed with no chosen game in the journal')
      await invalidate(invalidated)
    },
  })
  try {
    const result = await job.run()
    const { state } = await job.store.load(job.jobId)
    return { result, state, invalidated: invalidated!, before, amount, user, signed: job.signed }
  } finally {
    await job.close()
  }
}

describe('OP escape: the game is blacklisted or retired after proving → the job proves again and finalizes', () => {
  it('blacklisted: re-proves against another correct game the proposer posted, finalizes', async () => {
    const r = await runWithInvalidatedGame(DEVNET_ROLES.user2, async (game) => {
      await d.send(d.guardian, { chainId: d.anvil.chainId, to: d.devnet.deployment.contracts.optimismPortal, data: encodeFunctionData({ abi: optimismPortal2Abi, functionName: 'blacklistDisputeGame', args: [game] }), value: 0n, description: 'blacklist the game' })
    })
    expect(r.state.status).toBe('succeeded')
    expect(r.result.rounds).toBe(2)
    expect(isAddressEqual(r.result.game.address, r.invalidated)).toBe(false)
    expect(r.result.game.createdByUs).toBe(false)
    expect(step(r.state, 'prove#2')?.status).toBe('completed')
    const refused = (step(r.state, 'choose-game#2')?.result as { refused: string[] }).refused
    expect(refused.some((why) => /blacklisted/.test(why))).toBe(true)
    expect(r.result.withdrawals[0]?.finalizeTx).toMatch(/^0x[0-9a-f]{64}$/)
    // Two proofs signed (one per round), one finalization; nothing signed twice.
    expect(r.signed.filter((s) => s.call === 'proveWithdrawalTransaction')).toHaveLength(2)
    expect(r.signed.filter((s) => s.call === 'finalizeWithdrawalTransaction' || s.call === 'finalizeWithdrawalTransactionExternalProof')).toHaveLength(1)
    expect(new Set(r.signed.map((s) => s.nonce)).size).toBe(r.signed.length)
    expect(await d.gateway.getBalance({ address: r.user })).toBe(await expectedBalance(r.before, r.state, r.amount))
  }, 600_000)

  // Was failing: choose-game#2 waited once for a game created after the retirement and then threw "No dispute game
  // covers your withdrawal yet" without looking again; the proposer's next game came later. It now waits and looks again.
  it('retired (respected game type set again): no older game counts, the job proves against a newer one and finalizes', async () => {
    const r = await runWithInvalidatedGame(DEVNET_ROLES.user3, async () => {
      // One second on, so every game so far (the proven one included) is strictly older than the retirement.
      await increaseTime(d.anvil.rpcUrl, 1)
      await d.send(d.guardian, { chainId: d.anvil.chainId, to: d.devnet.deployment.contracts.optimismPortal, data: encodeFunctionData({ abi: optimismPortal2Abi, functionName: 'setRespectedGameType', args: [d.devnet.deployment.respectedGameType] }), value: 0n, description: 'retire every game so far' })
    })
    expect(r.state.status).toBe('succeeded')
    expect(r.result.rounds).toBe(2)
    expect(isAddressEqual(r.result.game.address, r.invalidated)).toBe(false)
    // The source is an untrusted L2 node: the job bets no bond on its root, it uses the proposer's next game.
    expect(r.result.game.createdByUs).toBe(false)
    // The new game was created at or after the retirement time (portal 3.x checkWithdrawal: createdAt >=
    // respectedGameTypeUpdatedAt, so a game of the same second counts); the old one before it (why it stopped counting).
    const retiredAt = await d.gateway.readContract({ address: d.devnet.deployment.contracts.optimismPortal, abi: optimismPortal2Abi, functionName: 'respectedGameTypeUpdatedAt' })
    const createdAt = (game: Address) => d.gateway.readContract({ address: game, abi: faultDisputeGameAbi, functionName: 'createdAt' })
    expect(await createdAt(r.result.game.address as Address)).toBeGreaterThanOrEqual(retiredAt)
    expect(await createdAt(r.invalidated)).toBeLessThan(retiredAt)
    expect(r.signed.filter((s) => s.call === 'proveWithdrawalTransaction')).toHaveLength(2)
    expect(await d.gateway.getBalance({ address: r.user })).toBe(await expectedBalance(r.before, r.state, r.amount))
  }, 600_000)
})
