/**
 * The OP Stack escape, as a resumable journaled job (issue 12; notes op-stack.md §3, §4, §9):
 *
 *   prepare → send-forced-withdrawal → track-deposit → find-withdrawal →
 *   [choose-game → check-game → prove → wait-game → resolve → wait-finalization → finalize] (a proof round; at most 3)
 *
 * It runs on the job engine (jobs/runJob); each step's result is typed by opEscapeSteps.ts. Every L1 transaction goes
 * through broadcast/sendL1Once: journaled before it is sent, re-sent (never re-signed) on resume, adopted when it is
 * already on L1, and never signed while an unknown transaction of the account is pending.
 *
 * Trust: only L1. The deposits' L2 hashes come from the checked TransactionDeposited logs. The withdrawal is found in
 * our own rebuilt state (source 'rebuild') or in an untrusted node's receipt (source 'l2-node'); a dispute game is used
 * only after its root claim is confirmed by our own output root or by the node's block and proofs checked against it;
 * the storage proof is verified locally (buildProveWithdrawalTx) before anything is signed. A game that stops counting
 * after the proof (blacklisted, retired, CHALLENGER_WINS) starts a new round: choose (or create) a game, prove again.
 */
import { encodeAbiParameters, getAbiItem, getAddress, keccak256, type Address, type Hex } from 'viem'
import { disputeGameFactoryAbi } from '../../../../contracts-abi/op-stack/DisputeGameFactory'
import { l1CrossDomainMessengerAbi } from '../../../../contracts-abi/op-stack/L1CrossDomainMessenger'
import { optimismPortal2Abi } from '../../../../contracts-abi/op-stack/OptimismPortal2'
import { EscapeError } from '../../../../shared/errors/EscapeError'
import type { JobState } from '../../../../shared/journal/reduce'
import type { OpStackNetworkEntry } from '../../../../shared/networks/networkEntry'
import { countdownText } from '../../../../shared/deadlines/countdown'
import { readL1Clock } from '../../../../shared/deadlines/readL1Clock'
import { l1BlockDate } from '../../../../shared/deadlines/l1BlockDate'
import { computeOutputRoot, OUTPUT_ROOT_VERSION_0, type OutputRootProof } from '../../../../shared/rollups/op-stack/common/computeOutputRoot'
import { UntrustedL2DataError } from '../../../../shared/rollups/op-stack/derive/start/errors'
import { buildWithdrawalProof, type WithdrawalTransaction } from '../../../../shared/rollups/op-stack/proof/withdrawalProof'
import { buildCreateGameTx, readCreateGamePlan } from '../../../../shared/rollups/op-stack/withdraw/buildCreateGameTx'
import { buildFinalizeWithdrawalTx } from '../../../../shared/rollups/op-stack/withdraw/buildFinalizeWithdrawalTx'
import { buildForcedErc20WithdrawalTxs, buildForcedEthWithdrawalTx } from '../../../../shared/rollups/op-stack/withdraw/buildForcedWithdrawalTx'
import { buildProveWithdrawalTx } from '../../../../shared/rollups/op-stack/withdraw/buildProveWithdrawalTx'
import { buildReplayMessageTx, decodeRelayedMessage } from '../../../../shared/rollups/op-stack/withdraw/buildReplayMessageTx'
import { buildResolveGameTxs, readGameResolution } from '../../../../shared/rollups/op-stack/withdraw/buildResolveGameTxs'
import { checkGameRootClaimAgainstOutputRoot, checkGameRootClaimWithL2Node } from '../../../../shared/rollups/op-stack/withdraw/checkGameRootClaim'
import { depositL2Transaction } from '../../../../shared/rollups/op-stack/withdraw/depositL2TxHash'
import { GameRootClaimRefusedError, OpPortalUnsupportedError } from '../../../../shared/rollups/op-stack/withdraw/errors'
import { findProvableGame } from '../../../../shared/rollups/op-stack/withdraw/findProvableGame'
import { readMessagePasserState } from '../../../../shared/rollups/op-stack/withdraw/findWithdrawalInState'
import { readCurrentAnchor, reexecuteFromAnchor, reexecuteGameClaim } from '../../../../shared/rollups/op-stack/withdraw/reexecuteGameClaim'
import { readGameAt } from '../../../../shared/rollups/op-stack/withdraw/readGames'
import { expectGameCovering, readProposerCadence } from '../../../../shared/rollups/op-stack/withdraw/proposerCadence'
import { readPortalSetup, type PortalSetup } from '../../../../shared/rollups/op-stack/withdraw/readPortalSetup'
import { readUntrustedWithdrawalProof } from '../../../../shared/rollups/op-stack/withdraw/readUntrustedWithdrawalProof'
import { readWithdrawalState } from '../../../../shared/rollups/op-stack/withdraw/readWithdrawalState'
import { withdrawalStatus, type OpExitStatus } from '../../../../shared/rollups/op-stack/withdraw/withdrawalStatus'
import type { L1Call } from '../../../../shared/signing/l1Call'
import { createExecutionKzg } from '../../state/createExecutionKzg'
import { resumeJournaled } from '../../broadcast/resumeJournaled'
import { sendL1Once, type FoundL1Tx, type SendL1OnceReturnType } from '../../broadcast/sendL1Once'
import type { StepResult } from '../../jobs/defineStep'
import { runJob, type JobRun } from '../../jobs/runJob'
import type { OpEscapeDeps, OpEscapeResult } from './opEscapeDeps'
import { findWithdrawalInReceipt, findWithdrawalInRebuiltState, type FoundWithdrawal } from './findOurWithdrawal'
import { MAX_PROOF_ROUNDS, OP_ESCAPE_JOB_KIND, opEscapeNetworkEntry, opEscapeParamsSchema, opEscapeStepName, type OpEscapeParams, type OpEscapeStep, type OpProofRoundStep } from './opEscapeJob'
import { findWithdrawalStep, prepareStep, roundStep, sendForcedWithdrawalStep, trackDepositStep } from './opEscapeSteps'

export type { OpEscapeDeps, OpEscapeResult } from './opEscapeDeps'

/** Time the job allows itself to compute its own root by re-execution when the proposer is gone. */
const OWN_ROOT_BUDGET_SECONDS = 3600

const transactionDeposited = getAbiItem({ abi: optimismPortal2Abi, name: 'TransactionDeposited' })

