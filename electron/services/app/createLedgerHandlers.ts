/** The Ledger screen's channels (shared/ipc/ledgerSchemas.ts), air-gapped files included, for Electron main and the loopback bridge alike. */
import type { IpcHandlers } from '../ipc/createIpcRouter'
import type { JournalStore } from '../journal/JournalStore'
import { checkSignedFile, describeAirGappedRequest, exportAirGappedRequest } from './airGappedFiles'
import type { LedgerService } from './createLedgerService'
import { withScrubbedErrors } from './scrubError'

export type LedgerHandlerNames = 'getLedgerStatus' | 'listLedgerAccounts' | 'showLedgerAddress' | 'listLedgerSignings' | 'getAirGappedRequest' | 'exportAirGappedRequest' | 'checkSignedFile'

export function createLedgerHandlers(ledger: LedgerService, journal: Pick<JournalStore, 'load'>): Pick<IpcHandlers, LedgerHandlerNames> {
  return {
    getLedgerStatus: ({ signer }) => withScrubbedErrors(() => ledger.status(signer)),
    listLedgerAccounts: (r) => withScrubbedErrors(() => ledger.listAccounts(r)),
    showLedgerAddress: ({ signer, path }) => withScrubbedErrors(() => ledger.showAddress(signer, path)),
    listLedgerSignings: () => withScrubbedErrors(async () => ({ signings: ledger.signings() })),
    getAirGappedRequest: ({ jobId }) => withScrubbedErrors(() => describeAirGappedRequest(journal, jobId)),
    exportAirGappedRequest: ({ jobId, to }) => withScrubbedErrors(() => exportAirGappedRequest(journal, jobId, to)),
    checkSignedFile: ({ jobId, signedFile }) => withScrubbedErrors(() => checkSignedFile(journal, jobId, signedFile)),
  }
}
