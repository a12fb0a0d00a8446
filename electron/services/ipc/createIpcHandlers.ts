/**
 * The handlers behind the contract, shared by Electron main and the loopback bridge (same functions, same store),
 * so the e2e suite exercises exactly what the app runs.
 */
import type { DrillService } from '../drill/createDrillService'
import { unavailableDrillService } from '../drill/unavailableDrillService'
import type { JournalStore } from '../journal/JournalStore'
import type { IpcHandlers } from './createIpcRouter'
import { createGetAppInfo, type GetAppInfoParameters } from './handlers/getAppInfo'
import { createGetJob } from './handlers/getJob'
import { createListJobs } from './handlers/listJobs'
import { createCancelDrill } from './handlers/cancelDrill'
import { createGetDrillStatus } from './handlers/getDrillStatus'
import { createListDrills } from './handlers/listDrills'
import { createSaveDrillReport } from './handlers/saveDrillReport'
import { createStartDrill } from './handlers/startDrill'
import type { OpDeriveService } from '../opDerive/createOpDeriveService'
import { unavailableOpDeriveService } from '../opDerive/unavailableOpDeriveService'
import { createCancelOpDerive } from './handlers/cancelOpDerive'
import { createGetOpDeriveStatus } from './handlers/getOpDeriveStatus'
import { createStartOpDerive } from './handlers/startOpDerive'

export interface CreateIpcHandlersParameters {
  journal: Pick<JournalStore, 'list' | 'load'>
  app: GetAppInfoParameters
  /** Drills on the embedded devnet; without it the drill channels answer DrillUnavailableError. */
  drill?: DrillService
  /** Rebuilding an OP Stack chain from L1; without it those channels answer OpDeriveUnavailableError. */
  opDerive?: OpDeriveService
}

export function createIpcHandlers({ journal, app, drill = unavailableDrillService, opDerive = unavailableOpDeriveService }: CreateIpcHandlersParameters): IpcHandlers {
  return {
    getAppInfo: createGetAppInfo(app),
    listJobs: createListJobs(journal),
    getJob: createGetJob(journal),
    startDrill: createStartDrill(drill),
    cancelDrill: createCancelDrill(drill),
    getDrillStatus: createGetDrillStatus(drill),
    listDrills: createListDrills(drill),
    saveDrillReport: createSaveDrillReport(drill),
    startOpDerive: createStartOpDerive(opDerive),
    cancelOpDerive: createCancelOpDerive(opDerive),
    getOpDeriveStatus: createGetOpDeriveStatus(opDerive),
  }
}