/** Errors of an untrusted source (the L2 node lied, a game's claim was refused): nothing was signed, the job stays. */
function isSourceProblem(e: EscapeError): boolean {
  return e instanceof UntrustedL2DataError || e instanceof GameRootClaimRefusedError
}

export async function runOpEscape(jobId: string, deps: OpEscapeDeps): Promise<OpEscapeResult> {
  return runJob({
    store: deps.store,
    jobId,
    kind: OP_ESCAPE_JOB_KIND,
    signal: deps.signal,
    failureMessage: 'The OP Stack escape stopped.',
    isSourceProblem,
    summarize: (r) => `${r.withdrawals.length} withdrawal(s) finalized on L1${r.rounds > 1 ? ` after ${r.rounds} proof rounds` : ''}.`,
    async body(run) {
      // A damaged journal (lost or spoiled records) is never acted on: no step runs, nothing is signed.
      if ((await deps.store.load(jobId)).damaged) throw damagedJobError(jobId)
      const params = opEscapeParamsSchema.parse((await run.state()).params)
      return new OpEscapeRun(run, params, deps).all()
    },
  })
}

type Found = StepResult<typeof findWithdrawalStep>
type Chosen = StepResult<ReturnType<typeof roundStep<'choose-game'>>>

class OpEscapeRun {
  private readonly network: OpStackNetworkEntry
  private readonly account: Address
  private readonly destination: Address
  private readonly portal: Address
  private readonly jobId: string

  constructor(
    private readonly run: JobRun,
    private readonly params: OpEscapeParams,
    private readonly deps: OpEscapeDeps,
  ) {
    this.jobId = run.jobId
    this.network = opEscapeNetworkEntry(params.network)
    this.account = getAddress(params.account)
    this.destination = getAddress(params.destination)
    const portal = this.network.l1Addresses.optimismPortal
    if (!portal) throw new EscapeError(`${this.network.name} names no OptimismPortal address.`, { kind: 'user-action' })
    this.portal = getAddress(portal)
  }

  async all(): Promise<OpEscapeResult> {
    const step = this.run.step.bind(this.run)
    const prepared = await step(prepareStep, () => this.prepare())
    const sent = await step(sendForcedWithdrawalStep, () => this.sendForcedWithdrawals(prepared))
    const tracked = await step(trackDepositStep, () => this.trackDeposits(sent, prepared))
    const found = await step(findWithdrawalStep, () => this.findWithdrawals(tracked))
    for (let round = 1; round <= MAX_PROOF_ROUNDS; round++) {
      const chosen = await step(roundStep('choose-game', round), () => this.chooseGame(found, round))
      await step(roundStep('check-game', round), () => this.checkGame(found, chosen))
      const proved = await step(roundStep('prove', round), () => this.prove(found, chosen, round))
      const waited = await step(roundStep('wait-game', round), () => this.waitGame(found, chosen))
      if (waited.outcome === 'reprove') continue
      await step(roundStep('resolve', round), () => this.resolve(chosen, round))
      const matured = await step(roundStep('wait-finalization', round), () => this.waitFinalization(found, chosen))
      if (matured.outcome === 'reprove') continue
      const finalized = await step(roundStep('finalize', round), () => this.finalize(found, round))
      if (finalized.outcome === 'reprove') continue
      return {
        jobId: this.jobId,
        withdrawals: found.withdrawals.map((w) => {
          const f = finalized.withdrawals.find((x) => x.asset === w.asset)
          const d = tracked.deposits.find((x) => x.asset === w.asset)
          const s = sent.deposits.find((x) => x.asset === w.asset)
          const p = proved.proofs.find((x) => x.asset === w.asset)
          return {
            asset: w.asset,
            depositTx: s?.l1TxHash as Hex,
            l2TxHash: d?.l2TxHash as Hex,
            withdrawalHash: w.withdrawalHash,
            proveTx: p?.l1TxHash ?? undefined,
            finalizeTx: f?.l1TxHash ?? undefined,
            alreadyFinalized: f?.alreadyFinalized ?? false,
            ...(f?.relay ? { relay: f.relay } : {}),
          }
        }),
        game: { address: chosen.gameAddress, index: chosen.gameIndex.toString(), l2Block: chosen.l2Block.toString(), rootClaim: chosen.rootClaim, createdByUs: chosen.createdByUs },
        rounds: round,
        rootSource: this.rootSource,
      }
    }
    throw new EscapeError(`The withdrawal was proven ${MAX_PROOF_ROUNDS} times and each game stopped counting before it could be finalized.`, {
      kind: 'user-action',
      steps: ['Nothing is lost: the withdrawal stays provable. Look at the games with `escape-hatch status` and contact support before proving again.'],
    })
  }

  // --- helpers ---------------------------------------------------------------------------------------------

  private get rootSource(): string {
    return this.params.source.kind === 'rebuild' ? 'the app’s own rebuild of the chain from L1' : `the L2 node ${this.deps.l2?.label ?? ''} (checked against L1)`.trim()
  }

  private progress(step: OpEscapeStep, message: string): void {
    this.deps.onProgress?.({ step, message })
  }

  private async state(): Promise<JobState> {
    return this.run.state()
  }

  private l1Endpoints(): readonly string[] {
    const endpoints = this.deps.l1Endpoints ?? this.params.l1Endpoints
    if (!endpoints || endpoints.length === 0) {
      throw new EscapeError('This job needs your L1 RPC endpoints to send its transactions.', {
        kind: 'user-action',
        steps: ['The job did not save them (they may contain API keys): pass them again with --l1-rpc URL.'],
      })
    }
    return endpoints
  }

  private send(step: OpEscapeStep, txStep: string, call: L1Call, findOnChain?: () => Promise<FoundL1Tx | undefined>) {
    return sendL1Once({
      store: this.deps.store, jobId: this.jobId, step: txStep, call, account: this.account, signerPath: this.params.signerPath, signer: this.deps.signer,
      l1: this.deps.l1, endpoints: this.l1Endpoints(), damagedError: () => damagedJobError(this.jobId), broadcast: this.deps.broadcast,
      signal: this.deps.signal, progress: (m) => this.progress(step, m), ...(findOnChain ? { findOnChain } : {}),
    })
  }

