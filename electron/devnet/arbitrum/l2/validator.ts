import { concat, encodeAbiParameters, encodeFunctionData, getAbiItem, keccak256, parseAbi, zeroHash, type Address, type Hex } from 'viem'
import { ArbitrumDevnetL2Error } from '../errors'
import { bridgeAbi } from '../../../../contracts-abi/arbitrum-nitro/Bridge'
import { rollupUserLogicAbi as rollupAbi } from '../../../../contracts-abi/arbitrum-nitro/RollupUserLogic'
import { sendL1Transaction, type DevnetKey, type L1Clients } from '../sendL1Transaction'
import type { L1InboxFollower } from './followL1Inbox'

/**
 * The devnet's BoLD validator: posts assertions on the real RollupUserLogic (`newStakeOnNewAssertion` the first
 * time, then `stakeOnNewAssertion`) and confirms them after the confirm period (`confirmAssertion`), with time
 * travel (anvil_mine) through `minimumAssertionPeriod` and `confirmPeriodBlocks`.
 *
 * AssertionInputs follow RollupCore.createNewAssertion: beforeState = the parent's afterState and beforeStateData from
 * the parent's AssertionCreated (prevPrevAssertionHash, afterInboxBatchAcc, configData with nextInboxPosition =
 * parent.inboxMaxCount); afterState.globalState = {blockHash, sendRoot} of the L2 block that ends batch
 * `nextInboxPosition - 1`, with (batch, posInBatch) = (nextInboxPosition, 0), machine status FINISHED.
 * endHistoryRoot is bytes32(0): no challenge is ever played on the devnet, so no BoLD history commitment is built.
 */
const MACHINE_FINISHED = 1
const assertionCreatedEvent = getAbiItem({ abi: rollupAbi, name: 'AssertionCreated' })
const assertionConfirmedEvent = getAbiItem({ abi: rollupAbi, name: 'AssertionConfirmed' })
/** The stake token is the package's TestWETH9 (a WETH9); contracts-abi has no WETH, so this slice is local. */
const wethAbi = parseAbi(['function deposit() payable', 'function approve(address spender, uint256 amount) returns (bool)'])

interface GlobalState {
  bytes32Vals: readonly [Hex, Hex]
  u64Vals: readonly [bigint, bigint]
}
interface AssertionState {
  globalState: GlobalState
  machineStatus: number
  endHistoryRoot: Hex
}
interface ConfigData {
  wasmModuleRoot: Hex
  requiredStake: bigint
  challengeManager: Address
  confirmPeriodBlocks: bigint
  nextInboxPosition: bigint
}

export interface KnownAssertion {
  hash: Hex
  parent: Hex
  afterState: AssertionState
  afterInboxBatchAcc: Hex
  /** Config of this assertion as a parent (its configHash preimage). */
  config: ConfigData
  createdAtBlock: bigint
  confirmed: boolean
  /** The L1 tx that confirmed it (undefined for genesis or while pending). */
  confirmedInL1Tx: Hex | undefined
  /** Set for the assertion we know the parent of: prevPrev (the parent's parent) and parent's acc for beforeStateData. */
  parentOfParent: Hex
  parentInboxAcc: Hex
}

export interface ConfirmedAssertion {
  assertionHash: Hex
  blockHash: Hex
  sendRoot: Hex
  batch: bigint
  l2BlockNumber: bigint
  confirmedInL1Tx: Hex
}

export function assertionStateHash(state: AssertionState): Hex {
  return keccak256(
    encodeAbiParameters(
      [
        {
          type: 'tuple',
          components: [
            { name: 'globalState', type: 'tuple', components: [{ name: 'bytes32Vals', type: 'bytes32[2]' }, { name: 'u64Vals', type: 'uint64[2]' }] },
            { name: 'machineStatus', type: 'uint8' },
            { name: 'endHistoryRoot', type: 'bytes32' },
          ],
        },
      ],
      [state],
    ),
  )
}

/** RollupLib.assertionHash = keccak(parent ‖ keccak(abi.encode(afterState)) ‖ inboxAcc). */
export function assertionHashOf(parent: Hex, afterState: AssertionState, inboxAcc: Hex): Hex {
  return keccak256(concat([parent, assertionStateHash(afterState), inboxAcc]))
}

