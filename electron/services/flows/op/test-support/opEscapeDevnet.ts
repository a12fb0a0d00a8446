/**
 * Test support for the OP escape's safety tests (tamper, kill/resume, blacklisted game): one devnet with the real L1
 * contracts and the devnet OP L2 (our executor) with its roles — a batcher that posts on demand, a proposer that
 * creates games only when a test asks (so each test decides which games exist, honest or wrong), and the L2 JSON-RPC
 * with its lying modes. The devnet is the test's trusted side: it reads the chain directly to know the truth; the code
 * under test reads only L1 (through the gateway) and the L2 RPC (untrusted).
 */
import { bytesToHex, getAbiItem, type Address, type Hex, type TransactionReceipt } from 'viem'
import { optimismPortal2Abi } from '../../../../../contracts-abi/op-stack/OptimismPortal2'
import type { WithdrawalTransaction } from '../../../../../shared/rollups/op-stack/proof/withdrawalProof'
import { buildForcedEthWithdrawalTx } from '../../../../../shared/rollups/op-stack/withdraw/buildForcedWithdrawalTx'
import { depositL2Transaction } from '../../../../../shared/rollups/op-stack/withdraw/depositL2TxHash'
import { findMessagePassed } from '../../../../../shared/rollups/op-stack/withdraw/findMessagePassed'
import type { L1Call } from '../../../../../shared/signing/l1Call'
import { opNetworkEntry } from '../../../../../shared/networks/buildNetworkEntry'
import { DEVNET_NETWORK_IDS, type OpStackNetworkEntry } from '../../../../../shared/networks/networkEntry'
import { OP_DEVNET_SUPPORT } from '../../../../../shared/networks/supportFacts'
import { startAnvil, type AnvilHandle } from '../../../../devnet/anvil'
import { DEVNET_ROLES } from '../../../../devnet/devnet'
import { opBatcherRole, type RunningOpBatcher } from '../../../../devnet/op/l2/batcher/startOpBatcher'
import { deployOpStackWithL2, type OpL2Devnet } from '../../../../devnet/op/l2/chain/deployOpStackWithL2'
import type { ProposedGame } from '../../../../devnet/op/l2/proposer/createOpProposer'
import { opProposerRole, type RunningOpProposer } from '../../../../devnet/op/l2/proposer/startOpProposer'
import { opL2RpcRole } from '../../../../devnet/op/l2/rpc/serveOpL2Rpc'
import { startOpL2, type OpL2 } from '../../../../devnet/op/l2/startOpL2'
import type { OpL2Block, OpL2RpcServer } from '../../../../devnet/op/l2/types'
import { connectDevnetL1, type DevnetKey, type DevnetL1 } from '../../../../devnet/sendDevnetTransaction'
import { mine } from '../../../../devnet/timeTravel'
import { openL1Gateway, type L1Gateway } from '../../../l1/openL1Gateway'

export interface OpEscapeDevnet {
  anvil: AnvilHandle
  devnet: OpL2Devnet
  l2: OpL2
  batcher: RunningOpBatcher
  proposer: RunningOpProposer
  rpc: OpL2RpcServer
  l1: DevnetL1
  gateway: L1Gateway
  /** The OP guardian (the deployer on the devnet): blacklists games, sets the respected game type. */
  guardian: DevnetKey
  /** Mines L1 blocks (12 s apart), lets the L2 catch up, and posts every L2 block to L1. */
  advance(l1Blocks?: number): Promise<void>
  /** Sends an L1 call from a devnet key; a revert throws. */
  send(from: DevnetKey, call: L1Call): Promise<TransactionReceipt>
  /**
   * With autoTickMs: stop (false) or restart (true) the L2's timer. A test stops it once the job needs nothing more
   * from L2 (its game is chosen): the job's later waits move L1 time by minutes at once, and a running L2 would then
   * build every block of those minutes, the batcher posting each to L1 and the proposer proposing every second one —
   * L1 transactions that move L1 time on again, thousands of them (what made the kill/resume test run for many
   * minutes and its devnet's stop() wait on the last tick).
   */
  autoTick(on: boolean): void
  /** The proposer creates a game for an L2 block (safe head by default); `wrongRoot` claims a wrong output root. */
  propose(o?: { l2BlockNumber?: bigint; wrongRoot?: boolean }): Promise<ProposedGame>
  stop(): Promise<void>
}

export interface StartOpEscapeDevnetOptions {
  /**
   * Let the devnet run by itself, as for a job in another process: the L2 builds blocks every `autoTickMs`, the
   * batcher posts each new block at once and the proposer creates a game every 2 posted blocks (honest roots).
   * Default: nothing moves until the test calls advance() / propose().
   */
  autoTickMs?: number
}

