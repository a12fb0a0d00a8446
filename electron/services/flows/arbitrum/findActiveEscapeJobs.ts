/**
 * One escape per withdrawal (issue 14, defect 3): before a new 'arb-escape' job is created, the jobs on this computer
 * that already take the same ETH out — same chain (L1 and L2 chain ids and the Inbox), same account, same amount, same
 * L1 destination — and have not finished. A second job would sign a second L2 withdrawal with the same L2 nonce and
 * pay for a second round of L1 transactions, only for ArbOS to drop one of the two withdrawals.
 *
 * Also returned: other unfinished escapes of the same account on the same chain (another amount or destination): they
 * are not the same withdrawal, but while they wait both sign the same L2 nonce, so the user is told.
 */
import { getAddress, type Address } from 'viem'
import type { JobState, JobSummary } from '../../../../shared/journal/reduce'
import type { ArbitrumNetwork } from '../../../../shared/rollups/arbitrum-nitro/network'
import { ARBITRUM_ESCAPE_JOB_KIND, arbitrumEscapeParamsSchema, type ArbitrumEscapeParams } from './arbitrumEscapeJob'

export interface FindActiveEscapeJobsParameters {
  store: {
    list(): Promise<{ jobs: JobSummary[] }>
    load(jobId: string): Promise<{ state: JobState; damaged?: boolean }>
  }
  network: ArbitrumNetwork
  account: Address
  destination: Address
  amountWei: bigint
  /** The tokens of the new escape (issue 16): the same withdrawal means the same tokens and amounts too. */
  tokens?: ArbitrumEscapeParams['tokens']
}

export interface ActiveEscapeJob {
  job: JobSummary
  params: ArbitrumEscapeParams
  /** The journal is damaged: it can be looked at, not resumed. */
  damaged: boolean
}

export interface FindActiveEscapeJobsReturnType {
  /** Unfinished escapes of exactly this withdrawal: resume one of them instead of starting another. */
  same: ActiveEscapeJob[]
  /** Unfinished escapes of the same account on the same chain, for another amount or destination. */
  sameAccount: ActiveEscapeJob[]
}

export async function findActiveEscapeJobs(p: FindActiveEscapeJobsParameters): Promise<FindActiveEscapeJobsReturnType> {
  const same: ActiveEscapeJob[] = []
  const sameAccount: ActiveEscapeJob[] = []
  const { jobs } = await p.store.list()
  for (const job of jobs) {
    if (job.kind !== ARBITRUM_ESCAPE_JOB_KIND || job.status !== 'active') continue
    const loaded = await p.store.load(job.id)
    const parsed = arbitrumEscapeParamsSchema.safeParse(loaded.state.params)
    if (!parsed.success) continue
    const params = parsed.data
    if (!sameChain(params.network, p.network) || getAddress(params.account) !== getAddress(p.account)) continue
    const found = { job, params, damaged: loaded.damaged === true }
    if (getAddress(params.destination) === getAddress(p.destination) && BigInt(params.amountWei) === p.amountWei && tokenKey(params.tokens) === tokenKey(p.tokens)) same.push(found)
    else sameAccount.push(found)
  }
  return { same, sameAccount }
}

function sameChain(a: ArbitrumNetwork, b: ArbitrumNetwork): boolean {
  return a.l1ChainId === b.l1ChainId && a.l2ChainId === b.l2ChainId && getAddress(a.contracts.inbox) === getAddress(b.contracts.inbox)
}

function tokenKey(tokens: ArbitrumEscapeParams['tokens']): string {
  return (tokens ?? []).map((t) => `${t.l1Token.toLowerCase()}:${t.amount}`).sort().join(',')
}
