/**
 * Everything behind the window's API, started once per process: the journal, the handlers, the router and the
 * job-change feed. Electron main and the loopback bridge both call this, so the bridge (and the e2e suite through it)
 * runs exactly the services the app runs; only the transport in front differs.
 */
import { JournalStore } from '../journal/JournalStore'
import { jobsDir } from '../paths'
import { createIpcHandlers } from './createIpcHandlers'
import { createIpcRouter, type IpcRouter } from './createIpcRouter'
import { publishJobChanges } from './publishJobChanges'

export interface StartIpcServicesParameters {
  dataDir: string
  /** True when the folder was chosen (ESCAPE_HATCH_HOME / --data-dir) rather than the OS default. */
  customDataDir: boolean
  version: string
  platform: NodeJS.Platform
  /** Bugs: handler failures that are not EscapeErrors, and job-feed failures. */
  onUnexpectedError?(error: unknown, where: string): void
}

export interface IpcServices {
  router: IpcRouter
  journal: JournalStore
  stop(): void
}

export async function startIpcServices({ dataDir, customDataDir, version, platform, onUnexpectedError = () => {} }: StartIpcServicesParameters): Promise<IpcServices> {
  const journal = await JournalStore.open(jobsDir(dataDir))
  const router = createIpcRouter({
    handlers: createIpcHandlers({ journal, app: { version, platform, customDataDir } }),
    onUnexpectedError: (error, channel) => onUnexpectedError(error, `ipc ${channel}`),
  })
  const feed = publishJobChanges({
    store: journal,
    publish: (job) => router.publish('jobChanged', { job }),
    onError: (error) => onUnexpectedError(error, 'job feed'),
  })
  return {
    router,
    journal,
    stop() {
      feed.stop()
      journal.close()
    },
  }
}
