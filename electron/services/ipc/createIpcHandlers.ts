/**
 * The handlers behind the contract, shared by Electron main and the loopback bridge (same functions, same store),
 * so the e2e suite exercises exactly what the app runs.
 */
import type { JournalStore } from '../journal/JournalStore'
import type { IpcHandlers } from './createIpcRouter'
import { createGetAppInfo, type GetAppInfoParameters } from './handlers/getAppInfo'
import { createGetJob } from './handlers/getJob'
import { createListJobs } from './handlers/listJobs'

export interface CreateIpcHandlersParameters {
  journal: Pick<JournalStore, 'list' | 'load'>
  app: GetAppInfoParameters
}

export function createIpcHandlers({ journal, app }: CreateIpcHandlersParameters): IpcHandlers {
  return {
    getAppInfo: createGetAppInfo(app),
    listJobs: createListJobs(journal),
    getJob: createGetJob(journal),
  }
}
