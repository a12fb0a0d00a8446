/**
 * What opening a job's signer needs from the job, whatever its stack: the account, the two chains the escape signs
 * on (the drill-signer guards), the signer saved with the job, and how a transaction of this job is described (the
 * air-gapped file's intent, from the one describer). Read from the journaled parameters by job kind, so `jobs resume`
 * and the app open an OP job's signer the same way as an Arbitrum job's.
 */
import { getAddress, type Address } from 'viem'
import { signingContextOf } from '../../../shared/networks/signingContext'
import { EscapeError } from '../../../shared/errors/EscapeError'
import { describeTxBytes, txIntentOf } from '../../../shared/signing/describeTxBytes'
import type { SignerKind } from '../../../shared/signing/capabilities'
import type { TxIntent } from '../../../shared/signing/txFile'
import type { UnsignedTxRequest } from '../../../shared/signing/unsignedTxRequest'
import { ARBITRUM_ESCAPE_JOB_KIND, arbitrumEscapeParamsSchema, type ArbitrumEscapeParams } from '../flows/arbitrum/arbitrumEscapeJob'
import { describeEscapeTx } from '../flows/arbitrum/describeEscapeTx'
import { RETRYABLE_REDEEM_JOB_KIND, retryableRedeemParamsSchema } from '../flows/arbitrum/retryable/redeemRetryableJob'
import { OP_ESCAPE_JOB_KIND, opEscapeNetworkEntry, opEscapeParamsSchema, type OpEscapeParams } from '../flows/op/opEscapeJob'

export interface JobSignerParams {
  account: Address
  /** The chains the job signs on, named for messages. */
  network: { name: string; l1ChainId: number; l2ChainId: number }
  signer?: { kind?: SignerKind; exportDir?: string; devnetChainIds?: number[] }
  /** A transaction of this job in words (decoded from its bytes), for the air-gapped file. */
  describe(request: UnsignedTxRequest): TxIntent
}

/** An Arbitrum job (the escape, a retryable redeem): its network, account and saved signer. */
export function arbitrumJobSignerParams(params: Pick<ArbitrumEscapeParams, 'account' | 'network' | 'signer'>): JobSignerParams {
  return { account: getAddress(params.account), network: params.network, signer: params.signer, describe: (request) => describeEscapeTx(request, params.network) }
}

export function opJobSignerParams(params: OpEscapeParams): JobSignerParams {
  const entry = opEscapeNetworkEntry(params.network)
  const context = signingContextOf([entry])
  return {
    account: getAddress(params.account),
    network: { name: entry.name, l1ChainId: entry.l1ChainId, l2ChainId: entry.l2ChainId },
    signer: params.signer,
    describe: (request) => txIntentOf(describeTxBytes(request, context)),
  }
}

/** The signer-facing parameters of a journaled job, by its kind. */
export function jobSignerParams(job: { kind: string; params: unknown }): JobSignerParams {
  if (job.kind === ARBITRUM_ESCAPE_JOB_KIND) return arbitrumJobSignerParams(arbitrumEscapeParamsSchema.parse(job.params))
  if (job.kind === RETRYABLE_REDEEM_JOB_KIND) return arbitrumJobSignerParams(retryableRedeemParamsSchema.parse(job.params))
  if (job.kind === OP_ESCAPE_JOB_KIND) return opJobSignerParams(opEscapeParamsSchema.parse(job.params))
  throw new EscapeError(`This version cannot sign for a job of kind "${job.kind}".`, { kind: 'user-action', steps: ['Update Escape Hatch, or continue this job with the version that created it.'] })
}
