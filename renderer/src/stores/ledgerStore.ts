/**
 * The Ledger screen's read model: the device's status (an instruction when something is to be done), the accounts
 * read on a derivation scheme with their L1 balances, and every signature a job asked of the Ledger in this app run
 * (fed by main's `ledgerSigning` events, read once when the screen opens). A new read clears the previous answer
 * and its error first, so a stale status or account list is never shown beside a new one.
 */
import { create } from 'zustand'
import { toEscapeError, type EscapeError } from '../../../shared/errors/EscapeError'
import type { AirGappedRequestView, LedgerAccountsView, LedgerSignerKind, LedgerSigningView, LedgerStatusView } from '../../../shared/ipc/ledgerSchemas'
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
  /** Air-gapped signing: the job, its exported request, the paths the user typed, and what happened. */
  air: AirGappedState
  setAir(patch: Partial<Pick<AirGappedState, 'jobId' | 'exportTo' | 'signedFile'>>): void
  loadAirRequest(): Promise<void>
  exportAirRequest(): Promise<void>
  checkSignedFile(): Promise<void>
  /** Continue the job with the checked signed file (the resume checks it again, as the CLI's --signed). */
  continueWithSignedFile(): Promise<void>
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

export interface AirGappedState {
  jobId: string
  request: AirGappedRequestView | undefined
  exportTo: string
  exported: { path: string; bytes: number } | undefined
  signedFile: string
  checked: { signedFile: string; hash: string; from: string } | undefined
  continued: boolean
  busy: 'request' | 'export' | 'check' | 'continue' | undefined
  error: EscapeError | undefined
}

const AIR_INITIAL: AirGappedState = { jobId: '', request: undefined, exportTo: '', exported: undefined, signedFile: '', checked: undefined, continued: false, busy: undefined, error: undefined }

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
  air: AIR_INITIAL,
  setAir: (patch) => {
    const air = get().air
    // A new job clears everything read for the previous one; a new path clears what was done with the old one.
    if (patch.jobId !== undefined && patch.jobId !== air.jobId) return set({ air: { ...AIR_INITIAL, jobId: patch.jobId } })
    set({
      air: {
        ...air,
        ...patch,
        error: undefined,
        ...(patch.exportTo !== undefined ? { exported: undefined } : {}),
        ...(patch.signedFile !== undefined ? { checked: undefined, continued: false } : {}),
      },
    })
  },
  loadAirRequest: () =>
    airAction('request', 'The request file could not be read.', async (air) => {
      const request = await invoke('getAirGappedRequest', { jobId: air.jobId })
      return { request, signedFile: air.signedFile || request.suggestedSignedFile }
    }),
  exportAirRequest: () => airAction('export', 'The request file could not be saved there.', async (air) => ({ exported: await invoke('exportAirGappedRequest', { jobId: air.jobId, to: air.exportTo.trim() }) })),
  checkSignedFile: () =>
    airAction('check', 'The signed file could not be checked.', async (air) => {
      const checked = await invoke('checkSignedFile', { jobId: air.jobId, signedFile: air.signedFile.trim() })
      return { checked: { signedFile: checked.signedFile, hash: checked.hash, from: checked.from } }
    }),
  continueWithSignedFile: () =>
    airAction('continue', 'The escape could not continue with this file.', async (air) => {
      if (!air.checked) return {}
      await invoke('resumeEscape', { jobId: air.jobId, signedFile: air.checked.signedFile })
      return { continued: true }
    }),
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
    // The device of the escape that signs now, else the one chosen in the wizard.
    const follow = (kind: string | undefined) => {
      if ((kind === 'ledger' || kind === 'soft-ledger') && kind !== get().signer) get().set({ signer: kind })
    }
    follow(get().signings.at(-1)?.signer ?? useEscapeWizardStore.getState().signer)
    try {
      const { signings } = await invoke('listLedgerSignings')
      const byId = new Map(get().signings.map((s) => [s.id, s]))
      for (const s of signings) byId.set(s.id, s)
      set({ signings: [...byId.values()] })
      follow(get().signings.at(-1)?.signer)
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

/** One air-gapped action: busy while it runs, its error kept (one at a time), its answer merged in. */
async function airAction(busy: NonNullable<AirGappedState['busy']>, fallback: string, work: (air: AirGappedState) => Promise<Partial<AirGappedState>>): Promise<void> {
  const { getState, setState } = useLedgerStore
  const air = getState().air
  if (!air.jobId) return
  setState({ air: { ...air, busy, error: undefined } })
  try {
    const patch = await work(air)
    setState({ air: { ...getState().air, ...patch, busy: undefined } })
  } catch (error) {
    setState({ air: { ...getState().air, busy: undefined, error: toEscapeError(error, fallback) } })
  }
}
