/**
 * The Arbitrum drill: the whole escape on the embedded devnet, with the software Ledger.
 *
 *   start devnet (anvil L1 + real Nitro contracts + devnet L2) → fund the user on L2 → censor them (their L2 tx is
 *   refused) → run the journaled escape job (time travel through the force-inclusion window and the BoLD confirm
 *   period) → check the user's L1 balance rose by exactly the amount minus the L1 fees they paid → check a replay of
 *   the executeTransaction is rejected by the Outbox.
 *
 * The report lists every step with its time, every transaction hash, and the roots that were matched.
 *
 * This is drill wiring: the one place (with electron/services/drill/) where a service starts the devnet. The escape
 * flow it runs (electron/services/flows/arbitrum) stays devnet-free; lint enforces it.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { BaseError, ContractFunctionRevertedError, decodeFunctionData, erc20Abi, parseEther, type Address, type Hex, type PublicClient } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { outboxAbi } from '../../../contracts-abi/arbitrum-nitro/Outbox'
import { EscapeError, type SerializedError } from '../../../shared/errors/EscapeError'
import type { JobState } from '../../../shared/journal/reduce'
import type { ArbitrumNetwork } from '../../../shared/rollups/arbitrum-nitro/network'
import { startDevnet, DEVNET_ROLES, type Devnet } from '../../devnet/devnet'
import { startArbitrumDevnet, DEVNET_L2_DESCRIPTION, type ArbitrumDevnet } from '../../devnet/arbitrum/startArbitrumDevnet'
import { deployDevnetL1Token, deployTokenBridge, depositTokenToL2 } from '../../devnet/arbitrum/deployTokenBridge'
import { mine } from '../../devnet/timeTravel'
import { devnetPublicClient } from '../../devnet/devnetClients'
import { openL1Gateway } from '../l1/openL1Gateway'
import { JournalStore } from '../journal/JournalStore'
import { readL2Sends } from '../../../shared/rollups/arbitrum-nitro/status/readL2Sends'
import { buildSendTree } from '../../../shared/rollups/arbitrum-nitro/proof/buildSendTree'
import type { BroadcastJournal } from '../journal/journalPort'
import { ARBITRUM_ESCAPE_JOB_KIND, arbitrumEscapeTitle, toJobParams, type ArbitrumEscapeParams } from '../flows/arbitrum/arbitrumEscapeJob'
import { createSoftLedgerSigner } from '../flows/arbitrum/createSoftLedgerSigner'
import { nodeBrotliDecompressor } from '../flows/arbitrum/nodeBrotliDecompressor'
import { createBeaconBlobSource } from '../blobs/createBeaconBlobSource'
import { loadKzg } from '../kzg'
import { runArbitrumEscape, type ArbitrumEscapeResult } from '../flows/arbitrum/runArbitrumEscape'
import { readStepResult } from '../jobs/readStepResult'
import { waitConfirmationStep } from '../flows/arbitrum/arbitrumEscapeSteps'
import { recordRpcCalls, summarizeRpcCalls, type RpcCallSummary } from '../l1/recordRpcCalls'
import { checkNoDuplicateTxs, drillFailure, drillStepsOf, drillTxsOf, type DrillStepReport } from './drillJobReport'

export type { DrillStepReport } from './drillJobReport'

export interface RunArbitrumDrillParameters {
  /** Where the drill's journal goes (a fresh sub-directory per run). */
  workDir: string
  amount?: bigint
  /**
   * What the user takes out (issue 16): 'eth' (default), 'erc20' (a token deposited to L2 through the real token
   * gateways, withdrawn through them), or both in one job.
   */
  assets?: readonly ArbitrumDrillAsset[]
  /** The token amount (18 decimals) for 'erc20'; the user holds more than this on L2. */
  tokenAmount?: bigint
  batchMode?: 'calldata' | 'blob'
  onProgress?: (message: string) => void
  signal?: AbortSignal
  /** Called once the escape job exists, with its journal: a UI follows the job's steps through the store's events. */
  onJobStarted?: (started: { store: JournalStore; jobId: string }) => void
  /**
   * Tests: wrap the journal (crash injection) and decide when to stop. Return true from `afterRun` to resume once more
   * (a simulated restart), false when done.
   */
  wrapJournal?: (store: JournalStore) => BroadcastJournal
  /** Tests: called between the setup and the escape, e.g. to make the L2 node lie. */
  beforeEscape?: (ctx: { devnet: Devnet; l2: ArbitrumDevnet; user: Address }) => Promise<void> | void
  /** Tests: retry policy after a failed run (a simulated crash); the default is not to retry. */
  shouldResume?: (error: unknown, attempt: number, ctx: { devnet: Devnet; l2: ArbitrumDevnet }) => Promise<boolean> | boolean
}