export class ArbitrumValidator {
  constructor(
    private readonly opts: {
      clients: L1Clients
      follower: L1InboxFollower
      rollup: Address
      bridge: Address
      stakeToken: Address
      validator: DevnetKey
      fromBlock: bigint
      /** Posts a batch (forced, possibly empty) when an assertion needs one more batch on L1. */
      postBatch: () => Promise<unknown>
    },
  ) {}

  /** Every assertion of this rollup, from L1 (AssertionCreated / AssertionConfirmed). */
  async assertions(): Promise<Map<Hex, KnownAssertion>> {
    const pub = this.opts.clients.public
    const [created, confirmed] = await Promise.all([
      pub.getLogs({ address: this.opts.rollup, event: assertionCreatedEvent, fromBlock: this.opts.fromBlock, toBlock: 'latest', strict: true }),
      pub.getLogs({ address: this.opts.rollup, event: assertionConfirmedEvent, fromBlock: this.opts.fromBlock, toBlock: 'latest', strict: true }),
    ])
    const confirmedTx = new Map(confirmed.map((l) => [l.args.assertionHash, l.transactionHash] as const))
    const out = new Map<Hex, KnownAssertion>()
    for (const log of created) {
      const a = log.args
      out.set(a.assertionHash, {
        hash: a.assertionHash,
        parent: a.parentAssertionHash,
        afterState: a.assertion.afterState,
        afterInboxBatchAcc: a.afterInboxBatchAcc,
        config: {
          wasmModuleRoot: a.wasmModuleRoot,
          requiredStake: a.requiredStake,
          challengeManager: a.challengeManager,
          confirmPeriodBlocks: a.confirmPeriodBlocks,
          nextInboxPosition: a.inboxMaxCount,
        },
        createdAtBlock: log.blockNumber,
        // the genesis assertion (no parent) counts as confirmed from creation
        confirmed: confirmedTx.has(a.assertionHash) || a.parentAssertionHash === zeroHash,
        confirmedInL1Tx: confirmedTx.get(a.assertionHash),
        parentOfParent: a.assertion.beforeStateData.prevPrevAssertionHash,
        parentInboxAcc: a.assertion.beforeStateData.sequencerBatchAcc,
      })
    }
    return out
  }

  private async mineTo(blockNumber: bigint): Promise<void> {
    const pub = this.opts.clients.public
    const current = await pub.getBlockNumber()
    if (current >= blockNumber) return
    await pub.request({ method: 'anvil_mine' as never, params: [`0x${(blockNumber - current).toString(16)}`, '0x1'] as never })
  }

  /** The tip of the (linear) assertion chain: the latest created assertion. */
  private tip(all: Map<Hex, KnownAssertion>): KnownAssertion {
    let tip: KnownAssertion | undefined
    for (const a of all.values()) if (!tip || a.createdAtBlock > tip.createdAtBlock || (a.createdAtBlock === tip.createdAtBlock && a.parent === tip.hash)) tip = a
    if (!tip) throw new ArbitrumDevnetL2Error('The devnet validator found no assertions on the rollup (not even genesis).')
    return tip
  }

  private async confirm(a: KnownAssertion, all: Map<Hex, KnownAssertion>): Promise<Hex> {
    const parent = all.get(a.parent)
    if (!parent) throw new ArbitrumDevnetL2Error(`The devnet validator cannot find the parent of assertion ${a.hash}.`)
    await this.mineTo(a.createdAtBlock + parent.config.confirmPeriodBlocks)
    const wallet = this.opts.clients.walletFor(this.opts.validator)
    const receipt = await sendL1Transaction(this.opts.clients, `confirm assertion ${a.hash}`, ArbitrumDevnetL2Error, () =>
      wallet.sendTransaction({
        to: this.opts.rollup,
        data: encodeFunctionData({
          abi: rollupAbi,
          functionName: 'confirmAssertion',
          args: [a.hash, a.parent, a.afterState, zeroHash, parent.config, a.afterInboxBatchAcc],
        }),
      }),
    )
    return receipt.transactionHash
  }

