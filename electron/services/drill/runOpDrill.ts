/**
 * The OP Stack drill: the whole escape on the embedded devnet, with the software Ledger (issue 12, item 8).
 *
 *   start the devnet (anvil L1 + the real OP contracts + the devnet OP L2: our executor over a genesis with the real
 *   predeploys) → fund the user on L2 (ETH by a portal deposit, the devnet WETH bridged through the standard bridge)
 *   → censor them → run the journaled OP escape job (time travel through the sequencing window, the game clock, proof
 *   maturity and the airgap) → check the user's L1 ETH and WETH rose by the amounts (minus the L1 fees and bonds paid)
 *   → check the game the proofs stand on carries the devnet chain's own output root.
 *
 * Scenarios:
 * - `censored`: the sequencer drops the user's L2 transactions; batcher, proposer and L2 RPC keep working. The job
 *   reads the L2 node as untrusted data (every answer checked against L1) and proves against a proposer's game.
 * - `operator-gone`: sequencer down, batcher and proposer stopped, L2 RPC stopped. The job rebuilds the chain from
 *   L1 alone (genesis + every batch and deposit), creates a game with its own output root, proves and finalizes.
 *
 * The report lists every step with its time, every transaction hash, the roots matched and the checks.
 * Drill wiring: the one place (with the rest of services/drill) where a service starts the devnet.
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { getAddress, parseEther, type Address, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { l1StandardBridgeAbi } from '../../../contracts-abi/op-stack/L1StandardBridge'
import { optimismPortal2Abi } from '../../../contracts-abi/op-stack/OptimismPortal2'
import { weth98Abi } from '../../../contracts-abi/op-stack/WETH98'
import { EscapeError, type SerializedError } from '../../../shared/errors/EscapeError'
import type { JobState } from '../../../shared/journal/reduce'
import { startDevnet, DEVNET_ROLES, type Devnet } from '../../devnet/devnet'
import { devnetPublicClient } from '../../devnet/devnetClients'
import { startDevnetOpL2, type DevnetOpL2 } from '../../devnet/op/l2/startDevnetOpL2'
import { createOpL2Switches } from '../../devnet/op/l2/types'
import { connectDevnetL1, sendDevnetTransaction, type DevnetL1 } from '../../devnet/sendDevnetTransaction'
import { increaseTime, mine } from '../../devnet/timeTravel'
import { devnetOpNetworkEntry } from '../../devnet/writeDevnetNetworks'
import { createSoftLedgerSigner } from '../flows/arbitrum/createSoftLedgerSigner'
import { createOpEscapeJob, opEscapeNetworkParam, type OpEscapeParams } from '../flows/op/opEscapeJob'
import { runOpEscape, type OpEscapeResult } from '../flows/op/runOpEscape'
import { createOpL2NodeSource } from '../flows/op/createOpL2NodeSource'
import { createWorkerRebuildSource } from '../flows/op/createRebuildSource'
import { JournalStore } from '../journal/JournalStore'
import { openL1Gateway } from '../l1/openL1Gateway'
import { checkNoDuplicateTxs, drillFailure, drillStepsOf, drillTxsOf, type DrillCheck, type DrillStepReport, type DrillTxReport } from './drillJobReport'

export const OP_DRILL_SCENARIOS = ['censored', 'operator-gone'] as const
export type OpDrillScenario = (typeof OP_DRILL_SCENARIOS)[number]

export const OP_DEVNET_NOTE =
  'The devnet OP L2 runs the project’s own OP executor (Bedrock…Holocene) from a genesis with the real contracts-bedrock predeploys; its batcher posts real span batches and its proposer creates real FaultDisputeGames on L1. It is not op-geth/op-node.'

export interface RunOpDrillParameters {
  /** Where the drill's journal, rollup.json, genesis.json and rebuilt state go (a fresh sub-directory per run). */
  workDir: string
  scenario?: OpDrillScenario
  /** ETH to withdraw (default 1 ETH) and WETH to withdraw (default 0.5). */
  ethAmount?: bigint
  tokenAmount?: bigint
  /** How the batcher posts: calldata (default) or blobs. */
  dataAvailability?: 'calldata' | 'blobs'
  onProgress?: (message: string) => void
  signal?: AbortSignal
  onJobStarted?: (started: { store: JournalStore; jobId: string }) => void
  /** Tests: called between the setup and the escape. */
  beforeEscape?: (ctx: { devnet: Devnet; opL2: DevnetOpL2; user: Address }) => Promise<void> | void
}

