/**
 * The Ledger screen's read model: the device's status (an instruction when something is to be done), the accounts
 * read on a derivation scheme with their L1 balances, and every signature a job asked of the Ledger in this app run
 * (fed by main's `ledgerSigning` events, read once when the screen opens). A new read clears the previous answer
 * and its error first, so a stale status or account list is never shown beside a new one.
 */
import { create } from 'zustand'
import { toEscapeError, type EscapeError } from '../../../shared/errors/EscapeError'
import type { LedgerAccountsView, LedgerSignerKind, LedgerSigningView, LedgerStatusView } from '../../../shared/ipc/ledgerSchemas'
import { checkCustomDerivationPath } from '../../../shared/signing/derivationPaths'
import { ledgerInstructionForError, type LedgerInstruction } from '../../../shared/signing/ledgerInstructions'
import { invoke } from '../bridge'
import { useEscapeWizardStore } from './escapeWizardStore'

export type DerivationScheme = 'ledger-live' | 'legacy' | 'custom'

/** A failure as the screen shows it: the device's instruction when it is a Ledger error, the error otherwise. */
export type LedgerProblem = { instruction: LedgerInstruction } | { error: EscapeError }

export function problemOf(error: unknown, fallback: string): LedgerProblem {
  const instruction = ledgerInstructionForError(error)
  return instruction ? { instruction } : { error: toEscapeError(error, fallback) }
}

export interface LedgerState {
  signer: LedgerSignerKind
  status: LedgerStatusView | undefined
  statusProblem: LedgerProblem | undefined
  checking: boolean
  scheme: DerivationScheme
  start: number
  customPath: string
  pathProblem: string | undefined
  accounts: LedgerAccountsView | undefined
  accountsProblem: LedgerProblem | undefined
  reading: boolean
  shown: { path: string; address: string } | undefined
  signings: LedgerSigningView[]
  retrying: string | undefined
  retryProblem: { jobId: string; error: EscapeError } | undefined
  set(patch: Partial<Pick<LedgerState, 'signer' | 'scheme' | 'start' | 'customPath'>>): void
  /** Open the screen: the signer the wizard chose, the signatures so far. */
  open(): Promise<void>
  checkStatus(): Promise<void>
  readAccounts(): Promise<void>
  showOnDevice(path: string): Promise<void>
  /** Take this account into the escape wizard (signer and path) and go back to it. */
  useAccount(path: string): void
  applySigning(view: LedgerSigningView): void
  /** Run the job again from its journal (the device was fixed): the same engine as the job page's Resume. */
  retry(jobId: string): Promise<void>
}

export const PAGE_SIZE = 5
/** Signatures kept on screen (main keeps as many). */
const KEPT_SIGNINGS = 50

export const useLedgerStore = create<LedgerState>()((set, get) => ({
  signer: 'ledger',
  status: undefined,
  statusProblem: undefined,
  checking: false,
  scheme: 'ledger-live',
  start: 0,
  customPath: '',
  pathProblem: undefined,
  accounts: undefined,
  accountsProblem: undefined,
  reading: false,
  shown: undefined,
  signings: [],
  retrying: undefined,
  retryProblem: undefined,
  set: (patch) => {
    const changesDevice = patch.signer !== undefined && patch.signer !== get().signer
    set({
      ...patch,
      pathProblem: undefined,
      accounts: undefined,
      accountsProblem: undefined,
      shown: undefined,
      ...(changesDevice ? { status: undefined, statusProblem: undefined } : {}),
    })
  },
  open: async () => {
    const wizardSigner = useEscapeWizardStore.getState().signer
    if ((wizardSigner === 'ledger' || wizardSigner === 'soft-ledger') && wizardSigner !== get().signer) get().set({ signer: wizardSigner })
    try {
      const { signings } = await invoke('listLedgerSignings')
      const byId = new Map(get().signings.map((s) => [s.id, s]))
      for (const s of signings) byId.set(s.id, s)
      set({ signings: [...byId.values()] })
    } catch (error) {
      set({ statusProblem: problemOf(error, 'The Ledger’s signatures could not be read.') })
    }
  },
  checkStatus: async () => {
    set({ checking: true, status: undefined, statusProblem: undefined })
    try {
      set({ status: await invoke('getLedgerStatus', { signer: get().signer }) })
    } catch (error) {
      set({ statusProblem: problemOf(error, 'The Ledger could not be checked.') })
    } finally {
      set({ checking: false })
    }
  },
  readAccounts: async () => {
    const s = get()
    let customPath: string | undefined
    if (s.scheme === 'custom') {
      const check = checkCustomDerivationPath(s.customPath)
      if (!check.ok) {
        set({ pathProblem: check.problem, accounts: undefined })
        return
      }
      customPath = check.path
    }
    const w = useEscapeWizardStore.getState()
    const network = w.networkFile.trim() ? { file: w.networkFile.trim() } : w.networkId ? { id: w.networkId } : undefined
    set({ reading: true, accounts: undefined, accountsProblem: undefined, pathProblem: undefined, shown: undefined })
    try {
      const accounts = await invoke('listLedgerAccounts', {
        signer: s.signer,
        scheme: s.scheme,
        ...(customPath ? { customPath } : { start: s.start, count: PAGE_SIZE }),
        ...(network && w.l1Urls.length > 0 ? { network, l1Urls: w.l1Urls } : {}),
      })
      set({ accounts })
    } catch (error) {
      set({ accountsProblem: problemOf(error, 'The accounts could not be read.') })
    } finally {
      set({ reading: false })
    }
  },
  showOnDevice: async (path) => {
    set({ shown: undefined, accountsProblem: undefined })
    try {
      set({ shown: await invoke('showLedgerAddress', { signer: get().signer, path }) })
    } catch (error) {
      set({ accountsProblem: problemOf(error, 'The address could not be shown on the device.') })
    }
  },
  useAccount: (path) => {
    useEscapeWizardStore.getState().set({ signer: get().signer, derivationPath: path })
    window.location.hash = '#/escape'
  },
  applySigning: (view) => {
    const rest = get().signings.filter((s) => s.id !== view.id)
    set({ signings: [...rest, view].slice(-KEPT_SIGNINGS) })
  },
  retry: async (jobId) => {
    set({ retrying: jobId, retryProblem: undefined })
    try {
      await invoke('resumeEscape', { jobId })
    } catch (error) {
      set({ retryProblem: { jobId, error: toEscapeError(error, 'The escape could not be started again.') } })
    } finally {
      set({ retrying: undefined })
    }
  },
}))