  /**
   * The journaled transactions of these tx steps still signed or sent (the run before died after signing or sending
   * them), followed to their end first. A step that decides from L1 what is left to send (resolve: claims already
   * resolved; a relay already done) would otherwise never come back to a transaction that did its work, and the
   * journal would show it as sent, never mined.
   */
  private async finishJournaled(txSteps: (txStep: string) => boolean): Promise<SendL1OnceReturnType[]> {
    const open = (await this.state()).txs.filter((t) => txSteps(t.step) && (t.status === 'signed' || t.status === 'sent'))
    const done: SendL1OnceReturnType[] = []
    for (const txStep of new Set(open.map((t) => t.step))) {
      const r = await resumeJournaled({ store: this.deps.store, jobId: this.jobId, step: txStep, endpoints: this.l1Endpoints(), ...this.deps.broadcast, signal: this.deps.signal })
      if (r) done.push(r)
    }
    return done
  }

  private async setupAtHead(): Promise<{ setup: PortalSetup; head: { number: bigint; timestamp: bigint } }> {
    const setup = await readPortalSetup(this.deps.l1, this.portal)
    const block = await this.deps.l1.getBlock({ blockNumber: setup.l1Block })
    return { setup, head: { number: block.number, timestamp: block.timestamp } }
  }

  private async pauses(why: string, i: number): Promise<void> {
    if (i >= (this.deps.maxPauses ?? 600)) throw new EscapeError(`Gave up waiting: ${why}.`, { kind: 'temporary', steps: ['Resume the job later: everything is in its journal.'] })
    await this.deps.pause(why)
  }

  private withdrawalOf(w: Found['withdrawals'][number]): WithdrawalTransaction {
    return { nonce: w.withdrawal.nonce, sender: getAddress(w.withdrawal.sender), target: getAddress(w.withdrawal.target), value: w.withdrawal.value, gasLimit: w.withdrawal.gasLimit, data: w.withdrawal.data }
  }

  // --- steps -----------------------------------------------------------------------------------------------

  private async prepare(): Promise<StepResult<typeof prepareStep>> {
    const withdrawals = this.network.support.find((f) => f.topic === 'withdrawals')
    if (withdrawals?.level === 'unsupported') {
      throw new OpPortalUnsupportedError(`Escape Hatch cannot take funds out of ${this.network.name}: ${withdrawals.says}`, {
        steps: [
          'Nothing was signed. Forced inclusion through OptimismPortal.depositTransaction still works on this chain, but the withdrawal could not be proven by this app afterwards.',
          'Use the chain’s own withdrawal tools for the proof, and `escape-hatch status` to follow it.',
        ],
      })
    }
    if (this.params.source.kind === 'rebuild' && !this.deps.rebuild) throw new EscapeError('This escape rebuilds the chain from L1, but no rebuild was set up for this run.', { kind: 'user-action', steps: ['Give the chain’s genesis file (--genesis FILE).'] })
    if (this.params.source.kind === 'l2-node' && !this.deps.l2) throw new EscapeError('This escape reads an L2 node, but none was given for this run.', { kind: 'user-action', steps: ['Give an L2 RPC with --l2-rpc URL (it is not trusted: every answer is checked against L1).'] })
    this.progress('prepare', `Reading the ${this.network.name} portal on L1…`)
    const { setup } = await this.setupAtHead()
    this.progress('prepare', `OptimismPortal ${setup.version}: respected game type ${setup.respectedGameType}, proof maturity ${setup.proofMaturityDelaySeconds} s, finality airgap ${setup.disputeGameFinalityDelaySeconds} s${setup.paused ? '; the portal is PAUSED by the guardian (proving and finalizing wait for it)' : ''}.`)
    return {
      l1Block: setup.l1Block,
      portalVersion: setup.version,
      respectedGameType: setup.respectedGameType,
      proofMaturityDelaySeconds: setup.proofMaturityDelaySeconds,
      disputeGameFinalityDelaySeconds: setup.disputeGameFinalityDelaySeconds,
      seqWindowSize: BigInt(this.network.rollupConfig.seqWindowSize),
    }
  }

  private depositCall(asset: number): L1Call {
    const a = this.params.assets[asset] as OpEscapeParams['assets'][number]
    const common = { l1ChainId: this.network.l1ChainId, portal: this.portal, networkName: this.network.name, target: this.destination }
    if (a.kind === 'eth') return buildForcedEthWithdrawalTx({ ...common, amount: BigInt(a.amountWei), mint: BigInt(a.mintWei ?? '0') })
    return buildForcedErc20WithdrawalTxs({ ...common, tokens: [{ l2Token: getAddress(a.l2Token), amount: BigInt(a.amountWei), ...(a.symbol ? { symbol: a.symbol } : {}) }] })[0] as L1Call
  }

  private async sendForcedWithdrawals(prepared: StepResult<typeof prepareStep>): Promise<StepResult<typeof sendForcedWithdrawalStep>> {
    const deposits: StepResult<typeof sendForcedWithdrawalStep>['deposits'] = []
    const taken = new Set<string>()
    for (let asset = 0; asset < this.params.assets.length; asset++) {
      const call = this.depositCall(asset)
      // Our deposit already on L1 (a lost journal record): the same call from our account since the job started.
      const result = await this.send('send-forced-withdrawal', `send-forced-withdrawal/${asset}`, call, () => this.findOurDeposit(call, prepared.l1Block, taken))
      if (result.status !== 'success') throw new EscapeError('The forced-withdrawal deposit reverted on L1.', { kind: 'critical', details: result.hash })
      taken.add(result.hash)
      deposits.push({ asset, l1TxHash: result.hash, l1Block: result.blockNumber })
    }
    return { deposits }
  }

  /** A TransactionDeposited from our account, since the job's first block, that carries exactly this call. */
  private async findOurDeposit(call: L1Call, fromBlock: bigint, taken: ReadonlySet<string>): Promise<FoundL1Tx | undefined> {
    const logs = await this.deps.l1.getLogs({ address: this.portal, event: transactionDeposited, args: { from: this.account }, fromBlock, toBlock: await this.deps.l1.getBlockNumber() })
    for (const log of logs) {
      if (!log.transactionHash || taken.has(log.transactionHash) || log.blockHash === null || log.logIndex === null) continue
      const tx = await this.deps.l1.getTransactionReceipt({ hash: log.transactionHash })
      if (getAddress(tx.to ?? '0x0000000000000000000000000000000000000000') !== this.portal) continue
      const full = await this.deps.l1.getTransaction({ hash: log.transactionHash })
      if (full.input.toLowerCase() !== call.data.toLowerCase() || full.value !== call.value) continue
      return { hash: log.transactionHash, from: full.from, nonce: full.nonce, blockNumber: tx.blockNumber, status: tx.status, what: `TransactionDeposited at L1 block ${tx.blockNumber}` }
    }
    return undefined
  }

