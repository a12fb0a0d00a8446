/**
 * What may be appended to a job, given its current state. The store asks this before writing, so a bug in a flow
 * cannot put a record on disk that would make the journal unreplayable or misleading.
 */
import type { JournalEvent } from './records'
import type { JobState } from './reduce'

export function appendRefusal(state: JobState, event: JournalEvent): string | undefined {
  if (event.type === 'job.created') return 'the job already exists'
  if (state.status !== 'active' && event.type !== 'note') return `the job is ${state.status}; only notes can be added`
  switch (event.type) {
    case 'tx.sent':
    case 'tx.mined':
    case 'tx.dropped': {
      const tx = state.txs.find((t) => t.hash === event.hash)
      if (!tx) return `no signed transaction ${event.hash} in this job`
      if (event.type === 'tx.sent' && tx.status !== 'signed' && tx.status !== 'sent') return `transaction ${event.hash} is already ${tx.status}`
      return undefined
    }
    case 'tx.found':
      if (state.txs.some((t) => t.hash === event.hash)) return `transaction ${event.hash} is already journaled`
      return undefined
    case 'tx.signed': {
      if (state.txs.some((t) => t.hash === event.hash)) return `transaction ${event.hash} is already journaled`
      if (event.replaces) {
        const old = state.txs.find((t) => t.hash === event.replaces)
        if (!old) return `the replaced transaction ${event.replaces} is not in this job`
        if (old.nonce !== event.nonce || old.from.toLowerCase() !== event.from.toLowerCase() || old.chainId !== event.chainId)
          return 'a replacement must use the same sender, chain and nonce'
        if (old.status !== 'signed' && old.status !== 'sent') return `transaction ${event.replaces} is already ${old.status}`
        if (!Object.hasOwn(state.prompts, `replace:${event.replaces}`)) return 'a fee bump needs the user\'s recorded consent first'
      } else if (state.txs.some((t) => t.chainId === event.chainId && t.from.toLowerCase() === event.from.toLowerCase() && t.nonce === event.nonce && t.status !== 'dropped')) {
        return `nonce ${event.nonce} of ${event.from} is already used by a transaction in this job; a second transaction with it needs an explicit replacement`
      }
      return undefined
    }
    default:
      return undefined
  }
}