export interface OpDrillReport {
  stack: 'op'
  scenario: OpDrillScenario
  ok: boolean
  startedAt: string
  finishedAt: string
  wallTimeMs: number
  /** Peak resident set size of this process so far (getrusage maxrss), in bytes; anvil is a separate process. */
  peakRssBytes: number
  devnet: { l1RpcUrl: string; l2RpcUrl: string; l1ChainId: number; l2ChainId: number; note: string; dataAvailability: string; rollupJson: string; genesisJson: string }
  user: Address
  assets: { kind: 'eth' | 'erc20'; symbol: string; l1Token?: Address; l2Token?: Address; amountWei: string }[]
  setup: { fundTxs: { what: string; hash: Hex }[]; censorship: string; devnetStartMs: number }
  jobId: string | undefined
  journalDir: string | undefined
  steps: DrillStepReport[]
  transactions: DrillTxReport[]
  result: OpEscapeResult | undefined
  roots: { gameRootClaim: Hex | undefined; gameL2Block: string | undefined; devnetChainOutputRoot: Hex | undefined; source: string | undefined; matched: boolean }
  checks: DrillCheck[]
  error: SerializedError | undefined
}

const USER_INDEX = DEVNET_ROLES.user1
const USER_PATH = `44'/60'/0'/0/${USER_INDEX}`
/** The L1 block time the drill's time travel uses. */
const L1_BLOCK_SECONDS = 12
/** Past this lag behind L1 (a game clock or maturity jumped over), the devnet chain is no longer followed: nothing on L2 is needed then. */
const FOLLOW_L2_MAX_LAG_SECONDS = 3600n