  private async trackDeposits(sent: StepResult<typeof sendForcedWithdrawalStep>, prepared: StepResult<typeof prepareStep>): Promise<StepResult<typeof trackDepositStep>> {
    const out: StepResult<typeof trackDepositStep>['deposits'] = []
    const head = await this.deps.l1.getBlock({ blockTag: 'latest' })
    const clock = await readL1Clock({ l1: this.deps.l1, head })
    for (const d of sent.deposits) {
      const logs = await this.deps.l1.getLogs({ address: this.portal, event: transactionDeposited, args: { from: this.account }, fromBlock: d.l1Block, toBlock: d.l1Block })
      const ours = logs.filter((l) => l.transactionHash === d.l1TxHash)
      const log = ours[0]
      if (!log || ours.length !== 1 || log.blockHash === null || log.logIndex === null) {
        throw new EscapeError(`The deposit ${d.l1TxHash} did not emit exactly one TransactionDeposited from your account.`, { kind: 'critical', details: `${ours.length} log(s) at L1 block ${d.l1Block}` })
      }
      const { l2TransactionHash } = depositL2Transaction({ topics: log.topics as Hex[], data: log.data, blockHash: log.blockHash, logIndex: log.logIndex })
      const deadline = d.l1Block + prepared.seqWindowSize
      const at = l1BlockDate(clock, deadline, 'end of the sequencing window')
      this.progress('track-deposit', `Deposit ${d.asset + 1}: L2 transaction ${l2TransactionHash} (computed from the L1 log). L2 must include it by L1 block ${deadline} (${countdownText(at, new Date(Number(head.timestamp) * 1000), 'the sequencing window')}), even with the sequencer censoring you.`)
      out.push({ asset: d.asset, l1Block: d.l1Block, l1BlockHash: log.blockHash, logIndex: log.logIndex, l2TxHash: l2TransactionHash, inclusionDeadlineBlock: deadline })
    }
    return { deposits: out }
  }

  private async findWithdrawals(tracked: StepResult<typeof trackDepositStep>): Promise<Found> {
    const deadline = tracked.deposits.reduce((m, d) => (d.inclusionDeadlineBlock > m ? d.inclusionDeadlineBlock : m), 0n)
    return this.params.source.kind === 'rebuild' ? this.findInRebuild(deadline) : this.findWithNode(tracked, deadline)
  }

  private async findInRebuild(deadline: bigint): Promise<Found> {
    const rebuild = this.deps.rebuild as NonNullable<OpEscapeDeps['rebuild']>
    for (let attempt = 0; ; attempt++) {
      const headBlock = await this.deps.l1.getBlockNumber()
      this.progress('find-withdrawal', `Rebuilding the chain from L1 (genesis + every batch and deposit) up to L1 block ${headBlock}…`)
      const head = await rebuild.rebuildTo(Number(headBlock), (m) => this.progress('find-withdrawal', m))
      const state = rebuild.openState()
      try {
        const found: { asset: number; f: FoundWithdrawal }[] = []
        for (let asset = 0; asset < this.params.assets.length; asset++) {
          const f = findWithdrawalInRebuiltState({ asset: this.params.assets[asset] as OpEscapeParams['assets'][number], account: this.account, destination: this.destination, stateRoot: head.stateRoot, getNode: state.getNode })
          if (f) found.push({ asset, f })
        }
        if (found.length === this.params.assets.length) {
          const mp = readMessagePasserState({ stateRoot: head.stateRoot, getNode: state.getNode })
          this.progress('find-withdrawal', `Found ${found.length} withdrawal(s) in our own state at L2 block ${head.number}; our output root there is ${head.outputRoot}.`)
          return {
            withdrawals: found.map(({ asset, f }) => ({ asset, withdrawalHash: f.withdrawalHash, withdrawal: f.withdrawal })),
            l2Block: BigInt(head.number),
            ownRoot: { outputRoot: head.outputRoot, stateRoot: head.stateRoot, messagePasserStorageRoot: mp.storageRoot, blockHash: head.hash },
          }
        }
      } finally {
        state.close()
      }
      if (headBlock <= deadline) {
        this.progress('find-withdrawal', `Not in the rebuilt chain yet: the sequencer has not posted it. Derivation includes it by L1 block ${deadline} at the latest (the sequencing window).`)
        await this.deps.waitForL1Block(deadline + 1n, 'end of the sequencing window (derivation includes your deposit by then)')
        continue
      }
      if (attempt < 2) {
        await this.pauses('the rebuild catching up with L1', attempt)
        continue
      }
      throw new EscapeError('Your deposit is past its sequencing window, but the rebuilt chain holds no withdrawal for it.', {
        kind: 'critical',
        steps: [
          'The deposit was included on L2 but its withdrawal call failed there (the L2 balance may not cover the amount, or the token and amount do not match what you hold).',
          'Check the L2 balance and token with `escape-hatch status`, then start a new escape.',
        ],
        details: `L1 head ${headBlock}, inclusion deadline ${deadline}`,
      })
    }
  }

  private async findWithNode(tracked: StepResult<typeof trackDepositStep>, deadline: bigint): Promise<Found> {
    const l2 = this.deps.l2 as NonNullable<OpEscapeDeps['l2']>
    const withdrawals: Found['withdrawals'] = []
    let l2Block = 0n
    for (const d of tracked.deposits) {
      for (let i = 0; ; i++) {
        const receipt = await l2.receipt(d.l2TxHash)
        if (receipt) {
          if (receipt.status !== 'success') {
            throw new UntrustedL2DataError('malformed', `The L2 node reports that your deposit's L2 transaction ${d.l2TxHash} failed.`, {
              node: l2.label,
              details: 'If that is true, the L2 balance did not cover the withdrawal. Check with another L2 RPC, or rebuild the chain from L1 (--genesis).',
            })
          }
          const f = findWithdrawalInReceipt({ asset: this.params.assets[d.asset] as OpEscapeParams['assets'][number], account: this.account, destination: this.destination, receipt, node: l2.label })
          withdrawals.push({ asset: d.asset, withdrawalHash: f.withdrawalHash, withdrawal: f.withdrawal })
          if (receipt.blockNumber > l2Block) l2Block = receipt.blockNumber
          this.progress('find-withdrawal', `The L2 node shows withdrawal ${f.withdrawalHash} in L2 block ${receipt.blockNumber} (to be proven against a checked output root).`)
          break
        }
        const head = await this.deps.l1.getBlockNumber()
        if (head <= deadline) await this.deps.waitForL1Block(deadline + 1n, 'end of the sequencing window (derivation includes your deposit by then)')
        else await this.pauses('the L2 node to show your deposit', i)
      }
    }
    return { withdrawals, l2Block }
  }

