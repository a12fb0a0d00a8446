/**
 * The OP Stack escape's L1 side against the REAL contracts (op-contracts v1.4.0 from npm, deployed on anvil): a forced
 * withdrawal deposit (which also funds the portal), an L2 state holding the withdrawal built with the project's trie,
 * its output root; the game choice (spam and wrong games refused before signing), a game created with the app's own
 * output root, the proof verified locally and then by the real portal; the game blacklisted after proving → re-proved
 * against another game; time travel through the game clock, resolution, maturity and airgap; finalize (own proof and
 * external proof) → the targets' L1 balances rise. Every L1 read goes through the L1 gateway.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { decodeFunctionData, encodeFunctionData, getAbiItem, keccak256, parseEther, stringToHex, type Address, type Hex } from 'viem'
import { disputeGameFactoryAbi } from '../../../contracts-abi/op-stack/DisputeGameFactory'
import { l2ToL1MessagePasserAbi } from '../../../contracts-abi/op-stack/L2ToL1MessagePasser'
import { optimismPortal2Abi } from '../../../contracts-abi/op-stack/OptimismPortal2'
import { readL1Clock } from '../../../shared/deadlines/readL1Clock'
import { L2_TO_L1_MESSAGE_PASSER } from '../../../shared/eth/predeploys'
import { buildWithdrawalProof } from '../../../shared/rollups/op-stack/proof/withdrawalProof'
import type { L1Call } from '../../../shared/signing/l1Call'
import { buildCreateGameTx, readCreateGamePlan } from '../../../shared/rollups/op-stack/withdraw/buildCreateGameTx'
import { buildFinalizeWithdrawalTx } from '../../../shared/rollups/op-stack/withdraw/buildFinalizeWithdrawalTx'
import { buildForcedErc20WithdrawalTxs, buildForcedEthWithdrawalTx, L2_STANDARD_BRIDGE } from '../../../shared/rollups/op-stack/withdraw/buildForcedWithdrawalTx'
import { buildProveWithdrawalTx } from '../../../shared/rollups/op-stack/withdraw/buildProveWithdrawalTx'
import { buildResolveGameTxs, readGameResolution } from '../../../shared/rollups/op-stack/withdraw/buildResolveGameTxs'
import { checkGameRootClaimAgainstOutputRoot } from '../../../shared/rollups/op-stack/withdraw/checkGameRootClaim'
import { depositL2Transaction } from '../../../shared/rollups/op-stack/withdraw/depositL2TxHash'
import { GameRootClaimRefusedError } from '../../../shared/rollups/op-stack/withdraw/errors'
import { findProvableGame } from '../../../shared/rollups/op-stack/withdraw/findProvableGame'
import type { GameFacts } from '../../../shared/rollups/op-stack/withdraw/gameFacts'
import { readWithdrawalState } from '../../../shared/rollups/op-stack/withdraw/readWithdrawalState'
import { buildL2WithdrawalState, messagePasserWithdrawal, type L2WithdrawalState } from '../../../shared/rollups/op-stack/withdraw/test-support/l2WithdrawalState'
import { withdrawalStatus } from '../../../shared/rollups/op-stack/withdraw/withdrawalStatus'
import { startAnvil, type AnvilHandle } from '../../devnet/anvil'
import { deployOpStack, DEVNET_OP_PARAMETERS, type OpStackDevnetDeployment } from '../../devnet/op/deploy'
import { connectDevnetL1, type DevnetKey, type DevnetL1 } from '../../devnet/sendDevnetTransaction'
import { increaseTime } from '../../devnet/timeTravel'
import { openL1Gateway, type L1Gateway } from '../l1/openL1Gateway'
import { opDevnetDriver, type OpDevnetDriver } from './test-support/opWithdrawalDevnet'

let anvil: AnvilHandle
let deployment: OpStackDevnetDeployment
let l1: DevnetL1
let gateway: L1Gateway
let guardian: DevnetKey
let user: DevnetKey
let spammer: DevnetKey
let relayer: DevnetKey
let driver: OpDevnetDriver
const other: Address = '0x000000000000000000000000000000000000bEEF'

beforeAll(async () => {
  anvil = await startAnvil({ chainId: 900 })
  const [deployer, batcher, proposer, challenger] = anvil.accounts
  deployment = await deployOpStack({ rpcUrl: anvil.rpcUrl, deployer: deployer!, batcher: batcher!, proposer: proposer!, challenger: challenger!, l1Node: anvil })
  l1 = await connectDevnetL1(anvil.rpcUrl, anvil)
  gateway = await openL1Gateway({ urls: [anvil.rpcUrl], l1ChainId: 900 })
  guardian = deployer!
  user = anvil.accounts[6]!
  spammer = anvil.accounts[7]!
  relayer = anvil.accounts[8]!
  driver = opDevnetDriver(l1, gateway, deployment.contracts.optimismPortal, 900)
})
afterAll(async () => {
  await anvil?.stop()
})

const send = (from: DevnetKey, call: L1Call) => driver.send(from, call)
const setupNow = () => driver.setupNow()
const createGame = (from: DevnetKey, rootClaim: Hex, l2BlockNumber: bigint) => driver.createGame(from, rootClaim, l2BlockNumber)

/** The app's own output root for a game's block ("full rebuild"): the state it built, with that block's hash. */
function rebuildCheck(states: Map<bigint, { state: L2WithdrawalState; blockHash: Hex }>) {
  return async (game: GameFacts) => {
    const s = states.get(game.l2BlockNumber)
    if (!s) throw new GameRootClaimRefusedError({ game: game.address, gameIndex: game.index ?? -1n, l2BlockNumber: game.l2BlockNumber, rootClaim: game.rootClaim, source: 'the app’s rebuild from L1', why: 'the rebuild has not reached that block' })
    return checkGameRootClaimAgainstOutputRoot({ game, outputRootProof: s.state.outputRootProof(s.blockHash), l2BlockNumber: game.l2BlockNumber, source: 'the app’s rebuild from L1' })
  }
}