  private async create(prev: KnownAssertion): Promise<void> {
    const pub = this.opts.clients.public
    const f = this.opts.follower
    const next = prev.config.nextInboxPosition
    let count = await pub.readContract({ address: this.opts.bridge, abi: bridgeAbi, functionName: 'sequencerMessageCount' })
    if (count < next) {
      await this.opts.postBatch()
      count = await pub.readContract({ address: this.opts.bridge, abi: bridgeAbi, functionName: 'sequencerMessageCount' })
      if (count < next) throw new ArbitrumDevnetL2Error(`The devnet validator needs batch ${next - 1n} on L1 but only ${count} batches exist.`)
    }
    await f.sync()
    const batch = f.batches[Number(next - 1n)]
    const block = batch ? f.chain.blocks[Number(batch.messageCountAfter - 1n)] : undefined
    if (!batch || !block) throw new ArbitrumDevnetL2Error(`The devnet L2 has not executed batch ${next - 1n} yet.`)
    const afterState: AssertionState = {
      globalState: { bytes32Vals: [block.hash, block.sendRoot], u64Vals: [next, 0n] },
      machineStatus: MACHINE_FINISHED,
      endHistoryRoot: zeroHash,
    }
    const inputs = {
      beforeStateData: { prevPrevAssertionHash: prev.parent, sequencerBatchAcc: prev.afterInboxBatchAcc, configData: prev.config },
      beforeState: prev.afterState,
      afterState,
    }
    const expected = assertionHashOf(prev.hash, afterState, batch.afterAcc)
    // minimumAssertionPeriod counts L1 blocks since the parent was created.
    const minimumPeriod = await pub.readContract({ address: this.opts.rollup, abi: rollupAbi, functionName: 'minimumAssertionPeriod' })
    await this.mineTo(prev.createdAtBlock + minimumPeriod)
    const wallet = this.opts.clients.walletFor(this.opts.validator)
    const staked = await pub.readContract({ address: this.opts.rollup, abi: rollupAbi, functionName: 'isStaked', args: [this.opts.validator.address] })
    if (!staked) {
      const stake = prev.config.requiredStake
      const token = this.opts.stakeToken
      await sendL1Transaction(this.opts.clients, 'wrap the validator stake (WETH deposit)', ArbitrumDevnetL2Error, () =>
        wallet.sendTransaction({ to: token, value: stake, data: encodeFunctionData({ abi: wethAbi, functionName: 'deposit' }) }),
      )
      await sendL1Transaction(this.opts.clients, 'approve the rollup to take the validator stake', ArbitrumDevnetL2Error, () =>
        wallet.sendTransaction({ to: token, data: encodeFunctionData({ abi: wethAbi, functionName: 'approve', args: [this.opts.rollup, stake] }) }),
      )
      await sendL1Transaction(this.opts.clients, `stake and create assertion for batch ${next}`, ArbitrumDevnetL2Error, () =>
        wallet.sendTransaction({
          to: this.opts.rollup,
          data: encodeFunctionData({ abi: rollupAbi, functionName: 'newStakeOnNewAssertion', args: [stake, inputs, expected, this.opts.validator.address] }),
        }),
      )
    } else {
      await sendL1Transaction(this.opts.clients, `create assertion for batch ${next}`, ArbitrumDevnetL2Error, () =>
        wallet.sendTransaction({ to: this.opts.rollup, data: encodeFunctionData({ abi: rollupAbi, functionName: 'stakeOnNewAssertion', args: [inputs, expected] }) }),
      )
    }
  }

  /**
   * Post and confirm assertions until a confirmed assertion covers every batch the L2 has executed (at least one
   * new assertion is confirmed). Returns the last confirmed assertion.
   */
  async postAndConfirmNow(): Promise<ConfirmedAssertion> {
    const f = this.opts.follower
    await f.sync()
    const target = BigInt(f.batches.length)
    for (let round = 0; round < 16; round++) {
      const all = await this.assertions()
      const tip = this.tip(all)
      const covered = tip.afterState.globalState.u64Vals[0] >= target
      if (covered && tip.confirmed && tip.confirmedInL1Tx) return this.describe(tip, tip.confirmedInL1Tx)
      if (!tip.confirmed) {
        await this.confirm(tip, all)
        continue
      }
      await this.create(tip)
    }
    throw new ArbitrumDevnetL2Error('The devnet validator could not reach a confirmed assertion covering the L2 within 16 rounds.')
  }

  private describe(a: KnownAssertion, tx: Hex): ConfirmedAssertion {
    const batch = a.afterState.globalState.u64Vals[0]
    const stored = this.opts.follower.batches[Number(batch - 1n)]
    return {
      assertionHash: a.hash,
      blockHash: a.afterState.globalState.bytes32Vals[0],
      sendRoot: a.afterState.globalState.bytes32Vals[1],
      batch,
      l2BlockNumber: stored ? stored.messageCountAfter - 1n : -1n,
      confirmedInL1Tx: tx,
    }
  }
}