  /**
   * A game that can carry the proof, its root claim checked. None yet: with our own root (rebuild) the job creates
   * one; on the node path it WAITS for the chain's proposer — until the date the proposer's recent rhythm (read from
   * the factory) gives, then looks again — and says plainly when the proposer looks gone.
   */
  private async chooseGame(found: Found, round: number): Promise<Chosen> {
    for (let i = 0; ; i++) {
      const { setup, head } = await this.setupAtHead()
      const search = await findProvableGame({ l1: this.deps.l1, setup, withdrawalL2Block: found.l2Block, l1Timestamp: head.timestamp, checkRootClaim: (game) => this.checkRootClaim(game, found) })
      const refused = search.refused.slice(0, 20).map((r) => `game ${r.address}: ${r.reason}`.slice(0, 600))
      if (search.found) {
        const g = search.found.game
        this.progress('choose-game', `Dispute game #${g.index} (${g.address}, L2 block ${g.l2BlockNumber}) — its root claim is confirmed by ${this.rootSource}.`)
        return { gameIndex: g.index as bigint, gameAddress: g.address, l2Block: g.l2BlockNumber, rootClaim: g.rootClaim, createdByUs: false, createTx: null, outputRootProof: search.found.outputRootProof, refused }
      }
      if (i === 0) this.progress('choose-game', `${search.note} No usable game covers L2 block ${found.l2Block}${refused.length ? ` (${refused.length} refused)` : ''}.`)
      if (found.ownRoot) return this.createGame(found, found.ownRoot, round, setup, refused)
      // An untrusted node's root is not ours to bet a bond on: wait for the chain's proposer to post a game. When it
      // looks gone, our own root (re-executed from the anchor L1 holds) is: create the game with it.
      const gone = await this.waitForProposer(found, setup, head, i)
      if (gone) {
        const own = await this.ownRootByReexecution(found, setup, gone)
        return this.createGame({ ...found, l2Block: own.l2Block, ownRoot: own.root }, own.root, round, setup, refused)
      }
    }
  }

  /** Waits for the proposer's next game; returns why it looks gone instead, when it does. */
  private async waitForProposer(found: Found, setup: PortalSetup, head: { timestamp: bigint }, attempt: number): Promise<string | undefined> {
    const expected = expectGameCovering({ cadence: await readProposerCadence(this.deps.l1, setup), l2Block: found.l2Block, now: head.timestamp, ...(this.deps.proposerGoneAfterSeconds !== undefined ? { minGoneSeconds: this.deps.proposerGoneAfterSeconds } : {}) })
    if (expected.gone) return `No dispute game covers your withdrawal (L2 block ${found.l2Block}), and the chain's proposer looks gone: ${expected.basis}.`
    if (attempt >= (this.deps.maxPauses ?? 600)) throw new EscapeError(`Gave up waiting for a dispute game covering L2 block ${found.l2Block}.`, { kind: 'temporary', steps: ['Resume the job later: everything is in its journal.'] })
    const due = new Date(Number(expected.at) * 1000).toISOString().slice(0, 16).replace('T', ' ')
    const why = `a dispute game covering L2 block ${found.l2Block} from the chain's proposer, due about ${due} UTC${expected.late ? ' (it is late)' : ''}: ${expected.basis}`
    if (attempt === 0 || expected.late) this.progress('choose-game', `Waiting for ${why}.`)
    await this.deps.waitForL1Time(expected.recheckAt, why)
    return undefined
  }

  /**
   * Our own output root when the proposer is gone (node path): re-execute the node's blocks from the anchor new games
   * start from (AnchorStateRegistry, checked against the node's anchor block) to the withdrawal's block, every
   * witness node checked by hash. Bounded (an hour); too long: say so with the numbers and what the user can do.
   */
  private async ownRootByReexecution(found: Found, setup: PortalSetup, gone: string): Promise<{ l2Block: bigint; root: NonNullable<Found['ownRoot']> }> {
    const l2 = this.deps.l2 as NonNullable<OpEscapeDeps['l2']>
    const anchor = await readCurrentAnchor(this.deps.l1, setup)
    const toBlock = found.l2Block > anchor.l2Block ? found.l2Block : anchor.l2Block + 1n
    this.progress('choose-game', `${gone} Computing our own output root for L2 block ${toBlock}: re-executing the node’s blocks from the anchor (L2 block ${anchor.l2Block}).`)
    let lastShown = 0
    const r = await reexecuteFromAnchor({
      l2, config: this.network.rollupConfig, anchor, toBlock, secondsLeft: OWN_ROOT_BUDGET_SECONDS, limit: 'the app allows an hour for it', kzg: createExecutionKzg(),
      ...(this.deps.signal ? { signal: this.deps.signal } : {}),
      onProgress: (p) => {
        const t = Date.now()
        if (p.done < p.total && t - lastShown < 2000) return
        lastShown = t
        this.progress('choose-game', `Re-executing from the anchor: ${p.done}/${p.total} blocks (L2 block ${p.head}), ${p.blocksPerSecond.toFixed(1)} blocks/s.`)
      },
    })
    if (r.outcome === 'too-long') {
      throw new EscapeError(`${gone} Our own output root would take too long to compute from the node’s blocks.`, {
        kind: 'user-action',
        details: r.reason.split(' Still checked:')[0],
        steps: [
          'Nothing was signed. Your withdrawal is safe on L2 and stays provable.',
          'Resume the job later if the proposer comes back (it proves against the first correct game).',
          'Or start the escape again rebuilding the chain from L1 (--genesis): the app then creates a game with its own output root.',
        ],
      })
    }
    const o = r.outputRootProof
    const root = { outputRoot: computeOutputRoot(o), stateRoot: o.stateRoot, messagePasserStorageRoot: o.messagePasserStorageRoot, blockHash: o.latestBlockhash }
    this.progress('choose-game', `Our own output root for L2 block ${toBlock} is ${root.outputRoot} (${r.blocks} block(s) re-executed from the anchor).`)
    return { l2Block: toBlock, root }
  }