export async function runOpDrill(params: RunOpDrillParameters): Promise<OpDrillReport> {
  const scenario = params.scenario ?? 'censored'
  const startedAt = new Date()
  const t0 = performance.now()
  const progress = params.onProgress ?? (() => undefined)
  const ethAmount = params.ethAmount ?? parseEther('1')
  const tokenAmount = params.tokenAmount ?? parseEther('0.5')
  const checks: DrillCheck[] = []
  const report: Partial<OpDrillReport> = {}
  const ledger = createSoftLedgerSigner()
  let devnet: Devnet | undefined
  let opL2: DevnetOpL2 | undefined
  let store: JournalStore | undefined
  const dir = join(params.workDir, `op-drill-${scenario}-${startedAt.toISOString().replace(/[:.]/g, '-')}`)
  try {
    mkdirSync(dir, { recursive: true })
    progress('Starting the devnet (anvil L1, OP Stack contracts, the devnet OP L2 genesis)…')
    devnet = await startDevnet({ stacks: ['op'], opL2: true, signal: params.signal, onProgress: progress })
    if (!devnet.op || !devnet.opL2) throw new EscapeError('The devnet started without the OP Stack L2.')
    const switches = createOpL2Switches()
    opL2 = await startDevnetOpL2({ anvil: devnet.anvil, l2: devnet.opL2, outDir: join(dir, 'op-l2'), dataAvailability: params.dataAvailability ?? 'calldata', proposeEveryBlocks: 4, switches })
    const files = opL2.l2.files
    if (!files) throw new EscapeError('The devnet OP L2 did not write its rollup.json and genesis.json.')
    const devnetStartMs = performance.now() - t0
    const userKey = devnet.anvil.accounts[USER_INDEX]
    if (!userKey) throw new EscapeError('The devnet has no user account.')
    const user = getAddress(userKey.address)
    const { l1Token, l2Token } = devnet.opL2
    const rollupConfig = devnet.opL2.genesis.rollupConfig
    report.devnet = {
      l1RpcUrl: devnet.l1.rpcUrl,
      l2RpcUrl: opL2.rpcUrl,
      l1ChainId: devnet.l1.chainId,
      l2ChainId: rollupConfig.l2ChainId,
      note: OP_DEVNET_NOTE,
      dataAvailability: params.dataAvailability ?? 'calldata',
      rollupJson: files.rollupJson,
      genesisJson: files.genesisJson,
    }
    report.user = user
    report.assets = [
      { kind: 'eth', symbol: 'ETH', amountWei: ethAmount.toString() },
      { kind: 'erc20', symbol: 'WETH', l1Token, l2Token, amountWei: tokenAmount.toString() },
    ]

    const l1 = await connectDevnetL1(devnet.l1.rpcUrl, devnet.anvil)
    const chainL2 = opL2
    /** Let the devnet L2 follow L1 (new blocks, then batches and games), while it is still up and not left behind. */
    const followL2 = async () => {
      const l1Head = await l1.public.getBlock({ blockTag: 'latest' })
      if (l1Head.timestamp - chainL2.l2.chain.head().header.timestamp > FOLLOW_L2_MAX_LAG_SECONDS) return
      if (l1Head.timestamp > chainL2.l2.chain.head().header.timestamp) await chainL2.l2.tick()
      if (!switches.batcherStopped) await chainL2.batcher.flush()
      if (!switches.proposerStopped) await chainL2.proposer.flush()
    }

    progress(`Funding ${user} on L2: ${ethAmount * 2n} wei ETH by a portal deposit, ${tokenAmount} wei WETH through the standard bridge…`)
    const fundTxs = await fundUserOnL2(l1, devnet, user, userKey, { eth: ethAmount * 2n, token: tokenAmount })
    await mine(devnet.l1.rpcUrl, 1, L1_BLOCK_SECONDS)
    await followL2()
    const l2Check = devnetPublicClient(opL2.rpcUrl, { retryCount: 0 })
    const l2Eth = await l2Check.getBalance({ address: user })
    const minted = await l2Check.getLogs({ address: l2Token, event: TRANSFER_EVENT, args: { to: user }, fromBlock: 0n, toBlock: 'latest' })
    const tokenArrived = minted.some((l) => l.args.value === tokenAmount)
    checks.push({ name: 'the user is funded on L2 (ETH and the bridged WETH)', ok: l2Eth >= ethAmount * 2n && tokenArrived, detail: `L2 ETH ${l2Eth} wei; WETH minted to the user: ${minted.map((l) => String(l.args.value)).join(', ') || 'none'}` })

    const censorship = scenario === 'censored' ? await censorUser(chainL2, l2Check, userKey.privateKey as Hex, user, () => mine(devnet!.l1.rpcUrl, 1, L1_BLOCK_SECONDS).then(() => followL2())) : await operatorVanishes(chainL2)
    checks.push({ name: scenario === 'censored' ? 'the sequencer censors the user' : 'the operator is gone (no sequencer, batcher, proposer or L2 RPC)', ok: censorship.ok, detail: censorship.detail })
    report.setup = { fundTxs, censorship: censorship.detail, devnetStartMs: Math.round(devnetStartMs) }

    const gateway = await openL1Gateway({ urls: [devnet.l1.rpcUrl], l1ChainId: devnet.l1.chainId, label: 'the devnet L1' })
    const before = await balances(l1, user, l1Token)

    store = await JournalStore.open(dir)
    const escapeParams: OpEscapeParams = {
      network: opEscapeNetworkParam(devnetOpNetworkEntry(rollupConfig, devnet.op)),
      account: user,
      signerPath: USER_PATH,
      destination: user,
      assets: [
        { kind: 'eth', amountWei: ethAmount.toString() },
        { kind: 'erc20', l1Token, l2Token, amountWei: tokenAmount.toString(), symbol: 'WETH' },
      ],
      source: scenario === 'censored' ? { kind: 'l2-node' } : { kind: 'rebuild', genesisPath: files.genesisJson, stateDir: join(dir, 'rebuild') },
      l1Endpoints: [devnet.l1.rpcUrl],
      ...(scenario === 'censored' ? { l2RpcUrl: opL2.rpcUrl } : {}),
      beaconUrl: devnet.l1.beaconUrl,
      signer: { kind: 'soft-ledger', devnetChainIds: [devnet.l1.chainId] },
    }
    const jobId = await createOpEscapeJob(store, escapeParams)
    report.jobId = jobId
    report.journalDir = dir
    params.onJobStarted?.({ store, jobId })
    await params.beforeEscape?.({ devnet, opL2, user })

    // The rebuild runs on a worker thread, as in the app and the CLI.
    const rebuild =
      scenario === 'operator-gone'
        ? createWorkerRebuildSource({ stateDir: join(dir, 'rebuild'), config: rollupConfig, genesisPath: files.genesisJson, l1RpcUrls: [devnet.l1.rpcUrl], beaconUrl: devnet.l1.beaconUrl, ...(params.signal ? { signal: params.signal } : {}) })
        : undefined
    const l1Url = devnet.l1.rpcUrl
    const result = await runOpEscape(jobId, {
      store,
      signer: ledger.signer,
      l1: gateway,
      ...(rebuild ? { rebuild } : {}),
      ...(scenario === 'censored' ? { l2: await createOpL2NodeSource({ url: opL2.rpcUrl, config: rollupConfig }) } : {}),
      waitForL1Block: async (block, why) => {
        const head = await l1.public.getBlockNumber()
        if (head < block) {
          progress(`Time travel (${why}): mining ${block - head} L1 blocks to ${block}.`)
          await mine(l1Url, block - head, L1_BLOCK_SECONDS)
        }
        await followL2()
      },
      waitForL1Time: async (timestamp, why) => {
        const latest = (await l1.public.getBlock({ blockTag: 'latest' })).timestamp
        if (latest <= timestamp) {
          progress(`Time travel (${why}): moving L1 time forward by ${timestamp - latest + 1n} s.`)
          await increaseTime(l1Url, timestamp - latest + 1n)
        }
      },
      pause: async () => {
        // Nothing moves on an automining anvil by itself: one L1 block, and the L2 follows it.
        await new Promise((r) => setTimeout(r, 50))
        await mine(l1Url, 1, L1_BLOCK_SECONDS)
        await followL2()
      },
      onProgress: ({ step, message }) => progress(`[${step}] ${message}`),
      broadcast: { pollIntervalMs: 100 },
      ...(params.signal ? { signal: params.signal } : {}),
      maxPauses: 300,
    })
    report.result = result

    const { state } = await store.load(jobId)
    const after = await balances(l1, user, l1Token)
    const paid = await paidOnL1(l1, state)
    const expectedEth = before.eth + ethAmount - paid.fees - paid.values
    checks.push({
      name: 'user L1 ETH rose by the amount (minus the L1 fees and bonds paid)',
      ok: after.eth === expectedEth,
      detail: `before ${before.eth}, after ${after.eth}, amount ${ethAmount}, L1 fees ${paid.fees}, value sent with the job's transactions (bonds) ${paid.values}`,
    })
    checks.push({ name: 'user L1 WETH rose by the amount', ok: after.token - before.token === tokenAmount, detail: `before ${before.token}, after ${after.token}, amount ${tokenAmount}` })
    checks.push(checkNoDuplicateTxs(state, { onePerStep: false }))
    checks.push(checkProvedAfterGameChecked(state))
    // Independently of the job: the devnet chain's own output root at the game's block.
    const gameBlock = BigInt(result.game.l2Block)
    const chainRoot = chainL2.l2.chain.block(gameBlock)?.outputRoot
    const matched = chainRoot !== undefined && chainRoot === result.game.rootClaim
    report.roots = { gameRootClaim: result.game.rootClaim, gameL2Block: result.game.l2Block, devnetChainOutputRoot: chainRoot, source: result.rootSource, matched }
    checks.push({
      name: 'the game’s root claim equals the devnet chain’s own output root at its block',
      ok: matched,
      detail: chainRoot ? `${result.game.rootClaim} vs ${chainRoot} at L2 block ${gameBlock} (${result.game.createdByUs ? 'game created by the job' : 'a proposer’s game'}; root from ${result.rootSource})` : `the devnet chain has no block ${gameBlock}`,
    })
    report.steps = drillStepsOf(state)
    report.transactions = drillTxsOf(state)
    report.ok = checks.every((c) => c.ok)
  } catch (error) {
    report.ok = false
    Object.assign(report, await drillFailure(error, 'The OP Stack drill failed.', { store, jobId: report.jobId }))
  } finally {
    store?.close()
    await opL2?.stop().catch(() => undefined)
    await devnet?.stop().catch(() => undefined)
    await ledger.stop().catch(() => undefined)
  }
  return {
    stack: 'op',
    scenario,
    ok: report.ok ?? false,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    wallTimeMs: Math.round(performance.now() - t0),
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    devnet: report.devnet ?? { l1RpcUrl: '', l2RpcUrl: '', l1ChainId: 0, l2ChainId: 0, note: OP_DEVNET_NOTE, dataAvailability: params.dataAvailability ?? 'calldata', rollupJson: '', genesisJson: '' },
    user: report.user ?? '0x0000000000000000000000000000000000000000',
    assets: report.assets ?? [],
    setup: report.setup ?? { fundTxs: [], censorship: '', devnetStartMs: 0 },
    jobId: report.jobId,
    journalDir: report.journalDir,
    steps: report.steps ?? [],
    transactions: report.transactions ?? [],
    result: report.result,
    roots: report.roots ?? { gameRootClaim: undefined, gameL2Block: undefined, devnetChainOutputRoot: undefined, source: undefined, matched: false },
    checks,
    error: report.error,
  }
}

