/**
 * OptimismPortal2.proveWithdrawalTransaction(tx, disputeGameIndex, outputRootProof, withdrawalProof) (notes §3
 * "Proof passed to OptimismPortal2"; same selector from portal 3.x to 5.x). Nothing reaches a signer unverified: the
 * proof is checked here exactly as the portal will check it (output-root preimage == the game's root claim, storage
 * proof of sentMessages[hash] == 1 under the message-passer root), and the game must be usable (chooseGames rules).
 */
import { encodeFunctionData, getAddress, type Hex } from 'viem'
import { optimismPortal2Abi } from '../../../../contracts-abi/op-stack/OptimismPortal2'
import type { L1Call } from '../../../signing/l1Call'
import type { OutputRootProof } from '../common/computeOutputRoot'
import { computeWithdrawalHash, verifyWithdrawalProof, type WithdrawalTransaction } from '../proof/withdrawalProof'
import { whyGameUnusable } from './chooseGame'
import { NoUsableGameError } from './errors'
import type { GameFacts } from './gameFacts'
import type { PortalSetup } from './readPortalSetup'

export interface BuildProveWithdrawalTxParameters {
  l1ChainId: number
  setup: PortalSetup
  game: GameFacts
  withdrawal: WithdrawalTransaction
  outputRootProof: OutputRootProof
  withdrawalProof: readonly Hex[]
}

export function buildProveWithdrawalTx(p: BuildProveWithdrawalTxParameters): L1Call {
  const { game, setup, withdrawal } = p
  const why = whyGameUnusable(game, setup)
  if (why || game.index === undefined) throw new NoUsableGameError(`Dispute game ${game.address} cannot carry a proof: ${why ?? 'its index in the factory is unknown'}.`)
  if (game.l2BlockNumber < 0n) throw new NoUsableGameError('The game has no L2 block.')
  if (getAddress(withdrawal.target) === getAddress(setup.portal)) throw new NoUsableGameError('A withdrawal that calls the portal itself can never be proven (the portal refuses it).')
  const withdrawalHash = computeWithdrawalHash(withdrawal)
  verifyWithdrawalProof({ withdrawalHash, outputRootProof: p.outputRootProof, withdrawalProof: p.withdrawalProof, outputRoot: game.rootClaim })
  return {
    chainId: p.l1ChainId,
    to: getAddress(setup.portal),
    data: encodeFunctionData({
      abi: optimismPortal2Abi,
      functionName: 'proveWithdrawalTransaction',
      args: [withdrawal, game.index, p.outputRootProof, [...p.withdrawalProof]],
    }),
    value: 0n,
    description: `Prove withdrawal ${withdrawalHash} (${withdrawal.value} wei to ${withdrawal.target}) on L1 against dispute game #${game.index} (L2 block ${game.l2BlockNumber}); the proof was checked locally against the game's root claim.`,
  }
}
