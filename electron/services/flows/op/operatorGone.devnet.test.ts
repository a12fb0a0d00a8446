/**
 * The OP Stack escape when the operator is gone — no sequencer, no batches, no L2 node anywhere — on the devnet with
 * the REAL L1 contracts: the user's forced withdrawal (an L1 deposit calling L2ToL1MessagePasser.initiateWithdrawal)
 * is included by derivation alone once the sequencing window passes; the app rebuilds the chain from L1 (genesis +
 * every deposit, executed by its own executor), finds the withdrawal in the state it computed, creates a dispute game
 * with ITS output root, proves (the real portal verifies the proof), resolves after the clock, waits out maturity and
 * the airgap, and finalizes: the user's L1 balance rises by the amount minus gas.
 */
import { readFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { decodeFunctionData, getAbiItem, parseEther, type Address, type Hex, type TransactionReceipt } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { l2ToL1MessagePasserAbi } from '../../../../contracts-abi/op-stack/L2ToL1MessagePasser'
import { optimismPortal2Abi } from '../../../../contracts-abi/op-stack/OptimismPortal2'
import { toHex } from '../../../../shared/eth/bytes'
import { L2_TO_L1_MESSAGE_PASSER } from '../../../../shared/eth/predeploys'
import type { L1Call } from '../../../../shared/signing/l1Call'
import { encodeFeeExtraData } from '../../../../shared/rollups/op-stack/common/feeExtraData'
import { OUTPUT_ROOT_VERSION_0 } from '../../../../shared/rollups/op-stack/common/computeOutputRoot'
import { devnetRollupConfig } from '../../../../shared/rollups/op-stack/config/builtinRollupConfigs'
import type { RollupConfig } from '../../../../shared/rollups/op-stack/config/rollupConfig'
import { buildGenesis } from '../../../../shared/rollups/op-stack/genesis/buildGenesis'
import { parseGenesis, type Genesis } from '../../../../shared/rollups/op-stack/genesis/parseGenesis'
import { buildWithdrawalProof } from '../../../../shared/rollups/op-stack/proof/withdrawalProof'
import { buildCreateGameTx, readCreateGamePlan } from '../../../../shared/rollups/op-stack/withdraw/buildCreateGameTx'
import { buildFinalizeWithdrawalTx } from '../../../../shared/rollups/op-stack/withdraw/buildFinalizeWithdrawalTx'
import { buildForcedEthWithdrawalTx } from '../../../../shared/rollups/op-stack/withdraw/buildForcedWithdrawalTx'
import { buildProveWithdrawalTx } from '../../../../shared/rollups/op-stack/withdraw/buildProveWithdrawalTx'
import { buildResolveGameTxs, readGameResolution } from '../../../../shared/rollups/op-stack/withdraw/buildResolveGameTxs'
import { checkGameRootClaimAgainstOutputRoot } from '../../../../shared/rollups/op-stack/withdraw/checkGameRootClaim'
import { depositL2Transaction } from '../../../../shared/rollups/op-stack/withdraw/depositL2TxHash'
import { findProvableGame } from '../../../../shared/rollups/op-stack/withdraw/findProvableGame'
import { findWithdrawalInState } from '../../../../shared/rollups/op-stack/withdraw/findWithdrawalInState'
import { readPortalSetup } from '../../../../shared/rollups/op-stack/withdraw/readPortalSetup'
import { startAnvil, type AnvilHandle } from '../../../devnet/anvil'
import { opManifestEntry } from '../../../devnet/manifest'
import { deployOpStack, DEVNET_OP_PARAMETERS, type OpStackDevnetDeployment } from '../../../devnet/op/deploy'
import { connectDevnetL1, type DevnetKey, type DevnetL1 } from '../../../devnet/sendDevnetTransaction'
import { increaseTime, mine } from '../../../devnet/timeTravel'
import { openL1Gateway, type L1Gateway } from '../../l1/openL1Gateway'
import { createNodeDecompressor } from '../../l1/createNodeDecompressor'
import { createViemL1Source } from '../../l1/createViemL1Source'
import { rebuildChain } from '../../opRebuild/rebuildChain'
import { FileStateStore } from '../../state/FileStateStore'

let anvil: AnvilHandle
let deployment: OpStackDevnetDeployment
let l1: DevnetL1
let gateway: L1Gateway
let config: RollupConfig
let genesis: Genesis
let user: DevnetKey
let dir: string

/** The real L2ToL1MessagePasser runtime code from the npm package (the genesis predeploy). */
function messagePasserRuntimeCode(): Hex {
  const root = dirname(createRequire(import.meta.url).resolve('@eth-optimism/contracts-bedrock/package.json'))
  const artifact = JSON.parse(readFileSync(join(root, 'forge-artifacts/L2ToL1MessagePasser.sol/L2ToL1MessagePasser.json'), 'utf8')) as { deployedBytecode: { object: Hex } }
  return artifact.deployedBytecode.object
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'eh-op-gone-'))
  anvil = await startAnvil()
  const [deployer, batcher, proposer, challenger] = anvil.accounts
  deployment = await deployOpStack({ rpcUrl: anvil.rpcUrl, deployer: deployer!, batcher: batcher!, proposer: proposer!, challenger: challenger!, l1Node: anvil })
  l1 = await connectDevnetL1(anvil.rpcUrl, anvil)
  gateway = await openL1Gateway({ urls: [anvil.rpcUrl], l1ChainId: anvil.chainId })
  user = anvil.accounts[6]!
  const start = await l1.public.getBlock({ blockNumber: BigInt(deployment.startBlock) })
  const make = (l2Hash: string): RollupConfig =>
    devnetRollupConfig(opManifestEntry(deployment), { l1: { hash: start.hash, number: deployment.startBlock }, l2: { hash: l2Hash, number: 0 }, l2Time: Number(start.timestamp) })
  const draft = make(`0x${'00'.repeat(32)}`)
  genesis = parseGenesis({
    timestamp: Number(start.timestamp),
    gasLimit: 30_000_000,
    baseFeePerGas: 1_000_000_000,
    extraData: encodeFeeExtraData(draft, Number(start.timestamp), undefined, 0n),
    alloc: { [L2_TO_L1_MESSAGE_PASSER]: { balance: '0x0', code: messagePasserRuntimeCode() } },
  })
  config = make(buildGenesis({ genesis, config: draft }).blockHash)
}, 180_000)
afterAll(async () => {
  await anvil?.stop()
  await rm(dir, { recursive: true, force: true })
})

