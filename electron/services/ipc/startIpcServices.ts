/**
 * Everything behind the window's API, started once per process: the journal, the handlers, the router and the
 * job-change feed. Electron main and the loopback bridge both call this, so the bridge (and the e2e suite through it)
 * runs exactly the services the app runs; only the transport in front differs.
 */
import { createDrillService, type DrillService } from '../drill/createDrillService'
import { JournalStore } from '../journal/JournalStore'
import { createRunRegistry } from '../jobs/createRunRegistry'
import { jobsDir, runsDir } from '../paths'
import { createIpcHandlers } from './createIpcHandlers'
import { createIpcRouter, type IpcRouter } from './createIpcRouter'
import { publishJobChanges } from './publishJobChanges'
import { createOpDeriveService, type OpDeriveService } from '../opDerive/createOpDeriveService'
import { createEscapeService, type EscapeService } from '../app/createEscapeService'
import { createLedgerService, type LedgerService } from '../app/createLedgerService'
import type { SoftLedgerDevice } from '../signers/soft-ledger/SoftLedgerTransport'
import type { FileDialog } from '../files/fileDialog'

export interface StartIpcServicesParameters {
  dataDir: string
  /** True when the folder was chosen (ESCAPE_HATCH_HOME / --data-dir) rather than the OS default. */
  customDataDir: boolean
  version: string
  platform: NodeJS.Platform
  /** Bugs: handler failures that are not EscapeErrors, and job-feed failures. */
  onUnexpectedError?(error: unknown, where: string): void
  /**
   * Tests only (never Electron main, never an IPC channel): the software Ledger behind the 'soft-ledger' signer, so
   * the test can lock it, close its app or turn blind signing off while the app runs.
   */
  softLedger?: SoftLedgerDevice
  /** Native save/open dialogs (Electron main); absent behind the loopback bridge, where the window asks for a typed path. */
  fileDialog?: FileDialog
}

export interface IpcServices {
  router: IpcRouter
  journal: JournalStore
  drill: DrillService
  opDerive: OpDeriveService
  escape: EscapeService
  ledger: LedgerService
  /** Cancels a running drill (await `drill.stop()` to wait for its devnet to be gone) and closes the journal. */
  stop(): void
}

export async function startIpcServices({ dataDir, customDataDir, version, platform, onUnexpectedError = () => {}, softLedger, fileDialog }: StartIpcServicesParameters): Promise<IpcServices> {
  const journal = await JournalStore.open(jobsDir(dataDir))
  // One registry for every run of this process: drills, rebuilds (and escapes), one lock folder, one progress feed.
  const runs = createRunRegistry({ lockDir: runsDir(dataDir), onUnexpectedError: (error, where) => onUnexpectedError(error, where) })
  // The drill publishes through the router created just below; it has nothing to publish before its first start.
  const drill = createDrillService({
    dataDir,
    runs,
    ...(fileDialog ? { fileDialog } : {}),
    publish: (event, payload) => router.publish(event, payload),
    onUnexpectedError: (error, where) => onUnexpectedError(error, where),
  })
  const opDerive = createOpDeriveService({
    dataDir,
    runs,
    publish: (event, payload) => router.publish(event, payload),
    onUnexpectedError: (error, where) => onUnexpectedError(error, where),
  })
  const ledger = createLedgerService({ dataDir, publish: (event, payload) => router.publish(event, payload), ...(softLedger ? { softLedger } : {}) })
  const escape = createEscapeService({
    dataDir,
    journal,
    runs,
    signers: ledger,
    publish: (event, payload) => router.publish(event, payload),
    onUnexpectedError: (error, where) => onUnexpectedError(error, where),
  })
  const router = createIpcRouter({
    handlers: createIpcHandlers({
      journal,
      app: { version, platform, customDataDir, fileDialog: fileDialog !== undefined },
      drill,
      opDerive,
      escape: { dataDir, journal, escape, app: { version, platform: `${platform}/${process.arch}` }, ...(fileDialog ? { fileDialog } : {}) },
      ledger,
    }),
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
    drill,
    opDerive,
    escape,
    ledger,
    stop() {
      void drill.stop()
      void opDerive.stop()
      void escape.stopAll()
      feed.stop()
      journal.close()
    },
  }
}