const TRANSFER_EVENT = {
  type: 'event',
  name: 'Transfer',
  inputs: [
    { indexed: true, name: 'from', type: 'address' },
    { indexed: true, name: 'to', type: 'address' },
    { indexed: false, name: 'value', type: 'uint256' },
  ],
} as const

/** ETH through the portal (a deposit to the user's own address), WETH through the L1 standard bridge to L2. */
async function fundUserOnL2(l1: DevnetL1, devnet: Devnet, user: Address, key: { address: string; privateKey: string }, amounts: { eth: bigint; token: bigint }): Promise<{ what: string; hash: Hex }[]> {
  const op = devnet.op!
  const { l1Token, l2Token } = devnet.opL2!
  const wallet = l1.walletFor(key as never)
  const step = async (what: string, send: () => Promise<Hex>, abi: readonly unknown[]) => {
    const receipt = await sendDevnetTransaction({ l1, step: what, ErrorClass: EscapeError, abi: abi as never, send })
    return { what, hash: receipt.transactionHash }
  }
  return [
    await step('deposit ETH to L2 (OptimismPortal.depositTransaction)', () => wallet.writeContract({ address: op.contracts.optimismPortal, abi: optimismPortal2Abi, functionName: 'depositTransaction', args: [user, 0n, 100_000n, false, '0x'], value: amounts.eth, chain: null }), optimismPortal2Abi),
    await step('wrap ETH into the devnet WETH on L1', () => wallet.writeContract({ address: l1Token, abi: weth98Abi, functionName: 'deposit', value: amounts.token, chain: null }), weth98Abi),
    await step('approve the L1 standard bridge', () => wallet.writeContract({ address: l1Token, abi: weth98Abi, functionName: 'approve', args: [op.contracts.l1StandardBridge, amounts.token], chain: null }), weth98Abi),
    await step('bridge WETH to L2 (L1StandardBridge.bridgeERC20To)', () => wallet.writeContract({ address: op.contracts.l1StandardBridge, abi: l1StandardBridgeAbi, functionName: 'bridgeERC20To', args: [l1Token, l2Token, user, amounts.token, 200_000, '0x'], chain: null }), l1StandardBridgeAbi),
  ]
}