export const ARBITRUM_DRILL_ASSETS = ['eth', 'erc20'] as const
export type ArbitrumDrillAsset = (typeof ARBITRUM_DRILL_ASSETS)[number]

export interface ArbitrumDrillReport {
  stack: 'arbitrum'
  ok: boolean
  startedAt: string
  finishedAt: string
  wallTimeMs: number
  /** Peak resident set size of this process so far (getrusage maxrss), in bytes; anvil is a separate process. */
  peakRssBytes: number
  devnet: { l1RpcUrl: string; l2RpcUrl: string; l1ChainId: number; l2ChainId: number; note: string; batchMode: string }
  user: Address
  amountWei: string
  /** The token taken out ('erc20' drills); absent when only ETH was. */
  token?: { l1Token: Address; l2Token: Address; symbol: string; amount: string; depositL1TxHash: Hex; tokenBridgeMs: number }
  setup: { fundL2TxHash: Hex; censorship: string; devnetStartMs: number }
  jobId: string | undefined
  /** This run's folder (its journal, and the report file the CLI and the app keep next to it). */
  journalDir: string | undefined
  steps: DrillStepReport[]
  transactions: { step: string; chainId: number; hash: Hex; status: string; blockNumber: string | undefined }[]
  result: ArbitrumEscapeResult | undefined
  roots: { confirmedSendRoot: Hex | undefined; recomputedFromL2SendList: Hex | undefined; matched: boolean }
  /**
   * The JSON-RPC requests the escape job (all its runs) made to the untrusted L2 node; the drill's own independent
   * checks are not counted. Optional: reports saved before it existed lack it.
   */
  l2Rpc?: RpcCallSummary
  checks: { name: string; ok: boolean; detail: string }[]
  restarts: number
  error: SerializedError | undefined
}

const USER_INDEX = DEVNET_ROLES.user1
const USER_PATH = `44'/60'/0'/0/${USER_INDEX}`

