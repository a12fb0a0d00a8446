/**
 * The last guard before a new L1 signature: the account must have no transaction waiting on L1 that this job did not
 * journal. Such a transaction may be this very step's, signed and sent before the journal lost its record (issue 14,
 * defect 2); signing another would put two on chain. Nothing is signed until those are mined — then the step's own
 * checks (our message already delivered, the message already sequenced, the withdrawal already spent) see them.
 *
 * "Waiting" is the highest pending nonce any endpoint reports against the nonce at the agreed head: an endpoint that
 * shows a pending transaction is enough to wait. A temporary error: the job stays active and resumes later.
 */
import type { Address, PublicClient } from 'viem'
import { EscapeError, registerErrorClass } from '../../../shared/errors/EscapeError'
import type { JobState } from '../../../shared/journal/reduce'

export class UnknownPendingTxError extends EscapeError {
  override name = 'UnknownPendingTxError'
}
registerErrorClass('UnknownPendingTxError', UnknownPendingTxError)

export async function assertNoUnknownPendingTx(p: {
  l1: Pick<PublicClient, 'getTransactionCount'>
  account: Address
  chainId: number
  state: JobState
}): Promise<void> {
  const [latest, pending] = await Promise.all([
    p.l1.getTransactionCount({ address: p.account, blockTag: 'latest' }),
    p.l1.getTransactionCount({ address: p.account, blockTag: 'pending' }),
  ])
  const ours = new Set(
    p.state.txs
      .filter((t) => t.chainId === p.chainId && t.from.toLowerCase() === p.account.toLowerCase() && (t.status === 'signed' || t.status === 'sent'))
      .map((t) => t.nonce),
  )
  const unknown: number[] = []
  for (let n = latest; n < pending && unknown.length < 20; n++) if (!ours.has(n)) unknown.push(n)
  if (unknown.length === 0) return
  throw new UnknownPendingTxError(`Your L1 account ${p.account} has ${unknown.length} transaction(s) waiting on L1 that this job did not record (nonce ${unknown.join(', ')}).`, {
    kind: 'temporary',
    steps: [
      'One of them may be this step\'s, sent before its journal record was lost, so Escape Hatch will not sign another one now.',
      'Wait until they are mined (or replace them in the wallet that sent them), then resume the job: a transaction of this step found on L1 is adopted, not signed again.',
    ],
    details: `pending nonce ${pending}, nonce at the L1 head ${latest}`,
  })
}
