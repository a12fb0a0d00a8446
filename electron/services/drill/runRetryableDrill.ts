/**
 * The Arbitrum retryable drill (`escape-hatch drill --stack arbitrum --scenario retryable`, issue 16 item 5): a
 * retryable ticket whose auto-redeem did not happen is redeemed through the L1 delayed inbox while the sequencer
 * censors the redeemer, and the beneficiary's L2 balance rises by the ticket's call value.
 *
 *   start devnet → an L1 account creates a retryable (gasLimit 0: no auto-redeem, the standard way a ticket is left for
 *   a manual redeem) → the sequencer creates the ticket on L2 → the user (funded on L2) is censored → the journaled
 *   redeem job: find the ticket from L1, sign ArbRetryableTx.redeem, Inbox.sendL2Message, time travel, force inclusion
 *   → checks: the ticket is redeemed, the redeem was forced in, the beneficiary got the call value.
 *
 * Drill wiring (devnet allowed here, like runArbitrumDrill); the redeem flow itself stays devnet-free.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { getAddress, parseEther, type Address, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { inboxAbi } from '../../../contracts-abi/arbitrum-nitro/Inbox'
import { EscapeError, type SerializedError } from '../../../shared/errors/EscapeError'
import { findRetryablesInTx } from '../../../shared/rollups/arbitrum-nitro/retryables/findRetryables'
import { getRetryableStatus } from '../../../shared/rollups/arbitrum-nitro/retryables/getRetryableStatus'
import { startDevnet, DEVNET_ROLES, type Devnet } from '../../devnet/devnet'
import { startArbitrumDevnet, type ArbitrumDevnet } from '../../devnet/arbitrum/startArbitrumDevnet'
import { retryableSubmissionFee } from '../../devnet/arbitrum/l2/retryables'
import { devnetPublicClient, devnetWalletClient } from '../../devnet/devnetClients'
import { mine } from '../../devnet/timeTravel'
import { createSoftLedgerSigner } from '../flows/arbitrum/createSoftLedgerSigner'
import { RETRYABLE_REDEEM_JOB_KIND, retryableRedeemTitle, type RetryableRedeemParams } from '../flows/arbitrum/retryable/redeemRetryableJob'
import { runRetryableRedeem, type RetryableRedeemResult } from '../flows/arbitrum/retryable/runRetryableRedeem'
import { JournalStore } from '../journal/JournalStore'
import { openL1Gateway } from '../l1/openL1Gateway'
import { drillFailure, drillStepsOf, drillTxsOf, type DrillStepReport, type DrillTxReport } from './drillJobReport'

export interface RunRetryableDrillParameters {
  workDir: string
  /** The ticket's call value (what the beneficiary receives). */
  callValue?: bigint
  onProgress?: (message: string) => void
  signal?: AbortSignal
  /** Called once the redeem job's journal is open (the app's drill service follows its steps from it). */
  onJobStarted?: (started: { store: JournalStore; jobId: string }) => void
}

export interface RetryableDrillReport {
  stack: 'arbitrum'
  scenario: 'retryable'
  ok: boolean
  startedAt: string
  finishedAt: string
  wallTimeMs: number
  user: Address
  beneficiary: Address
  callValueWei: string
  ticketId: Hex | undefined
  createTicketL1Tx: Hex | undefined
  jobId: string | undefined
  journalDir: string | undefined
  steps: DrillStepReport[]
  transactions: DrillTxReport[]
  result: RetryableRedeemResult | undefined
  checks: { name: string; ok: boolean; detail: string }[]
  error: SerializedError | undefined
}

const USER_PATH = `44'/60'/0'/0/${DEVNET_ROLES.user1}`