export async function runArbitrumDrill(params: RunArbitrumDrillParameters): Promise<ArbitrumDrillReport> {
  const startedAt = new Date()
  const t0 = performance.now()
  const progress = params.onProgress ?? (() => undefined)
  const assets = params.assets ?? ['eth']
  const amount = assets.includes('eth') ? (params.amount ?? parseEther('1')) : 0n
  const tokenAmount = params.tokenAmount ?? parseEther('3')
  const checks: ArbitrumDrillReport['checks'] = []
  let devnet: Devnet | undefined
  let l2: ArbitrumDevnet | undefined
  const ledger = createSoftLedgerSigner()
  let store: JournalStore | undefined
  const report: Partial<ArbitrumDrillReport> = { stack: 'arbitrum', restarts: 0 }
  let l2Recorded: ReturnType<typeof recordRpcCalls> | undefined
  try {
    progress('Starting the devnet (anvil L1, Arbitrum Nitro contracts through RollupCreator)…')
    devnet = await startDevnet({ stacks: ['arbitrum'], signal: params.signal, onProgress: progress })
    if (!devnet.arbitrum) throw new EscapeError('The devnet started without the Arbitrum stack.')
    l2 = await startArbitrumDevnet({ l1: devnet.anvil, deployment: devnet.arbitrum, batchMode: params.batchMode ?? 'calldata' })
    const devnetStartMs = performance.now() - t0
    const userKey = devnet.anvil.accounts[USER_INDEX]
    if (!userKey) throw new EscapeError('The devnet has no user account.')
    const user = userKey.address as Address
    report.devnet = {
      l1RpcUrl: devnet.l1.rpcUrl, l2RpcUrl: l2.l2RpcUrl, l1ChainId: devnet.l1.chainId, l2ChainId: l2.l2ChainId, note: DEVNET_L2_DESCRIPTION, batchMode: params.batchMode ?? 'calldata',
    }
    report.user = user
    report.amountWei = amount.toString()

    const network: ArbitrumNetwork = { ...devnet.arbitrum.network }
    progress(`Funding ${user} with 2 ETH on L2…`)
    const fundL2TxHash = await l2.fund(user, parseEther('2'))
    let token: { l1Token: Address; l2Token: Address; symbol: string } | undefined
    if (assets.includes('erc20')) {
      const deployer = devnet.anvil.accounts[DEVNET_ROLES.deployer]
      if (!deployer) throw new EscapeError('The devnet has no deployer account.')
      progress('Deploying the Arbitrum token bridge (real @arbitrum/token-bridge-contracts: gateway routers and standard gateways on L1 and L2)…')
      const tb0 = performance.now()
      const bridge = await deployTokenBridge({ l1: devnet.anvil, deployment: devnet.arbitrum, l2, deployer, signal: params.signal })
      const tokenBridgeMs = Math.round(performance.now() - tb0)
      const l1Token = await deployDevnetL1Token({ l1: devnet.anvil, minter: deployer, name: 'Drill Token', symbol: 'DRILL', signal: params.signal })
      progress(`Depositing ${tokenAmount + parseEther('2')} DRILL (wei units) to ${user} on L2 through L1GatewayRouter.outboundTransfer (a retryable ticket)…`)
      const deposit = await depositTokenToL2({ l1: devnet.anvil, l2, bridge, token: l1Token, minter: deployer, user: userKey, amount: tokenAmount + parseEther('2') })
      token = { l1Token, l2Token: deposit.l2Token, symbol: 'DRILL' }
      report.token = { ...token, amount: tokenAmount.toString(), depositL1TxHash: deposit.l1TxHash, tokenBridgeMs }
      network.tokenBridge = { l1GatewayRouter: bridge.l1GatewayRouter }
    }
    l2.setCensored(user, true)
    const censorship = await demonstrateCensorship(l2, userKey.privateKey as Hex, user)
    checks.push({ name: 'sequencer censors the user', ok: censorship.censored, detail: censorship.detail })
    report.setup = { fundL2TxHash, censorship: censorship.detail, devnetStartMs: Math.round(devnetStartMs) }

    // The escape reads L1 through the gateway, as on a real network; the drill's own checks use a devnet client.
    const l1 = await openL1Gateway({ urls: [devnet.l1.rpcUrl], l1ChainId: devnet.l1.chainId, label: 'the devnet L1' })
    const l1Node = devnetPublicClient(devnet.l1.rpcUrl, { retryCount: 0 })
    // The escape's L2 client records its requests (report.l2Rpc); the drill's own checks use another client.
    l2Recorded = recordRpcCalls(l2.l2RpcUrl)
    const l2Client = l2Recorded.client
    const l2CheckClient = devnetPublicClient(l2.l2RpcUrl, { retryCount: 0 })
    const balanceBefore = await l1Node.getBalance({ address: user })
    const tokenBefore = token ? await l1Node.readContract({ address: token.l1Token, abi: erc20Abi, functionName: 'balanceOf', args: [user] }) : 0n

    const dir = join(params.workDir, `arbitrum-drill-${startedAt.toISOString().replace(/[:.]/g, '-')}`)
    mkdirSync(dir, { recursive: true })
    store = await JournalStore.open(dir)
    const escapeParams: ArbitrumEscapeParams = {
      network: { ...network, l2RpcUrl: l2.l2RpcUrl },
      account: user,
      signerPath: USER_PATH,
      destination: user,
      amountWei: amount.toString(),
      ...(token ? { tokens: [{ l1Token: token.l1Token, amount: tokenAmount.toString(), decimals: 18, symbol: token.symbol }] } : {}),
      l1Endpoints: [devnet.l1.rpcUrl],
      l2RpcUrl: l2.l2RpcUrl,
    }
    const job = await store.createJob({ kind: ARBITRUM_ESCAPE_JOB_KIND, title: arbitrumEscapeTitle(network, escapeParams.amountWei, escapeParams.tokens), params: toJobParams(escapeParams) })
    report.jobId = job.id
    report.journalDir = dir
    params.onJobStarted?.({ store, jobId: job.id })
    await params.beforeEscape?.({ devnet, l2, user })

    const l1Url = devnet.l1.rpcUrl
    const l2Handle = l2
    let result: ArbitrumEscapeResult | undefined
    for (let attempt = 0; ; attempt++) {
      const journal = params.wrapJournal ? params.wrapJournal(store) : store
      try {
        result = await runArbitrumEscape(job.id, {
          store: journal,
          signer: ledger.signer,
          l1,
          l2: l2Client,
          waitForL1Block: async (block) => {
            const head = await l1.getBlockNumber()
            if (head < block) {
              progress(`Time travel: mining ${block - head} L1 blocks to ${block}.`)
              await mine(l1Url, block - head, 12)
            }
          },
          waitForConfirmation: async () => {
            progress('Time travel: the devnet validator posts an assertion and confirms it after the confirm period.')
            await l2Handle.postAndConfirmAssertionNow()
          },
          pause: async () => {
            await new Promise((r) => setTimeout(r, 100))
            await l2Handle.sync()
          },
          onProgress: ({ step, message }) => progress(`[${step}] ${message}`),
          broadcast: { pollIntervalMs: 100 },
          signal: params.signal,
          maxPauses: 300,
          decompressor: nodeBrotliDecompressor,
          ...(params.batchMode === 'blob' ? { blobs: { source: createBeaconBlobSource({ beaconUrl: devnet.anvil.beaconUrl, kzg: loadKzg() }), kzg: loadKzg() } } : {}),
        })
        break
      } catch (error) {
        if (!params.shouldResume || !(await params.shouldResume(error, attempt, { devnet, l2 }))) throw error
        report.restarts = (report.restarts ?? 0) + 1
        // A restart: a fresh journal instance reading what is on disk.
        store.close()
        store = await JournalStore.open(dir)
      }
    }
    report.result = result

    const { state } = await store.load(job.id)
    const balanceAfter = await l1Node.getBalance({ address: user })
    let fees = 0n
    for (const tx of state.txs.filter((t) => t.status === 'mined' || t.status === 'reverted')) {
      const receipt = await l1Node.getTransactionReceipt({ hash: tx.hash })
      fees += receipt.gasUsed * receipt.effectiveGasPrice
    }
    const ethLeg = result?.assets?.find((a) => a.kind === 'eth')
    if (amount > 0n) {
      const expected = balanceBefore + (ethLeg?.alreadySpent ? 0n : amount) - fees
      checks.push({
        name: 'user L1 balance rose by the amount (minus the L1 fees paid)',
        ok: balanceAfter === expected && balanceAfter > balanceBefore,
        detail: `before ${balanceBefore}, after ${balanceAfter}, amount ${amount}, L1 fees ${fees}`,
      })
    } else {
      checks.push({ name: 'user L1 ETH balance fell by exactly the L1 fees paid', ok: balanceAfter === balanceBefore - fees, detail: `before ${balanceBefore}, after ${balanceAfter}, L1 fees ${fees}` })
    }
    if (token) {
      const tokenAfter = await l1Node.readContract({ address: token.l1Token, abi: erc20Abi, functionName: 'balanceOf', args: [user] })
      checks.push({
        name: 'user L1 token balance rose by exactly the amount',
        ok: tokenAfter - tokenBefore === tokenAmount,
        detail: `${token.symbol} ${token.l1Token}: before ${tokenBefore}, after ${tokenAfter}, amount ${tokenAmount}`,
      })
    }
    checks.push(checkNoDuplicateTxs(state, { onePerStep: true }))
    checks.push(await checkReplayRejected(l1Node, state, user))
    // Independently of the flow: the L2 node's send list, cut at the confirmed size, rebuilt into a root.
    const confirmedStep = readStepResult(state, waitConfirmationStep)
    let recomputed: Hex | undefined
    if (confirmedStep) {
      const sends = (await readL2Sends(l2CheckClient)).sort((a, b) => (a.position < b.position ? -1 : 1)).slice(0, Number(confirmedStep.confirmedSize))
      recomputed = buildSendTree(sends.map((s) => s.sendHash)).root
    }
    const matched = recomputed !== undefined && recomputed === result?.confirmedSendRoot
    report.roots = { confirmedSendRoot: result?.confirmedSendRoot, recomputedFromL2SendList: recomputed, matched }
    checks.push({ name: 'send root recomputed from the L2 send list equals the confirmed sendRoot on L1', ok: matched, detail: `${recomputed} vs ${result?.confirmedSendRoot}` })
    report.steps = drillStepsOf(state)
    report.transactions = drillTxsOf(state)
    report.ok = checks.every((c) => c.ok)
  } catch (error) {
    report.ok = false
    Object.assign(report, await drillFailure(error, 'The Arbitrum drill failed.', { store, jobId: report.jobId }))
  } finally {
    store?.close()
    await l2?.stop().catch(() => undefined)
    await devnet?.stop().catch(() => undefined)
    await ledger.stop().catch(() => undefined)
  }
  const finishedAt = new Date()
  return {
    stack: 'arbitrum',
    ok: report.ok ?? false,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    wallTimeMs: Math.round(performance.now() - t0),
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    devnet: report.devnet ?? { l1RpcUrl: '', l2RpcUrl: '', l1ChainId: 0, l2ChainId: 0, note: DEVNET_L2_DESCRIPTION, batchMode: params.batchMode ?? 'calldata' },
    user: report.user ?? '0x0000000000000000000000000000000000000000',
    amountWei: amount.toString(),
    ...(report.token ? { token: report.token } : {}),
    setup: report.setup ?? { fundL2TxHash: '0x', censorship: '', devnetStartMs: 0 },
    jobId: report.jobId,
    journalDir: report.journalDir,
    steps: report.steps ?? [],
    transactions: report.transactions ?? [],
    result: report.result,
    roots: report.roots ?? { confirmedSendRoot: undefined, recomputedFromL2SendList: undefined, matched: false },
    ...(l2Recorded ? { l2Rpc: summarizeRpcCalls(l2Recorded.calls) } : {}),
    checks,
    restarts: report.restarts ?? 0,
    error: report.error,
  }
}

