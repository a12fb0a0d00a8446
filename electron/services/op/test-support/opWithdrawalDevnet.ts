/**
 * Test support: drive the OP L1 side of a withdrawal on the devnet with the real contracts — send the builders'
 * L1 calls from devnet keys, create a game with an output root, prove a withdrawal from a state built with the
 * project's trie, resolve a game. Every L1 read goes through the gateway; sending uses the devnet's own clients.
 */
import type { Hex, TransactionReceipt } from 'viem'
import { buildWithdrawalProof, type WithdrawalTransaction } from '../../../../shared/rollups/op-stack/proof/withdrawalProof'
import { buildCreateGameTx, readCreateGamePlan } from '../../../../shared/rollups/op-stack/withdraw/buildCreateGameTx'
import { buildProveWithdrawalTx } from '../../../../shared/rollups/op-stack/withdraw/buildProveWithdrawalTx'
import { buildResolveGameTxs, readGameResolution } from '../../../../shared/rollups/op-stack/withdraw/buildResolveGameTxs'
import { readGameAt } from '../../../../shared/rollups/op-stack/withdraw/readGames'
import { readPortalSetup, type PortalSetup } from '../../../../shared/rollups/op-stack/withdraw/readPortalSetup'
import type { L2WithdrawalState } from '../../../../shared/rollups/op-stack/withdraw/test-support/l2WithdrawalState'
import type { L1Call } from '../../../../shared/signing/l1Call'
import type { DevnetKey, DevnetL1 } from '../../../devnet/sendDevnetTransaction'
import type { L1Gateway } from '../../l1/openL1Gateway'
import { disputeGameFactoryAbi } from '../../../../contracts-abi/op-stack/DisputeGameFactory'

export interface OpDevnetDriver {
  send(from: DevnetKey, call: L1Call): Promise<TransactionReceipt>
  setupNow(): Promise<{ setup: PortalSetup; l1Timestamp: bigint }>
  /** Creates a game and returns its index. */
  createGame(from: DevnetKey, rootClaim: Hex, l2BlockNumber: bigint): Promise<bigint>
  /** Proves withdrawal `i` of `state` against game `index`, whose block hash is `blockHash`. */
  prove(from: DevnetKey, p: { state: L2WithdrawalState; blockHash: Hex; withdrawal: WithdrawalTransaction; i: number; gameIndex: bigint }): Promise<void>
  resolve(from: DevnetKey, gameIndex: bigint): Promise<void>
}

export function opDevnetDriver(l1: DevnetL1, gateway: L1Gateway, portal: `0x${string}`, l1ChainId: number): OpDevnetDriver {
  const send = async (from: DevnetKey, call: L1Call): Promise<TransactionReceipt> => {
    const hash = await l1.walletFor(from).sendTransaction({ to: call.to, data: call.data, value: call.value })
    const receipt = await l1.public.waitForTransactionReceipt({ hash })
    if (receipt.status !== 'success') throw new Error(`${call.description} reverted`)
    return receipt
  }
  const setupNow = async () => {
    const head = await gateway.getBlock({})
    return { setup: await readPortalSetup(gateway, portal, head.number), l1Timestamp: head.timestamp }
  }
  const gameAt = async (setup: PortalSetup, index: bigint) => {
    const [, , address] = (await gateway.readContract({ address: setup.disputeGameFactory, abi: disputeGameFactoryAbi, functionName: 'gameAtIndex', args: [index], blockNumber: setup.l1Block })) as [number, bigint, `0x${string}`]
    return { ...(await readGameAt(gateway, setup, address)), index }
  }
  return {
    send,
    setupNow,
    async createGame(from, rootClaim, l2BlockNumber) {
      const { setup } = await setupNow()
      const plan = await readCreateGamePlan(gateway, setup)
      await send(from, buildCreateGameTx({ l1ChainId, setup, plan, rootClaim, l2BlockNumber }))
      const count = (await gateway.readContract({ address: setup.disputeGameFactory, abi: disputeGameFactoryAbi, functionName: 'gameCount' })) as bigint
      return count - 1n
    },
    async prove(from, p) {
      const { setup } = await setupNow()
      const withdrawalProof = buildWithdrawalProof({ withdrawalHash: p.state.withdrawalHashes[p.i] as Hex, messagePasserStorageRoot: p.state.messagePasserStorageRoot, getNode: p.state.getNode })
      await send(from, buildProveWithdrawalTx({ l1ChainId, setup, game: await gameAt(setup, p.gameIndex), withdrawal: p.withdrawal, outputRootProof: p.state.outputRootProof(p.blockHash), withdrawalProof }))
    },
    async resolve(from, gameIndex) {
      const { setup } = await setupNow()
      const game = await gameAt(setup, gameIndex)
      for (const c of buildResolveGameTxs({ l1ChainId, game: game.address, resolution: await readGameResolution(gateway, game.address, setup.l1Block) })) await send(from, c)
    },
  }
}
