/**
 * Feeds the `jobChanged` event: every change to a job's journal, whether written by this process (the store's
 * `changed` event) or by another one (the CLI, a second tool) seen through a directory watch, becomes the job's new
 * summary. Reading is side-effect free (no torn-tail repair), so watching a job another process is writing is safe.
 */
import * as fs from 'node:fs'
import { summarize, type JobState, type JobSummary } from '../../../shared/journal/reduce'
import type { JournalStore } from '../journal/JournalStore'

export interface PublishJobChangesParameters {
  store: Pick<JournalStore, 'dir' | 'load' | 'on' | 'off'>
  publish(job: JobSummary): void
  /** A failure to read or publish one change (the watch goes on). */
  onError?(error: unknown): void
  /** Writes come in bursts (several records per step): coalesce per job. */
  debounceMs?: number
}

const JOB_FILE = /^([a-z0-9][a-z0-9-]{2,80})\.jsonl$/

export function publishJobChanges({ store, publish, onError = () => {}, debounceMs = 50 }: PublishJobChangesParameters): { stop(): void } {
  const timers = new Map<string, NodeJS.Timeout>()
  let stopped = false

  const safePublish = (state: JobState) => {
    try {
      publish(summarize(state))
    } catch (error) {
      onError(error)
    }
  }
  const onChanged = (_jobId: string, state: JobState) => safePublish(state)
  store.on('changed', onChanged)

  const reload = (jobId: string) => {
    timers.delete(jobId)
    if (stopped) return
    store.load(jobId).then(
      (loaded) => {
        if (!stopped) safePublish(loaded.state)
      },
      // A journal that was removed, or is not readable yet, has no summary to publish.
      (error: unknown) => onError(error),
    )
  }

  let watcher: fs.FSWatcher | undefined
  try {
    watcher = fs.watch(store.dir, { persistent: false }, (_event, filename) => {
      const jobId = filename ? JOB_FILE.exec(filename.toString())?.[1] : undefined
      if (!jobId || stopped) return
      clearTimeout(timers.get(jobId))
      timers.set(jobId, setTimeout(reload, debounceMs, jobId))
    })
    watcher.on('error', onError)
  } catch (error) {
    // Without a watch, changes made by other processes show up on the next list; changes made here still publish.
    onError(error)
  }

  return {
    stop() {
      stopped = true
      store.off('changed', onChanged)
      watcher?.close()
      for (const timer of timers.values()) clearTimeout(timer)
      timers.clear()
    },
  }
}