/** The user tries an ordinary L2 transfer; the censoring sequencer must refuse or ignore it. */
async function demonstrateCensorship(l2: ArbitrumDevnet, privateKey: Hex, user: Address): Promise<{ censored: boolean; detail: string }> {
  const account = privateKeyToAccount(privateKey)
  const client = devnetPublicClient(l2.l2RpcUrl, { retryCount: 0 })
  const nonce = await client.getTransactionCount({ address: user })
  const raw = await account.signTransaction({ type: 'eip1559', chainId: l2.l2ChainId, nonce, to: '0x000000000000000000000000000000000000dEaD', value: 1n, gas: 21_000n, maxFeePerGas: 10n ** 9n, maxPriorityFeePerGas: 0n })
  try {
    const hash = (await client.request({ method: 'eth_sendRawTransaction', params: [raw] })) as Hex
    await l2.postBatchNow().catch(() => null)
    await l2.sync()
    const included = l2.chain().findTransaction(hash)
    return included ? { censored: false, detail: `the sequencer included ${hash}` } : { censored: true, detail: `the sequencer accepted ${hash} but never included it` }
  } catch (error) {
    return { censored: true, detail: `the sequencer refused the user's L2 transfer: ${(error as Error).message.split('\n')[0]}` }
  }
}

/** Send every executeTransaction of the job again (eth_call from the user): the Outbox must refuse each with AlreadySpent. */
async function checkReplayRejected(l1: PublicClient, state: JobState, user: Address): Promise<{ name: string; ok: boolean; detail: string }> {
  const execs = state.txs.filter((t) => (t.step === 'execute-withdrawal' || t.step.startsWith('execute-withdrawal#')) && t.status === 'mined')
  if (execs.length === 0) return { name: 'replay of the withdrawal is rejected', ok: false, detail: 'no executed withdrawal to replay' }
  const results = await Promise.all(execs.map((exec) => checkOneReplayRejected(l1, exec.hash, user)))
  return { name: 'replay of the withdrawal is rejected', ok: results.every((r) => r.ok), detail: results.map((r) => r.detail).join('; ') }
}

