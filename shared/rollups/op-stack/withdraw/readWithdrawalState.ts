/**
 * Where a withdrawal stands on L1, read at one block: finalized or not, and every proof of it (proofs are stored per
 * (withdrawalHash, submitter): `numProofSubmitters`, `proofSubmitters(hash, i)`, `provenWithdrawals(hash, submitter)`
 * — portal ≥ 3.10), each with the facts of the game it was proven against. The reading is bounded (a withdrawal
 * anyone may re-prove could carry many proofs); the account's own proof is always read.
 */
import { getAddress, type Address, type Hex } from 'viem'
import { optimismPortal2Abi } from '../../../../contracts-abi/op-stack/OptimismPortal2'
import type { GameFacts } from './gameFacts'
import type { OpL1Client } from './opL1Client'
import type { PortalSetup } from './readPortalSetup'
import { readGameAt } from './readGames'

export const MAX_PROOFS_READ = 8

export interface WithdrawalProofRecord {
  submitter: Address
  /** L1 timestamp of the proof. */
  provenAt: bigint
  game: GameFacts
}

export interface WithdrawalState {
  withdrawalHash: Hex
  finalized: boolean
  proofs: WithdrawalProofRecord[]
  /** How many submitters proved it (some may not be read: MAX_PROOFS_READ). */
  proofSubmitterCount: bigint
}

export async function readWithdrawalState(l1: OpL1Client, setup: PortalSetup, withdrawalHash: Hex, account?: Address): Promise<WithdrawalState> {
  const at = setup.l1Block
  const portal = (functionName: string, args: readonly unknown[]) => l1.readContract({ address: setup.portal, abi: optimismPortal2Abi, functionName, args, blockNumber: at } as never) as Promise<unknown>
  const finalized = (await portal('finalizedWithdrawals', [withdrawalHash])) as boolean
  const count = (await portal('numProofSubmitters', [withdrawalHash])) as bigint
  const submitters: Address[] = []
  for (let i = 0n; i < count && i < BigInt(MAX_PROOFS_READ); i++) submitters.push(getAddress((await portal('proofSubmitters', [withdrawalHash, i])) as Address))
  if (account && !submitters.includes(getAddress(account))) submitters.push(getAddress(account))
  const proofs: WithdrawalProofRecord[] = []
  for (const submitter of submitters) {
    const [game, timestamp] = (await portal('provenWithdrawals', [withdrawalHash, submitter])) as [Address, bigint]
    if (BigInt(timestamp) === 0n) continue
    proofs.push({ submitter, provenAt: BigInt(timestamp), game: await readGameAt(l1, setup, getAddress(game)) })
  }
  return { withdrawalHash, finalized, proofs, proofSubmitterCount: count }
}