  /** Creates a game with our own output root (no usable game; source 'rebuild'), or uses the same one already created. */
  private async createGame(found: Found, own: NonNullable<Found['ownRoot']>, round: number, setup: PortalSetup, refused: string[]): Promise<Chosen> {
    const name = opEscapeStepName('choose-game', round)
    const plan = await readCreateGamePlan(this.deps.l1, setup)
    this.progress('choose-game', plan.explanation)
    const call = buildCreateGameTx({ l1ChainId: this.network.l1ChainId, setup, plan, rootClaim: own.outputRoot, l2BlockNumber: found.l2Block })
    const extraData = encodeAbiParameters([{ type: 'uint256' }], [found.l2Block])
    const existing = async (): Promise<{ proxy: Address; timestamp: bigint }> => {
      const [proxy, timestamp] = (await this.deps.l1.readContract({ address: setup.disputeGameFactory, abi: disputeGameFactoryAbi, functionName: 'games', args: [plan.gameType, own.outputRoot, extraData] })) as readonly [Address, bigint]
      return { proxy, timestamp: BigInt(timestamp) }
    }
    const journaled = (await this.state()).txs.some((t) => t.step === `${name}/create`)
    let createTx: Hex | null = null
    const before = journaled ? undefined : await existing()
    if (before && !/^0x0{40}$/i.test(before.proxy)) {
      this.progress('choose-game', `A game with our output root for L2 block ${found.l2Block} already exists (${before.proxy}): using it, no new bond.`)
    } else {
      const r = await this.send('choose-game', `${name}/create`, call)
      if (r.status !== 'success') throw new EscapeError('Creating the dispute game reverted on L1.', { kind: 'temporary', details: r.hash, steps: ['Someone may have created the same game first: resume the job to use it.'] })
      createTx = r.hash
      await this.deps.waitForL1Block(r.blockNumber + 1n, 'the block after the game’s creation (a proof must come after it)')
    }
    const created = await existing()
    const { setup: after, head: afterHead } = await this.setupAtHead()
    if (afterHead.timestamp <= created.timestamp) await this.deps.waitForL1Time(created.timestamp + 1n, 'the block after the game’s creation')
    const again = await findProvableGame({ l1: this.deps.l1, setup: after, withdrawalL2Block: found.l2Block, l1Timestamp: (await this.setupAtHead()).head.timestamp, checkRootClaim: (game) => this.checkRootClaim(game, found), prefer: created.proxy })
    const g = again.found?.game
    if (!g || !again.found) throw new EscapeError('The game we created is not usable yet.', { kind: 'temporary', steps: ['Resume the job in a minute.'], details: `${created.proxy}; ${again.note} Not used: ${again.refused.map((r) => `${r.address} (${r.reason})`).join('; ') || 'none'}` })
    return { gameIndex: g.index as bigint, gameAddress: g.address, l2Block: g.l2BlockNumber, rootClaim: g.rootClaim, createdByUs: getAddress(g.address) === getAddress(created.proxy), createTx, outputRootProof: again.found.outputRootProof, refused }
  }

  /**
   * The node path's stronger check of the chosen game (reexecuteGameClaim): our own execution of the node's blocks
   * from the game's anchor state must reach its root claim. A refutation, or a node contradicting itself, stops the
   * job before anything is signed (a source problem: the job stays resumable). Re-run whole on resume (reads only).
   */
  private async checkGame(found: Found, chosen: Chosen): Promise<StepResult<ReturnType<typeof roundStep<'check-game'>>>> {
    if (found.ownRoot) {
      return { method: 'rebuild', game: chosen.gameAddress, blocks: 0, total: 0, blocksPerSecond: 0, note: 'The root claim equals the output root of the app’s own rebuild from L1.' }
    }
    const l2 = this.deps.l2 as NonNullable<OpEscapeDeps['l2']>
    const { setup, head } = await this.setupAtHead()
    const game = { ...(await readGameAt(this.deps.l1, setup, chosen.gameAddress)), index: chosen.gameIndex }
    let lastShown = 0
    const r = await reexecuteGameClaim({
      l1: this.deps.l1, game, l2, config: this.network.rollupConfig, l1Timestamp: head.timestamp,
      kzg: createExecutionKzg(),
      ...(this.deps.signal ? { signal: this.deps.signal } : {}),
      onProgress: (p) => {
        const t = Date.now()
        if (p.done < p.total && t - lastShown < 2000) return
        lastShown = t
        this.progress('check-game', `Re-executing the node’s L2 blocks from the game’s anchor: ${p.done}/${p.total} blocks (L2 block ${p.head}), ${p.blocksPerSecond.toFixed(1)} blocks/s.`)
      },
    })
    const anchor = { anchorL2Block: r.anchor.l2Block, anchorOutputRoot: r.anchor.outputRoot }
    if (r.outcome === 'too-long') {
      this.progress('check-game', r.reason)
      return { method: 'not-re-executed', game: chosen.gameAddress, ...anchor, blocks: r.blocks, total: r.total, blocksPerSecond: r.blocksPerSecond, note: r.reason.slice(0, 1200) }
    }
    const note = `Our re-execution of ${r.blocks} L2 block(s) from the game’s anchor (L2 block ${r.anchor.l2Block}, checked against L1) reaches the game’s root claim ${chosen.rootClaim}.`
    this.progress('check-game', note)
    const blocksPerSecond = r.blocks / (Math.max(r.elapsedMs, 1) / 1000)
    return { method: 're-executed', game: chosen.gameAddress, ...anchor, blocks: r.blocks, total: r.blocks, blocksPerSecond, note }
  }

  private async checkRootClaim(game: Parameters<typeof checkGameRootClaimAgainstOutputRoot>[0]['game'], found: Found): Promise<OutputRootProof> {
    if (found.ownRoot) {
      const o = found.ownRoot
      return checkGameRootClaimAgainstOutputRoot({
        game,
        outputRootProof: { version: OUTPUT_ROOT_VERSION_0, stateRoot: o.stateRoot, messagePasserStorageRoot: o.messagePasserStorageRoot, latestBlockhash: o.blockHash },
        l2BlockNumber: found.l2Block,
        source: 'the app’s rebuild from L1',
      })
    }
    return checkGameRootClaimWithL2Node({ game, l2: this.deps.l2 as NonNullable<OpEscapeDeps['l2']>, config: this.network.rollupConfig, ...(this.deps.signal ? { signal: this.deps.signal } : {}) })
  }

