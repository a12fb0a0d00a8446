/**
 * The handlers behind the contract, shared by Electron main and the loopback bridge (same functions, same store),
 * so the e2e suite exercises exactly what the app runs.
 */
import { EscapeError } from '../../../shared/errors/EscapeError'
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
import { createEscapeHandlers, type CreateEscapeHandlersParameters } from '../app/createEscapeHandlers'
import { createLedgerHandlers } from '../app/createLedgerHandlers'
import type { LedgerService } from '../app/createLedgerService'

export interface CreateIpcHandlersParameters {
  journal: Pick<JournalStore, 'list' | 'load'>
  app: GetAppInfoParameters
  /** Drills on the embedded devnet; without it the drill channels answer DrillUnavailableError. */
  drill?: DrillService
  /** Rebuilding an OP Stack chain from L1; without it those channels answer OpDeriveUnavailableError. */
  opDerive?: OpDeriveService
  /** The desktop escape, diagnosis and reports; without it those channels answer that they are not available. */
  escape?: CreateEscapeHandlersParameters
  /** The Ledger screen; without it those channels answer that they are not available. */
  ledger?: LedgerService
}

export function createIpcHandlers({ journal, app, drill = unavailableDrillService, opDerive = unavailableOpDeriveService, escape, ledger }: CreateIpcHandlersParameters): IpcHandlers {
  return {
    ...(escape ? createEscapeHandlers(escape) : unavailableEscapeHandlers()),
    ...(ledger ? createLedgerHandlers(ledger, journal) : unavailableLedgerHandlers()),
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

/** Escape channels of a router built without the escape service (tests of other channels): a clear refusal each. */
function unavailableEscapeHandlers(): ReturnType<typeof createEscapeHandlers> {
  const refuse = async (): Promise<never> => {
    throw new EscapeError('Escapes and diagnoses are not available in this window.', { kind: 'user-action', steps: ['Open the Escape Hatch app.'] })
  }
  return {
    listNetworks: refuse, checkEndpoints: refuse, getEscapeAccount: refuse, getEscapeToken: refuse, previewEscape: refuse, startEscape: refuse, resumeEscape: refuse,
    stopEscape: refuse, getEscapeRunState: refuse, proposeFeeBump: refuse, approveFeeBump: refuse, saveJobReport: refuse, diagnose: refuse, saveDiagnosisReport: refuse,
  }
}

/** Ledger channels of a router built without the Ledger service: a clear refusal each. */
function unavailableLedgerHandlers(): ReturnType<typeof createLedgerHandlers> {
  const refuse = async (): Promise<never> => {
    throw new EscapeError('The Ledger screen is not available in this window.', { kind: 'user-action', steps: ['Open the Escape Hatch app.'] })
  }
  return { getLedgerStatus: refuse, listLedgerAccounts: refuse, showLedgerAddress: refuse, listLedgerSignings: refuse, getAirGappedRequest: refuse, exportAirGappedRequest: refuse, checkSignedFile: refuse }
}
