/**
 * `jobs abandon JOB`: the user's decision to end a job (the engine's abandonJob; the app uses the same path). A job
 * with signed transactions not yet mined is refused unless --accept-pending-txs says the user understands they may
 * still be mined.
 */
import { abandonJob } from '../../services/jobs/abandonJob'
import { JournalStore } from '../../services/journal/JournalStore'
import { jobsDir } from '../../services/paths'
import { usageError, type Command } from '../command'

export const jobsAbandonCommand: Command = {
  path: ['jobs', 'abandon'],
  args: 'JOB_ID',
  summary: 'End a job you no longer want to continue (journaled as your decision; nothing is signed or sent).',
  options: {
    reason: { type: 'string', description: 'Why, in your words (kept in the journal and the report).', valueName: 'TEXT' },
    'accept-pending-txs': { type: 'boolean', description: 'Abandon even though signed transactions may still be mined (they cannot be recalled).' },
  },
  async run(ctx) {
    const id = ctx.positionals[0]
    if (!id || ctx.positionals.length > 1) usageError('give exactly one job id')
    const reason = ctx.options.reason
    if (reason !== undefined && typeof reason !== 'string') usageError('--reason takes a text')
    const store = await JournalStore.open(jobsDir(ctx.dataDir))
    try {
      const state = await abandonJob({ store, jobId: id, ...(reason ? { reason } : {}), acceptPendingTxs: ctx.options['accept-pending-txs'] === true })
      return { json: { id: state.id, status: state.status }, text: `Job ${state.id} abandoned. Its journal is kept: \`escape-hatch jobs show ${state.id}\`.` }
    } finally {
      store.close()
    }
  },
}