  private async prove(found: Found, chosen: Chosen, round: number): Promise<StepResult<ReturnType<typeof roundStep<'prove'>>>> {
    const name = opEscapeStepName('prove', round)
    const proofs: StepResult<ReturnType<typeof roundStep<'prove'>>>['proofs'] = []
    const { setup } = await this.setupAtHead()
    const game = { ...(await readGameAt(this.deps.l1, setup, chosen.gameAddress)), index: chosen.gameIndex }
    const outputRootProof = chosen.outputRootProof
    for (const w of found.withdrawals) {
      const txStep = `${name}/${w.asset}`
      const journaled = (await this.state()).txs.some((t) => t.step === txStep)
      if (!journaled) {
        const state = await readWithdrawalState(this.deps.l1, setup, w.withdrawalHash, this.account)
        if (state.proofs.some((p) => getAddress(p.submitter) === this.account && getAddress(p.game.address) === getAddress(chosen.gameAddress))) {
          proofs.push({ asset: w.asset, l1TxHash: null, alreadyProven: true })
          continue
        }
      }
      const withdrawalProof = await this.storageProof(w.withdrawalHash, outputRootProof)
      // buildProveWithdrawalTx verifies the proof against the game's root claim before it returns a call.
      const call = buildProveWithdrawalTx({ l1ChainId: this.network.l1ChainId, setup, game, withdrawal: this.withdrawalOf(w), outputRootProof, withdrawalProof })
      this.progress('prove', `The storage proof of withdrawal ${w.withdrawalHash} verifies locally against game ${chosen.gameAddress}'s root claim.`)
      const r = await this.send('prove', txStep, call)
      if (r.status !== 'success') throw new EscapeError('The proveWithdrawalTransaction reverted on L1.', { kind: 'temporary', details: r.hash, steps: ['Resume the job: it reads the game again and proves against a valid one.'] })
      proofs.push({ asset: w.asset, l1TxHash: r.hash, alreadyProven: false })
    }
    return { proofs }
  }

  private async storageProof(withdrawalHash: Hex, outputRootProof: OutputRootProof): Promise<Hex[]> {
    if (this.params.source.kind === 'rebuild') {
      const state = (this.deps.rebuild as NonNullable<OpEscapeDeps['rebuild']>).openState()
      try {
        return buildWithdrawalProof({ withdrawalHash, messagePasserStorageRoot: outputRootProof.messagePasserStorageRoot, getNode: state.getNode })
      } finally {
        state.close()
      }
    }
    return readUntrustedWithdrawalProof({ l2: this.deps.l2 as NonNullable<OpEscapeDeps['l2']>, withdrawalHash, outputRootProof })
  }

  /** Every withdrawal's status at the head (the proofs of our account preferred). */
  private async statuses(found: Found): Promise<{ statuses: OpExitStatus[]; setup: PortalSetup; now: Date }> {
    const head = await this.deps.l1.getBlock({ blockTag: 'latest' })
    const setup = await readPortalSetup(this.deps.l1, this.portal, head.number)
    const clock = await readL1Clock({ l1: this.deps.l1, head })
    const statuses: OpExitStatus[] = []
    for (const w of found.withdrawals) {
      statuses.push(withdrawalStatus({ state: await readWithdrawalState(this.deps.l1, setup, w.withdrawalHash, this.account), setup, clock, account: this.account }))
    }
    return { statuses, setup, now: new Date(Number(head.timestamp) * 1000) }
  }

  private async waitUntil(step: OpProofRoundStep, s: OpExitStatus, now: Date, why: string): Promise<void> {
    const dates = s.deadlines.map((d) => `${d.what}: ${d.deadline.at.toISOString().slice(0, 16).replace('T', ' ')} UTC${d.passed ? ' (passed)' : ''}`)
    this.progress(step, `${s.blocker ?? why} ${dates.length ? `[${dates.join('; ')}]` : ''}`.trim())
    const at = s.nextAction?.earliest.at ?? now
    await this.deps.waitForL1Time(BigInt(Math.ceil(at.getTime() / 1000)), why)
  }

  private async waitGame(found: Found, chosen: Chosen): Promise<{ outcome: 'ready' | 'reprove'; note: string }> {
    for (let i = 0; ; i++) {
      const { statuses, now } = await this.statuses(found)
      const invalid = statuses.find((s) => s.stage === 'proof-invalidated')
      if (invalid) return this.reprove('wait-game', invalid)
      const waiting = statuses.find((s) => s.stage === 'waiting-for-game')
      if (!waiting) return { outcome: 'ready', note: `The clock of game ${chosen.gameAddress} has run out.` }
      await this.waitUntil('wait-game', waiting, now, `the clock of dispute game ${chosen.gameAddress}`)
      if (i > (this.deps.maxPauses ?? 600)) throw new EscapeError('Gave up waiting for the game clock.', { kind: 'temporary' })
    }
  }

  private reprove(step: OpProofRoundStep, s: OpExitStatus): { outcome: 'reprove'; note: string } {
    const note = (s.blocker ?? 'The game no longer counts.').slice(0, 600)
    this.progress(step, `${note} Proving again against another game.`)
    return { outcome: 'reprove', note }
  }

  private async resolve(chosen: Chosen, round: number): Promise<StepResult<ReturnType<typeof roundStep<'resolve'>>>> {
    const name = opEscapeStepName('resolve', round)
    const game = chosen.gameAddress
    const txs: Hex[] = (await this.finishJournaled((s) => s.startsWith(`${name}/`))).flatMap((r) => (r.status === 'success' ? [r.hash] : []))
    const head = await this.deps.l1.getBlockNumber()
    const resolution = await readGameResolution(this.deps.l1, game, head)
    if (resolution.resolved) return { txs, alreadyResolved: txs.length === 0 }
    const calls = buildResolveGameTxs({ l1ChainId: this.network.l1ChainId, game, resolution })
    if (calls.length === 0) throw new EscapeError(`Dispute game ${game} has too many claims to resolve from here (${resolution.claimCount}).`, { kind: 'user-action', steps: ['It was challenged heavily: wait for the challengers to resolve it, then resume.'] })
    for (const [i, call] of calls.entries()) {
      const label = i < resolution.unresolved.length ? `claim-${resolution.unresolved[i]}` : 'game'
      const r = await this.send('resolve', `${name}/${label}`, call)
      if (r.status === 'success') {
        if (!txs.includes(r.hash)) txs.push(r.hash)
      } else if (!(await readGameResolution(this.deps.l1, game, await this.deps.l1.getBlockNumber())).resolved && label === 'game') {
        throw new EscapeError(`Resolving dispute game ${game} reverted on L1.`, { kind: 'temporary', details: r.hash })
      }
    }
    return { txs, alreadyResolved: false }
  }