async function send(from: DevnetKey, call: L1Call): Promise<TransactionReceipt> {
  const hash = await l1.walletFor(from).sendTransaction({ to: call.to, data: call.data, value: call.value })
  const receipt = await l1.public.waitForTransactionReceipt({ hash })
  if (receipt.status !== 'success') throw new Error(`${call.description} reverted`)
  return receipt
}

describe('OP Stack escape with the operator gone (rebuild from L1 alone, own game, prove, finalize)', () => {
  it('gets the user’s ETH out with nothing but L1', async () => {
    const amount = parseEther('1.5')
    const chainId = anvil.chainId
    // 1. The forced withdrawal: an L1 deposit (minting the amount on L2) that calls initiateWithdrawal.
    const forced = buildForcedEthWithdrawalTx({ l1ChainId: chainId, portal: deployment.contracts.optimismPortal, networkName: 'devnet', target: user.address, amount, mint: amount })
    const depositReceipt = await send(user, forced)
    const logs = await gateway.getLogs({ address: deployment.contracts.optimismPortal, event: getAbiItem({ abi: optimismPortal2Abi, name: 'TransactionDeposited' }), args: { from: user.address }, fromBlock: depositReceipt.blockNumber, toBlock: depositReceipt.blockNumber })
    const { deposit } = depositL2Transaction(logs[0] as never)
    const [target, gasLimit, data] = decodeFunctionData({ abi: l2ToL1MessagePasserAbi, data: toHex(deposit.data) }).args as [Address, bigint, Hex]

    // 2. Nobody sequences or posts batches: past the sequencing window, derivation itself includes the deposit.
    await mine(anvil.rpcUrl, config.seqWindowSize + 5, 12)
    const toL1Block = Number(await l1.public.getBlockNumber())
    const stateDir = join(dir, 'state')
    const rebuilt = await rebuildChain({ stateDir, config, genesis, l1: createViemL1Source({ rpcUrls: [anvil.rpcUrl] }), decompressor: createNodeDecompressor(), toL1Block, checkpointEvery: 100 })
    expect(rebuilt.blocksExecuted).toBeGreaterThan(0)

    // 3. The withdrawal, found in the state the app computed (no receipts, no L2 node).
    const store = FileStateStore.open(stateDir)
    const getNode = (h: Uint8Array) => store.get(h)
    try {
      const found = findWithdrawalInState({ stateRoot: rebuilt.head.stateRoot, getNode, expected: { sender: user.address, target, value: amount, gasLimit, data } })
      expect(found).toBeDefined()
      const { withdrawal, withdrawalHash, messagePasser } = found!
      const outputRootProof = { version: OUTPUT_ROOT_VERSION_0, stateRoot: rebuilt.head.stateRoot, messagePasserStorageRoot: messagePasser.storageRoot, latestBlockhash: rebuilt.head.hash }

      // 4. No proposer either: the app creates a game with its own output root (bond read from the factory).
      let setup = await readPortalSetup(gateway, deployment.contracts.optimismPortal)
      const plan = await readCreateGamePlan(gateway, setup)
      await send(user, buildCreateGameTx({ l1ChainId: chainId, setup, plan, rootClaim: rebuilt.head.outputRoot, l2BlockNumber: BigInt(rebuilt.head.number) }))
      await increaseTime(anvil.rpcUrl, 2)
      const head = await gateway.getBlock({})
      setup = await readPortalSetup(gateway, deployment.contracts.optimismPortal, head.number)
      const source = 'the app’s rebuild from L1'
      const search = await findProvableGame({
        l1: gateway,
        setup,
        withdrawalL2Block: BigInt(rebuilt.head.number),
        l1Timestamp: head.timestamp,
        checkRootClaim: async (game) => checkGameRootClaimAgainstOutputRoot({ game, outputRootProof, l2BlockNumber: BigInt(rebuilt.head.number), source }),
      })
      expect(search.found?.game.rootClaim).toBe(rebuilt.head.outputRoot)

      // 5. Prove: the storage proof comes from the app's own state; the builder verifies it, then the real portal.
      const withdrawalProof = buildWithdrawalProof({ withdrawalHash, messagePasserStorageRoot: messagePasser.storageRoot, getNode })
      await send(user, buildProveWithdrawalTx({ l1ChainId: chainId, setup, game: search.found!.game, withdrawal, outputRootProof, withdrawalProof }))

      // 6. The game clock runs out → resolve → maturity and airgap → finalize.
      await increaseTime(anvil.rpcUrl, DEVNET_OP_PARAMETERS.maxClockDuration + 1)
      const game = search.found!.game.address
      for (const c of buildResolveGameTxs({ l1ChainId: chainId, game, resolution: await readGameResolution(gateway, game, await l1.public.getBlockNumber()) })) await send(user, c)
      await increaseTime(anvil.rpcUrl, DEVNET_OP_PARAMETERS.proofMaturityDelaySeconds + 1)
      setup = await readPortalSetup(gateway, deployment.contracts.optimismPortal)
      const before = await l1.public.getBalance({ address: user.address })
      const r = await send(user, buildFinalizeWithdrawalTx({ l1ChainId: chainId, setup, withdrawal, proofSubmitter: user.address, from: user.address }))
      const after = await l1.public.getBalance({ address: user.address, blockNumber: r.blockNumber })
      expect(after - before).toBe(amount - r.gasUsed * r.effectiveGasPrice)
    } finally {
      store.close()
    }
  }, 600_000)
})