export async function startOpEscapeDevnet(o: StartOpEscapeDevnetOptions = {}): Promise<OpEscapeDevnet> {
  const anvil = await startAnvil()
  try {
    const key = (i: number): DevnetKey => anvil.accounts[i] as DevnetKey
    const R = DEVNET_ROLES
    const devnet = await deployOpStackWithL2({
      rpcUrl: anvil.rpcUrl,
      deployer: key(R.deployer),
      batcher: key(R.opBatcher),
      proposer: key(R.opProposer),
      challenger: key(R.opChallenger),
      l1Node: anvil,
    })
    // The proposer proposes only blocks the batcher has posted; the batcher exists once startOpL2 has started it.
    const posted = { upTo: (): bigint => 0n }
    const l2 = await startOpL2({
      l1RpcUrl: anvil.rpcUrl,
      l1Node: anvil,
      devnet,
      roles: [
        // Without autoTickMs, posting and proposing happen when the test says so (flush / propose), never behind its back.
        opBatcherRole({ key: key(R.opBatcher), dataAvailability: 'calldata', postEveryBlocks: o.autoTickMs !== undefined ? 1 : 1_000_000 }),
        opProposerRole({ key: key(R.opProposer), intervalBlocks: o.autoTickMs !== undefined ? 2 : 1_000_000, safeHead: () => posted.upTo() }),
        opL2RpcRole(),
      ],
    })
    const batcher = l2.roles[0] as RunningOpBatcher
    posted.upTo = () => batcher.batcher.postedUpTo()
    const proposer = l2.roles[1] as RunningOpProposer
    const rpc = l2.roles[2] as OpL2RpcServer
    const l1 = await connectDevnetL1(anvil.rpcUrl, anvil)
    const gateway = await openL1Gateway({ urls: [anvil.rpcUrl], l1ChainId: anvil.chainId })
    // The L2's timer (startOpL2's own cannot be stopped alone); one tick at a time, a failed tick retried next time.
    let timer: ReturnType<typeof setInterval> | undefined
    let ticking: Promise<unknown> | undefined
    const autoTick = (on: boolean): void => {
      if (!on || o.autoTickMs === undefined) {
        if (timer) clearInterval(timer)
        timer = undefined
        return
      }
      timer ??= setInterval(() => {
        ticking ??= l2.tick().catch(() => undefined).finally(() => (ticking = undefined))
      }, o.autoTickMs)
      timer.unref?.()
    }
    autoTick(true)
    return {
      anvil,
      devnet,
      l2,
      batcher,
      proposer,
      rpc,
      l1,
      gateway,
      guardian: key(R.deployer),
      async advance(l1Blocks = 2) {
        await mine(anvil.rpcUrl, l1Blocks, 12)
        await l2.tick()
        await batcher.flush()
      },
      async send(from, call) {
        const hash = await l1.walletFor(from).sendTransaction({ to: call.to, data: call.data, value: call.value })
        const receipt = await l1.public.waitForTransactionReceipt({ hash })
        if (receipt.status !== 'success') throw new Error(`${call.description} reverted (L1 tx ${hash})`)
        return receipt
      },
      autoTick,
      async propose(o = {}) {
        proposer.proposer.wrongRoots = o.wrongRoot ?? false
        try {
          return await proposer.proposer.propose(o.l2BlockNumber)
        } finally {
          proposer.proposer.wrongRoots = false
        }
      },
      async stop() {
        autoTick(false)
        await l2.stop()
        await anvil.stop()
      },
    }
  } catch (error) {
    await anvil.stop()
    throw error
  }
}

export interface ForcedEthWithdrawal {
  depositReceipt: TransactionReceipt
  l2TransactionHash: Hex
  /** The L2 block that executed the deposit (as the devnet chain knows it). */
  l2Block: OpL2Block
  withdrawal: WithdrawalTransaction
  withdrawalHash: Hex
}

/**
 * The user's forced ETH withdrawal, done by hand (the flows do it themselves): the L1 deposit calling
 * initiateWithdrawal, then the L2 catches up and the batcher posts; the withdrawal as the devnet chain executed it.
 */
export async function forceEthWithdrawal(d: OpEscapeDevnet, user: DevnetKey, amount: bigint): Promise<ForcedEthWithdrawal> {
  const portal = d.devnet.deployment.contracts.optimismPortal
  const call = buildForcedEthWithdrawalTx({ l1ChainId: d.anvil.chainId, portal, networkName: 'devnet', target: user.address as Address, amount, mint: amount })
  const depositReceipt = await d.send(user, call)
  const [log] = await d.gateway.getLogs({
    address: portal,
    event: getAbiItem({ abi: optimismPortal2Abi, name: 'TransactionDeposited' }),
    args: { from: user.address as Address },
    fromBlock: depositReceipt.blockNumber,
    toBlock: depositReceipt.blockNumber,
  })
  const { l2TransactionHash } = depositL2Transaction(log as never)
  await d.advance(2)
  const found = d.l2.chain.transaction(l2TransactionHash)
  if (!found) throw new Error(`the devnet L2 did not include the deposit ${l2TransactionHash}`)
  const logs = found.tx.receipt.logs.map((l) => ({ address: bytesToHex(l.address), topics: l.topics.map((t) => bytesToHex(t)), data: bytesToHex(l.data) }))
  const [passed] = findMessagePassed({ logs })
  if (!passed) throw new Error(`the deposit ${l2TransactionHash} started no withdrawal on L2 (receipt status ${found.tx.receipt.status})`)
  return { depositReceipt, l2TransactionHash, l2Block: found.block, withdrawal: passed.withdrawal, withdrawalHash: passed.withdrawalHash }
}

/** The devnet OP L2 as a network entry (what `devnet up` writes to its network file): the job saves it in its params. */
export function devnetOpNetworkEntry(d: OpEscapeDevnet): OpStackNetworkEntry {
  const { contracts } = d.devnet.deployment
  return opNetworkEntry({
    id: DEVNET_NETWORK_IDS.op,
    name: 'Devnet OP Stack',
    source: 'devnet',
    rollupConfig: d.devnet.genesis.rollupConfig,
    extraL1Addresses: { disputeGameFactory: contracts.disputeGameFactory, anchorStateRegistry: contracts.anchorStateRegistry },
    support: OP_DEVNET_SUPPORT,
  })
}