/** The sequencer drops the user's L2 transactions: the user tries an ordinary L2 transfer, which never lands. */
async function censorUser(opL2: DevnetOpL2, l2: ReturnType<typeof devnetPublicClient>, privateKey: Hex, user: Address, advance: () => Promise<void>): Promise<{ ok: boolean; detail: string }> {
  opL2.l2.switches.censored.add(user.toLowerCase())
  const account = privateKeyToAccount(privateKey)
  const nonce = await l2.getTransactionCount({ address: user })
  const raw = await account.signTransaction({ type: 'eip1559', chainId: opL2.l2.chain.chainId, nonce, to: '0x000000000000000000000000000000000000dEaD', value: 1n, gas: 21_000n, maxFeePerGas: 10n ** 10n, maxPriorityFeePerGas: 10n ** 6n })
  let hash: Hex
  try {
    hash = (await l2.request({ method: 'eth_sendRawTransaction', params: [raw] })) as Hex
  } catch (error) {
    return { ok: true, detail: `the sequencer refused the user's L2 transfer: ${(error as Error).message.split('\n')[0]}` }
  }
  await advance()
  await advance()
  return opL2.l2.chain.transaction(hash)
    ? { ok: false, detail: `the sequencer included ${hash}` }
    : { ok: true, detail: `the sequencer accepted the user's L2 transfer ${hash} but left it out of ${opL2.l2.chain.head().number} blocks` }
}

