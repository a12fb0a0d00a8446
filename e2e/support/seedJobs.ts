/** Jobs written through the real JournalStore, the way flows will write them. */
import { serializeError, EscapeError } from '../../shared/errors/EscapeError'
import type { JournalStore } from '../../electron/services/journal/JournalStore'

export const ARB_JOB = { id: 'arb-escape-20261121-a1b2c3', title: 'Get 1.5 ETH out of Arbitrum One' }
export const OP_JOB = { id: 'op-escape-20261120-d4e5f6', title: 'Withdraw 0.2 ETH from OP Mainnet' }
export const SIGNED_HASH = `0x${'5a'.repeat(32)}` as const
export const RAW_TX = '0x02f87001808459682f008459682f0e82520894d8da6bf26964af9d7eed9e03e53415d37aa9604588'

export async function seedJobs(journal: JournalStore): Promise<void> {
  const op = await journal.createJob({ jobId: OP_JOB.id, kind: 'op-escape', title: OP_JOB.title, params: { network: 'op-mainnet', amountWei: '200000000000000000' } })
  await journal.append(op.id, { type: 'step.started', step: 'rebuild-from-l1' })
  await journal.append(op.id, { type: 'step.completed', step: 'rebuild-from-l1', result: { l2Block: '131000000' } })
  await journal.append(op.id, { type: 'job.finished', outcome: 'succeeded', summary: 'Withdrawal finalized on L1.' })

  const arb = await journal.createJob({ jobId: ARB_JOB.id, kind: 'arb-escape', title: ARB_JOB.title, params: { network: 'arbitrum-one', amountWei: '1500000000000000000' } })
  await journal.append(arb.id, { type: 'step.started', step: 'scan-l1' })
  await journal.append(arb.id, { type: 'step.completed', step: 'scan-l1', result: { batches: 278 } })
  await journal.append(arb.id, { type: 'step.started', step: 'fetch-blobs' })
  const failure = new EscapeError('A blob for batch 812 is no longer on the beacon node.', {
    kind: 'user-action',
    steps: ['Add a blob archive endpoint in Settings.', 'Or point Escape Hatch at a beacon node that keeps blobs longer.'],
    details: 'versioned hash 0x01ab…, slot 9123456',
  })
  await journal.append(arb.id, { type: 'step.failed', step: 'fetch-blobs', error: serializeError(failure) })
  await journal.append(arb.id, { type: 'step.started', step: 'sign-l2-tx' })
  await journal.append(arb.id, { type: 'tx.signed', step: 'sign-l2-tx', chainId: 1, from: `0x${'d8'.repeat(20)}`, nonce: 7, hash: SIGNED_HASH, raw: RAW_TX })
  await journal.append(arb.id, { type: 'tx.sent', hash: SIGNED_HASH, endpoints: ['http://127.0.0.1:8545'] })
  await journal.append(arb.id, { type: 'note', text: 'Waiting for the force-inclusion delay (about 24 hours).' })
}
