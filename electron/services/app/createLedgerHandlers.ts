/** The Ledger screen's channels (shared/ipc/ledgerSchemas.ts), for Electron main and the loopback bridge alike. */
import type { IpcHandlers } from '../ipc/createIpcRouter'
import type { LedgerService } from './createLedgerService'
import { withScrubbedErrors } from './scrubError'

export type LedgerHandlerNames = 'getLedgerStatus' | 'listLedgerAccounts' | 'showLedgerAddress' | 'listLedgerSignings'

export function createLedgerHandlers(ledger: LedgerService): Pick<IpcHandlers, LedgerHandlerNames> {
  return {
    getLedgerStatus: ({ signer }) => withScrubbedErrors(() => ledger.status(signer)),
    listLedgerAccounts: (r) => withScrubbedErrors(() => ledger.listAccounts(r)),
    showLedgerAddress: ({ signer, path }) => withScrubbedErrors(() => ledger.showAddress(signer, path)),
    listLedgerSignings: () => withScrubbedErrors(async () => ({ signings: ledger.signings() })),
  }
}