async function checkOneReplayRejected(l1: PublicClient, hash: Hex, user: Address): Promise<{ name: string; ok: boolean; detail: string }> {
  const exec = { hash }
  const tx = await l1.getTransaction({ hash: exec.hash })
  const decoded = decodeFunctionData({ abi: outboxAbi, data: tx.input })
  if (decoded.functionName !== 'executeTransaction') return { name: 'replay of the withdrawal is rejected', ok: false, detail: 'not an executeTransaction' }
  try {
    await l1.simulateContract({ account: user, address: tx.to as Address, abi: outboxAbi, functionName: 'executeTransaction', args: decoded.args })
    return { name: 'replay of the withdrawal is rejected', ok: false, detail: 'the Outbox accepted the replay' }
  } catch (error) {
    const reverted = error instanceof BaseError ? error.walk((e) => e instanceof ContractFunctionRevertedError) : undefined
    const name = reverted instanceof ContractFunctionRevertedError ? reverted.data?.errorName : undefined
    return { name: 'replay of the withdrawal is rejected', ok: name === 'AlreadySpent', detail: name ? `the Outbox reverted with ${name}(${String(reverted instanceof ContractFunctionRevertedError ? reverted.data?.args?.[0] : '')})` : String((error as Error).message).split('\n')[0] ?? '' }
  }
}