  private async waitFinalization(found: Found, chosen: Chosen): Promise<{ outcome: 'ready' | 'reprove'; note: string }> {
    for (let i = 0; ; i++) {
      const { statuses, now } = await this.statuses(found)
      const invalid = statuses.find((s) => s.stage === 'proof-invalidated')
      if (invalid) return this.reprove('wait-finalization', invalid)
      const waiting = statuses.find((s) => s.stage === 'waiting-for-finality' || s.stage === 'waiting-for-game' || s.stage === 'ready-to-resolve')
      if (!waiting) return { outcome: 'ready', note: `Game ${chosen.gameAddress} resolved; the proofs are mature and the airgap is over.` }
      if (waiting.stage !== 'waiting-for-finality') throw new EscapeError(`Dispute game ${chosen.gameAddress} is not resolved yet.`, { kind: 'temporary', steps: ['Resume the job: it resolves the game first.'] })
      await this.waitUntil('wait-finalization', waiting, now, 'the proof maturity and the finality airgap')
      if (i > (this.deps.maxPauses ?? 600)) throw new EscapeError('Gave up waiting for finality.', { kind: 'temporary' })
    }
  }

  private async finalize(found: Found, round: number): Promise<StepResult<ReturnType<typeof roundStep<'finalize'>>>> {
    const name = opEscapeStepName('finalize', round)
    const out: StepResult<ReturnType<typeof roundStep<'finalize'>>>['withdrawals'] = []
    for (const w of found.withdrawals) {
      const txStep = `${name}/${w.asset}`
      const withdrawal = this.withdrawalOf(w)
      const { setup } = await this.setupAtHead()
      const journaled = (await this.state()).txs.some((t) => t.step === txStep)
      const state = await readWithdrawalState(this.deps.l1, setup, w.withdrawalHash, this.account)
      let l1TxHash: Hex | null = null
      let alreadyFinalized = false
      if (state.finalized && !journaled) {
        alreadyFinalized = true
        this.progress('finalize', `Withdrawal ${w.withdrawalHash} is already finalized on L1.`)
      } else {
        const head = await this.deps.l1.getBlock({ blockNumber: setup.l1Block })
        const status = withdrawalStatus({ state, setup, clock: await readL1Clock({ l1: this.deps.l1, head }), account: this.account })
        if (status.stage === 'proof-invalidated') return { outcome: 'reprove', note: (status.blocker ?? '').slice(0, 600), withdrawals: out }
        const own = state.proofs.find((p) => getAddress(p.submitter) === this.account)
        const call = buildFinalizeWithdrawalTx({ l1ChainId: this.network.l1ChainId, setup, withdrawal, proofSubmitter: own ? this.account : (state.proofs[0]?.submitter ?? this.account), from: this.account })
        const r = await this.send('finalize', txStep, call)
        if (r.status !== 'success') {
          const after = await readWithdrawalState(this.deps.l1, await readPortalSetup(this.deps.l1, this.portal), w.withdrawalHash, this.account)
          if (!after.finalized) throw new EscapeError(`Finalizing withdrawal ${w.withdrawalHash} reverted on L1.`, { kind: 'temporary', details: r.hash, steps: ['Resume the job: it reads the withdrawal again.'] })
          alreadyFinalized = true
        }
        l1TxHash = r.hash
      }
      const relay = await this.checkRelay(w, withdrawal, txStep)
      out.push({ asset: w.asset, l1TxHash, alreadyFinalized, ...relay })
    }
    return { outcome: 'done', note: 'Every withdrawal is finalized.', withdrawals: out }
  }

  /**
   * ERC-20s: the finalize runs the L1 messenger's relayMessage; the bridge transfer may fail there (out of gas) and
   * is then kept as a failed message anyone can replay. Checked in the messenger's successfulMessages (keyed by
   * keccak256 of the withdrawal's data, the relayMessage call itself) on L1.
   */
  private async checkRelay(w: Found['withdrawals'][number], withdrawal: WithdrawalTransaction, txStep: string): Promise<{ relay?: 'relayed' | 'replayed'; replayTx?: Hex }> {
    if (this.params.assets[w.asset]?.kind !== 'erc20') return {}
    const messenger = getAddress(withdrawal.target)
    const message = decodeRelayedMessage(withdrawal, messenger)
    if (!message) return {}
    const msgHash = keccak256(withdrawal.data)
    const succeeded = async () => (await this.deps.l1.readContract({ address: messenger, abi: l1CrossDomainMessengerAbi, functionName: 'successfulMessages', args: [msgHash] })) as boolean
    const [replayed] = await this.finishJournaled((s) => s === `${txStep}/replay`)
    if (await succeeded()) return replayed?.status === 'success' ? { relay: 'replayed', replayTx: replayed.hash } : { relay: 'relayed' }
    this.progress('finalize', `The L1 bridge did not complete the token transfer of withdrawal ${w.withdrawalHash} (FailedRelayedMessage); replaying the message.`)
    const r = await this.send('finalize', `${txStep}/replay`, buildReplayMessageTx({ l1ChainId: this.network.l1ChainId, l1CrossDomainMessenger: messenger, message }))
    if (r.status !== 'success' || !(await succeeded())) {
      throw new EscapeError('Replaying the bridge message on L1 failed.', { kind: 'temporary', details: r.hash, steps: ['Resume the job to try again (the message stays replayable).'] })
    }
    return { relay: 'replayed', replayTx: r.hash }
  }
}

function damagedJobError(jobId: string): EscapeError {
  return new EscapeError('This job\'s journal is damaged, so nothing will be signed for it.', {
    kind: 'user-action',
    steps: ['Records this job had written may be missing: a transaction it signed may already be on L1. Look at it with `escape-hatch jobs show` and contact support.'],
    details: `job ${jobId}`,
  })
}