export async function runRetryableDrill(params: RunRetryableDrillParameters): Promise<RetryableDrillReport> {
  const startedAt = new Date()
  const t0 = performance.now()
  const progress = params.onProgress ?? (() => undefined)
  const callValue = params.callValue ?? parseEther('0.3')
  const checks: RetryableDrillReport['checks'] = []
  const report: Partial<RetryableDrillReport> = {}
  let devnet: Devnet | undefined
  let l2: ArbitrumDevnet | undefined
  let store: JournalStore | undefined
  const ledger = createSoftLedgerSigner()
  // A fresh address: its L2 balance is exactly what the ticket pays it.
  const beneficiary: Address = getAddress('0x00000000000000000000000000000000beef0016')
  try {
    progress('Starting the devnet (anvil L1, Arbitrum Nitro contracts through RollupCreator)…')
    devnet = await startDevnet({ stacks: ['arbitrum'], signal: params.signal, onProgress: progress })
    if (!devnet.arbitrum) throw new EscapeError('The devnet started without the Arbitrum stack.')
    l2 = await startArbitrumDevnet({ l1: devnet.anvil, deployment: devnet.arbitrum, batchMode: 'calldata' })
    const network = devnet.arbitrum.network
    const user = devnet.anvil.accounts[DEVNET_ROLES.user1]!.address as Address
    const creatorKey = devnet.anvil.accounts[DEVNET_ROLES.user2]!.privateKey as Hex
    const creator = privateKeyToAccount(creatorKey)
    report.user = user
    const l1Node = devnetPublicClient(devnet.l1.rpcUrl, { retryCount: 0 })
    const l2Check = devnetPublicClient(l2.l2RpcUrl, { retryCount: 0 })

    // 1. A retryable with gasLimit 0 and maxFeePerGas 0: ArbOS makes the ticket but schedules no auto-redeem.
    const baseFee = (await l1Node.getBlock()).baseFeePerGas ?? 0n
    const maxSubmissionCost = retryableSubmissionFee(0, baseFee * 2n) + 1n
    progress(`${creator.address} creates a retryable on L1 paying ${callValue} wei to ${beneficiary}, with no gas for an auto-redeem…`)
    const wallet = devnetWalletClient(devnet.l1.rpcUrl, creator)
    const createTx = await wallet.writeContract({
      address: network.contracts.inbox, abi: inboxAbi, functionName: 'createRetryableTicket', chain: null,
      args: [beneficiary, callValue, maxSubmissionCost, creator.address, beneficiary, 0n, 0n, '0x'], value: callValue + maxSubmissionCost,
    })
    const createReceipt = await l1Node.waitForTransactionReceipt({ hash: createTx })
    if (createReceipt.status !== 'success') throw new EscapeError('createRetryableTicket reverted on the devnet L1.', { details: createTx })
    report.createTicketL1Tx = createTx
    await l2.postBatchNow().catch(() => null)
    await l2.sync()

    const l1 = await openL1Gateway({ urls: [devnet.l1.rpcUrl], l1ChainId: devnet.l1.chainId, label: 'the devnet L1' })
    const [ticket] = (await findRetryablesInTx(l1, network, createTx)).tickets
    if (!ticket) throw new EscapeError('The drill\'s retryable was not found on L1.')
    report.ticketId = ticket.ticketId
    const before = await getRetryableStatus({ l1, network, ticket, l2: l2Check, l2Source: 'the devnet L2' })
    checks.push({
      name: 'the ticket exists on L2 with no successful auto-redeem', ok: before.stage === 'awaiting-redeem',
      detail: `${before.stage}; ${before.reportedByL2.join(' ')}`,
    })
    const beneficiaryBefore = await l2Check.getBalance({ address: beneficiary })

    // 2. The redeemer has ETH on L2 for gas, and the sequencer censors it.
    progress(`Funding ${user} with 1 ETH on L2, then censoring it…`)
    await l2.fund(user, parseEther('1'))
    l2.setCensored(user, true)

    // 3. The journaled redeem job, forced through the delayed inbox.
    const dir = join(params.workDir, `arbitrum-retryable-drill-${startedAt.toISOString().replace(/[:.]/g, '-')}`)
    mkdirSync(dir, { recursive: true })
    store = await JournalStore.open(dir)
    const jobParams: RetryableRedeemParams = {
      network: { ...network, l2RpcUrl: l2.l2RpcUrl }, account: user, signerPath: USER_PATH, ticketId: ticket.ticketId, l1TxHash: createTx,
      l1Endpoints: [devnet.l1.rpcUrl], l2RpcUrl: l2.l2RpcUrl,
    }
    const job = await store.createJob({ kind: RETRYABLE_REDEEM_JOB_KIND, title: retryableRedeemTitle(network, jobParams), params: JSON.parse(JSON.stringify(jobParams)) })
    report.jobId = job.id
    report.journalDir = dir
    params.onJobStarted?.({ store, jobId: job.id })
    const l1Url = devnet.l1.rpcUrl
    const l2Handle = l2
    const result = await runRetryableRedeem(job.id, {
      store, signer: ledger.signer, l1, l2: devnetPublicClient(l2.l2RpcUrl, { retryCount: 0 }), l1Endpoints: [l1Url], l2Source: 'the devnet L2',
      waitForL1Block: async (block) => {
        const head = await l1.getBlockNumber()
        if (head < block) {
          progress(`Time travel: mining ${block - head} L1 blocks to ${block}.`)
          await mine(l1Url, block - head, 12)
        }
      },
      pause: async () => {
        await new Promise((r) => setTimeout(r, 100))
        await l2Handle.sync()
      },
      onProgress: ({ step, message }) => progress(`[${step}] ${message}`),
      broadcast: { pollIntervalMs: 100 },
      signal: params.signal,
      maxPauses: 300,
    })
    report.result = result

    // 4. Independent checks (the drill's own L2 client; the devnet L2 is ours, so its answers are the chain's).
    const beneficiaryAfter = await l2Check.getBalance({ address: beneficiary })
    checks.push({ name: 'the redeem was forced in through the delayed inbox', ok: result.forced && result.forceInclusionTx !== undefined, detail: `force inclusion ${result.forceInclusionTx ?? 'none'}, batch ${result.sequencedInBatch}` })
    const after = await getRetryableStatus({ l1, network, ticket, l2: l2Check, l2Source: 'the devnet L2' })
    checks.push({ name: 'the ticket is redeemed', ok: result.redeemedBy !== undefined && after.stage === 'redeemed', detail: `by ${result.redeemedBy ?? '—'}; ${after.stage}` })
    checks.push({
      name: 'the beneficiary\'s L2 balance rose by the call value', ok: beneficiaryAfter - beneficiaryBefore === callValue,
      detail: `before ${beneficiaryBefore}, after ${beneficiaryAfter}, call value ${callValue}`,
    })
    const { state } = await store.load(job.id)
    report.steps = drillStepsOf(state)
    report.transactions = drillTxsOf(state)
    report.ok = checks.every((c) => c.ok)
  } catch (error) {
    report.ok = false
    Object.assign(report, await drillFailure(error, 'The retryable drill failed.', { store, jobId: report.jobId }))
  } finally {
    store?.close()
    await l2?.stop().catch(() => undefined)
    await devnet?.stop().catch(() => undefined)
    await ledger.stop().catch(() => undefined)
  }
  return {
    stack: 'arbitrum', scenario: 'retryable', ok: report.ok ?? false, startedAt: startedAt.toISOString(), finishedAt: new Date().toISOString(), wallTimeMs: Math.round(performance.now() - t0),
    user: report.user ?? '0x0000000000000000000000000000000000000000', beneficiary, callValueWei: callValue.toString(), ticketId: report.ticketId,
    createTicketL1Tx: report.createTicketL1Tx, jobId: report.jobId, journalDir: report.journalDir, steps: report.steps ?? [], transactions: report.transactions ?? [],
    result: report.result, checks, error: report.error,
  }
}
