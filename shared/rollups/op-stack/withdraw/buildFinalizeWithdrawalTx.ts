/**
 * Finalize a proven withdrawal on L1 (notes §3 "Finalize"; §9: finalizeWithdrawalTransaction(tx) is
 * finalizeWithdrawalTransactionExternalProof(tx, msg.sender)). The proof is stored per (withdrawalHash, submitter):
 * sent from the address that proved, the plain call is used; from another address, the external-proof variant names
 * the submitter (portal ≥ 3.10; on older portals only the prover can finalize — said plainly, because users lost days
 * to a finalize that reverted from the wrong address: superchain-relayer#62, viem#3204).
 * For a bridge (ERC-20) withdrawal the portal calls L1CrossDomainMessenger.relayMessage, which calls the
 * L1StandardBridge to release the tokens: one transaction; a relay that ran out of gas can be replayed on the
 * messenger (buildReplayMessageTx).
 */
import { encodeFunctionData, getAddress, type Address } from 'viem'
import { optimismPortal2Abi } from '../../../../contracts-abi/op-stack/OptimismPortal2'
import type { L1Call } from '../../../signing/l1Call'
import { computeWithdrawalHash, type WithdrawalTransaction } from '../proof/withdrawalProof'
import { OpPortalUnsupportedError } from './errors'
import type { PortalSetup } from './readPortalSetup'

export interface BuildFinalizeWithdrawalTxParameters {
  l1ChainId: number
  setup: PortalSetup
  withdrawal: WithdrawalTransaction
  /** The address that proved it (whose proof is used). */
  proofSubmitter: Address
  /** The address that will send the finalize transaction. */
  from: Address
}

export function buildFinalizeWithdrawalTx(p: BuildFinalizeWithdrawalTxParameters): L1Call {
  const hash = computeWithdrawalHash(p.withdrawal)
  const own = getAddress(p.proofSubmitter) === getAddress(p.from)
  if (!own && !p.setup.externalProofFinalize) {
    throw new OpPortalUnsupportedError(`This portal (version ${p.setup.version}) lets only the address that proved a withdrawal finalize it; ${p.proofSubmitter} proved it.`, {
      steps: [`Finalize from ${p.proofSubmitter}, or prove the withdrawal again from ${p.from} and finalize after the new proof matures.`],
    })
  }
  return {
    chainId: p.l1ChainId,
    to: getAddress(p.setup.portal),
    data: own
      ? encodeFunctionData({ abi: optimismPortal2Abi, functionName: 'finalizeWithdrawalTransaction', args: [p.withdrawal] })
      : encodeFunctionData({ abi: optimismPortal2Abi, functionName: 'finalizeWithdrawalTransactionExternalProof', args: [p.withdrawal, getAddress(p.proofSubmitter)] }),
    value: 0n,
    description: `Finalize withdrawal ${hash}: pay ${p.withdrawal.value} wei${p.withdrawal.data !== '0x' ? ' and run its message' : ''} to ${p.withdrawal.target} on L1${own ? '' : ` (using the proof submitted by ${p.proofSubmitter})`}.`,
  }
}