/** The operator vanishes: no sequencer, no batches, no games, no L2 RPC. */
async function operatorVanishes(opL2: DevnetOpL2): Promise<{ ok: boolean; detail: string }> {
  const s = opL2.l2.switches
  s.sequencerDown = true
  s.batcherStopped = true
  s.proposerStopped = true
  s.rpcStopped = true
  try {
    await fetch(opL2.rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}', signal: AbortSignal.timeout(5_000) }).then((r) => r.json())
    return { ok: false, detail: 'the L2 RPC still answers' }
  } catch (error) {
    return { ok: true, detail: `sequencer down, batcher and proposer stopped at L2 block ${opL2.l2.chain.head().number}; the L2 RPC refuses connections (${(error as Error).message.split('\n')[0]})` }
  }
}

async function balances(l1: DevnetL1, user: Address, token: Address): Promise<{ eth: bigint; token: bigint }> {
  const [eth, tokenBalance] = await Promise.all([l1.public.getBalance({ address: user }), l1.public.readContract({ address: token, abi: weth98Abi, functionName: 'balanceOf', args: [user] })])
  return { eth, token: tokenBalance }
}

/** The L1 gas fees and the value (game bonds) of every transaction the job got mined. */
async function paidOnL1(l1: DevnetL1, state: JobState): Promise<{ fees: bigint; values: bigint }> {
  let fees = 0n
  let values = 0n
  for (const tx of state.txs.filter((t) => t.status === 'mined' || t.status === 'reverted')) {
    const [receipt, sent] = await Promise.all([l1.public.getTransactionReceipt({ hash: tx.hash }), l1.public.getTransaction({ hash: tx.hash })])
    fees += receipt.gasUsed * receipt.effectiveGasPrice
    values += sent.value
  }
  return { fees, values }
}

/** Nothing was signed for a proof before its game's root claim had been checked (the choose-game step of its round). */
function checkProvedAfterGameChecked(state: JobState): DrillCheck {
  // Transaction steps are `<step>/<part>` (e.g. `prove/0` for the first asset, `prove#2/0` in a second round).
  const stepOf = (t: { step: string }) => t.step.split('/')[0] ?? ''
  const proves = state.txs.filter((t) => /^prove(#\d+)?$/.test(stepOf(t)))
  const bad = proves.filter((t) => {
    const step = stepOf(t)
    const round = step.includes('#') ? `#${step.split('#')[1]}` : ''
    const chosen = state.steps.find((s) => s.name === `choose-game${round}`)
    return !chosen?.finishedAt || chosen.status !== 'completed' || Date.parse(t.signedAt) < Date.parse(chosen.finishedAt)
  })
  return {
    name: 'every proof was signed after its game’s root claim was checked',
    ok: proves.length > 0 && bad.length === 0,
    detail: proves.length === 0 ? 'no prove transaction' : bad.length === 0 ? `${proves.length} prove transaction(s), each signed after choose-game completed` : `signed before the game was checked: ${bad.map((t) => t.hash).join(', ')}`,
  }
}