describe('OP Stack withdrawal on the devnet L1 (real OptimismPortal2 3.10, FaultDisputeGame 1.2)', () => {
  it('forces, proves, survives a blacklist by re-proving, resolves and finalizes; wrong and spam games are refused before signing', async () => {
    const amount = parseEther('1')
    // 1. The forced withdrawal: an L1 deposit that calls initiateWithdrawal on L2 (minting the amount first funds the portal).
    const forced = buildForcedEthWithdrawalTx({ l1ChainId: 900, portal: deployment.contracts.optimismPortal, networkName: 'devnet', target: user.address, amount, mint: amount })
    const depositReceipt = await send(user, forced)
    const logs = await gateway.getLogs({ address: deployment.contracts.optimismPortal, event: getAbiItem({ abi: optimismPortal2Abi, name: 'TransactionDeposited' }), args: { from: user.address }, fromBlock: depositReceipt.blockNumber, toBlock: depositReceipt.blockNumber })
    expect(logs).toHaveLength(1)
    const { deposit, l2TransactionHash } = depositL2Transaction(logs[0] as never)
    expect(deposit.to?.toLowerCase()).toBe(L2_TO_L1_MESSAGE_PASSER)
    expect(deposit).toMatchObject({ mint: amount, value: amount, gas: 150_000n })
    expect(l2TransactionHash).toMatch(/^0x[0-9a-f]{64}$/)
    const call = decodeFunctionData({ abi: l2ToL1MessagePasserAbi, data: `0x${Buffer.from(deposit.data).toString('hex')}` })
    expect(call.functionName).toBe('initiateWithdrawal')
    // A second deposit funds the portal for the second withdrawal (finalized by someone else with the external proof).
    await send(user, buildForcedEthWithdrawalTx({ l1ChainId: 900, portal: deployment.contracts.optimismPortal, networkName: 'devnet', target: other, amount, mint: amount }))
    // ERC-20 forced withdrawals are real deposits the portal accepts (one per token).
    for (const c of buildForcedErc20WithdrawalTxs({ l1ChainId: 900, portal: deployment.contracts.optimismPortal, networkName: 'devnet', target: user.address, tokens: [{ l2Token: '0x00000000000000000000000000000000000000a1', amount: 5n }, { l2Token: '0x00000000000000000000000000000000000000a2', amount: 7n }] })) {
      const r = await send(user, c)
      expect(r.logs.some((l) => l.topics[2]?.toLowerCase().endsWith(L2_STANDARD_BRIDGE.slice(2).toLowerCase()))).toBe(true)
    }

    // 2. The L2 side as the executed chain records it: the withdrawals in the message passer at L2 blocks 10 and 11.
    const [, gasLimit] = call.args as [Address, bigint, Hex]
    const w1 = messagePasserWithdrawal({ n: 0n, sender: user.address, target: user.address, value: amount, gasLimit })
    const w2 = messagePasserWithdrawal({ n: 1n, sender: user.address, target: other, value: amount, gasLimit })
    const w3 = messagePasserWithdrawal({ n: 2n, sender: user.address, target: user.address, value: 1n, gasLimit })
    const state = buildL2WithdrawalState({ withdrawals: [w1, w2, w3], embeddedLeaf: true })
    const block10 = keccak256(stringToHex('devnet L2 block 10'))
    const block11 = keccak256(stringToHex('devnet L2 block 11'))
    const states = new Map([[10n, { state, blockHash: block10 }], [11n, { state, blockHash: block11 }]])

    // 3. No game yet. Spam: an absurd block number, a game below the withdrawal, a wrong root claim at its block.
    let { setup, l1Timestamp } = await setupNow()
    expect(setup).toMatchObject({ generation: 'portal-3', respectedGameType: 0, version: '3.10.0', externalProofFinalize: true })
    expect((await findProvableGame({ l1: gateway, setup, withdrawalL2Block: 10n, l1Timestamp, checkRootClaim: rebuildCheck(states) })).found).toBeUndefined()
    await createGame(spammer, keccak256('0x01'), 1n << 50n)
    await createGame(spammer, keccak256('0x02'), 5n)
    await createGame(spammer, keccak256('0x03'), 10n)
    await increaseTime(anvil.rpcUrl, 2)
    ;({ setup, l1Timestamp } = await setupNow())
    const userNonce = await gateway.getTransactionCount({ address: user.address })
    const search = await findProvableGame({ l1: gateway, setup, withdrawalL2Block: 10n, l1Timestamp, checkRootClaim: rebuildCheck(states) })
    expect(search.found).toBeUndefined()
    expect(search.refused).toHaveLength(3)
    expect(search.refused.some((r) => /absurd \(spam\)/.test(r.reason))).toBe(true)
    expect(search.refused.some((r) => /before the withdrawal's block 10/.test(r.reason))).toBe(true)
    expect(search.refused.some((r) => /^Dispute game #2 .* the app’s rebuild from L1 does not confirm; the game is not used\.$/.test(r.reason))).toBe(true)
    // Nothing was signed for the wrong game.
    expect(await gateway.getTransactionCount({ address: user.address })).toBe(userNonce)

    // 4. Create a game with the app's own output root; the search now confirms it.
    const plan = await readCreateGamePlan(gateway, setup)
    expect(plan).toMatchObject({ gameType: 0, bond: DEVNET_OP_PARAMETERS.initBond, maxClockDuration: BigInt(DEVNET_OP_PARAMETERS.maxClockDuration), anchorL2Block: 0n })
    expect(plan.explanation).toMatch(/bond of 0\.08 ETH.*within 5 min.*3 min \(the finality airgap\)/)
    await send(user, buildCreateGameTx({ l1ChainId: 900, setup, plan, rootClaim: state.outputRoot(block10), l2BlockNumber: 10n }))
    await increaseTime(anvil.rpcUrl, 2)
    ;({ setup, l1Timestamp } = await setupNow())
    const first = await findProvableGame({ l1: gateway, setup, withdrawalL2Block: 10n, l1Timestamp, checkRootClaim: rebuildCheck(states) })
    expect(first.found?.game.index).toBe(3n)
    expect(first.found?.game.rootClaim).toBe(state.outputRoot(block10))

    // 5. Prove (the proof is verified locally by the builder, then by the real portal).
    const proofOf = (h: Hex) => buildWithdrawalProof({ withdrawalHash: h, messagePasserStorageRoot: state.messagePasserStorageRoot, getNode: state.getNode })
    const [h1, h2, h3] = state.withdrawalHashes as [Hex, Hex, Hex]
    await send(user, buildProveWithdrawalTx({ l1ChainId: 900, setup, game: first.found!.game, withdrawal: w1, outputRootProof: first.found!.outputRootProof, withdrawalProof: proofOf(h1) }))
    let clock = await readL1Clock({ l1: gateway })
    ;({ setup } = await setupNow())
    let status = withdrawalStatus({ state: await readWithdrawalState(gateway, setup, h1, user.address), setup, clock, account: user.address })
    expect(status.stage).toBe('waiting-for-game')
    expect(status.deadlines.map((d) => d.what)).toEqual([expect.stringMatching(/resolvable/), expect.stringMatching(/proof maturity/), expect.stringMatching(/airgap/), expect.stringMatching(/finalizable/)])

    // 6. The guardian blacklists that game: the proof no longer counts → re-prove against another game (block 11).
    await send(guardian, { chainId: 900, to: deployment.contracts.optimismPortal, data: encodeFunctionData({ abi: optimismPortal2Abi, functionName: 'blacklistDisputeGame', args: [first.found!.game.address] }), value: 0n, description: 'blacklist' })
    clock = await readL1Clock({ l1: gateway })
    ;({ setup } = await setupNow())
    status = withdrawalStatus({ state: await readWithdrawalState(gateway, setup, h1, user.address), setup, clock, account: user.address })
    expect(status.stage).toBe('proof-invalidated')
    expect(status.blocker).toMatch(/the guardian blacklisted it/)
    expect(status.nextAction?.kind).toBe('re-prove')
    await createGame(user, state.outputRoot(block11), 11n)
    await increaseTime(anvil.rpcUrl, 2)
    ;({ setup, l1Timestamp } = await setupNow())
    const second = await findProvableGame({ l1: gateway, setup, withdrawalL2Block: 10n, l1Timestamp, checkRootClaim: rebuildCheck(states) })
    expect(second.found?.game.l2BlockNumber).toBe(11n)
    expect(second.refused.some((r) => r.reason === 'the guardian blacklisted it')).toBe(true)
    await send(user, buildProveWithdrawalTx({ l1ChainId: 900, setup, game: second.found!.game, withdrawal: w1, outputRootProof: second.found!.outputRootProof, withdrawalProof: proofOf(h1) }))
    await send(user, buildProveWithdrawalTx({ l1ChainId: 900, setup, game: second.found!.game, withdrawal: w2, outputRootProof: second.found!.outputRootProof, withdrawalProof: proofOf(h2) }))

    // 7. The game clock runs out → resolve (anyone) → maturity and airgap → finalize.
    await increaseTime(anvil.rpcUrl, DEVNET_OP_PARAMETERS.maxClockDuration + 1)
    clock = await readL1Clock({ l1: gateway })
    ;({ setup } = await setupNow())
    status = withdrawalStatus({ state: await readWithdrawalState(gateway, setup, h1, user.address), setup, clock, account: user.address })
    expect(status.stage).toBe('ready-to-resolve')
    const game = second.found!.game.address
    for (const c of buildResolveGameTxs({ l1ChainId: 900, game, resolution: await readGameResolution(gateway, game, setup.l1Block) })) await send(relayer, c)
    clock = await readL1Clock({ l1: gateway })
    ;({ setup } = await setupNow())
    status = withdrawalStatus({ state: await readWithdrawalState(gateway, setup, h1, user.address), setup, clock, account: user.address })
    expect(status.stage).toBe('waiting-for-finality')
    expect(status.blocker).toMatch(/the proof matures in \d+ min/)
    expect(status.nextAction).toMatchObject({ kind: 'wait-for-finality', ready: false })
    await increaseTime(anvil.rpcUrl, DEVNET_OP_PARAMETERS.proofMaturityDelaySeconds + 1)
    clock = await readL1Clock({ l1: gateway })
    ;({ setup } = await setupNow())
    status = withdrawalStatus({ state: await readWithdrawalState(gateway, setup, h1, user.address), setup, clock, account: user.address })
    expect(status).toMatchObject({ stage: 'ready-to-finalize', nextAction: { kind: 'finalize', ready: true } })

    const before = await gateway.getBalance({ address: user.address })
    const r = await send(user, buildFinalizeWithdrawalTx({ l1ChainId: 900, setup, withdrawal: w1, proofSubmitter: user.address, from: user.address }))
    const after = await l1.public.getBalance({ address: user.address, blockNumber: r.blockNumber })
    expect(after - before).toBe(amount - r.gasUsed * r.effectiveGasPrice)
    // The second withdrawal: proven by the user, finalized by a relayer with the external-proof variant.
    const otherBefore = await l1.public.getBalance({ address: other })
    await send(relayer, buildFinalizeWithdrawalTx({ l1ChainId: 900, setup, withdrawal: w2, proofSubmitter: user.address, from: relayer.address }))
    expect((await l1.public.getBalance({ address: other })) - otherBefore).toBe(amount)

    clock = await readL1Clock({ l1: gateway })
    ;({ setup } = await setupNow())
    status = withdrawalStatus({ state: await readWithdrawalState(gateway, setup, h1, user.address), setup, clock, account: user.address })
    expect(status).toMatchObject({ stage: 'finalized', nextAction: undefined })

    // 8. The guardian sets the respected game type again: every earlier game is retired (portal 3.x:
    // respectedGameTypeUpdatedAt) → a withdrawal proven on them must be proven again, and the game is no longer chosen.
    await send(user, buildProveWithdrawalTx({ l1ChainId: 900, setup, game: second.found!.game, withdrawal: w3, outputRootProof: second.found!.outputRootProof, withdrawalProof: proofOf(h3) }))
    await increaseTime(anvil.rpcUrl, 2)
    await send(guardian, { chainId: 900, to: deployment.contracts.optimismPortal, data: encodeFunctionData({ abi: optimismPortal2Abi, functionName: 'setRespectedGameType', args: [0] }), value: 0n, description: 'retire' })
    await increaseTime(anvil.rpcUrl, 2)
    clock = await readL1Clock({ l1: gateway })
    ;({ setup, l1Timestamp } = await setupNow())
    status = withdrawalStatus({ state: await readWithdrawalState(gateway, setup, h3, user.address), setup, clock, account: user.address })
    expect(status).toMatchObject({ stage: 'proof-invalidated', nextAction: { kind: 're-prove' } })
    expect(status.blocker).toMatch(/created before the retirement time \(OptimismPortal2\.respectedGameTypeUpdatedAt\(\) = \d+\)/)
    const afterRetire = await findProvableGame({ l1: gateway, setup, withdrawalL2Block: 10n, l1Timestamp, checkRootClaim: rebuildCheck(states) })
    expect(afterRetire.found).toBeUndefined()
    expect(afterRetire.refused.filter((r) => /retirement time/.test(r.reason))).toHaveLength(2)

    // The factory holds every game the test made (3 spam, 2 real).
    expect(await gateway.readContract({ address: deployment.contracts.disputeGameFactory, abi: disputeGameFactoryAbi, functionName: 'gameCount' })).toBe(5n)
  })
})
