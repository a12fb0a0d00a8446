/**
 * The diagnosis screen: the inputs (no key is ever asked for), the last result, and its saved report. A new run
 * clears the previous result and error first, so a stale diagnosis is never shown beside new inputs.
 */
import { create } from 'zustand'
import { toEscapeError, type EscapeError } from '../../../shared/errors/EscapeError'
import type { ReportDestination } from '../../../shared/ipc/drillSchemas'
import type { DiagnosisView, NetworkListView } from '../../../shared/ipc/escapeSchemas'
import { invoke } from '../bridge'
import { isHttpUrl } from './escapeWizardStore'

export interface DiagnosisState {
  networks: NetworkListView | undefined
  networkId: string
  l1Urls: string[]
  l2Url: string
  query: string
  status: 'idle' | 'running' | 'ready' | 'failed'
  result: DiagnosisView | undefined
  error: EscapeError | undefined
  problem: string | undefined
  saved: { htmlPath: string; jsonPath: string } | undefined
  saving: boolean
  loadNetworks(): Promise<void>
  set(patch: Partial<Pick<DiagnosisState, 'networkId' | 'l2Url' | 'query'>>): void
  addL1Url(url: string): boolean
  removeL1Url(index: number): void
  run(): Promise<void>
  /** Save the report: into reports/ by default, or where the user chooses (save dialog or typed path). */
  save(to?: ReportDestination): Promise<void>
}

export const useDiagnosisStore = create<DiagnosisState>()((set, get) => ({
  networks: undefined,
  networkId: '',
  l1Urls: [],
  l2Url: '',
  query: '',
  status: 'idle',
  result: undefined,
  error: undefined,
  problem: undefined,
  saved: undefined,
  saving: false,
  loadNetworks: async () => {
    try {
      const networks = await invoke('listNetworks')
      set({ networks, networkId: get().networkId || networks.networks.find((n) => n.source === 'devnet')?.id || networks.networks[0]?.id || '' })
    } catch (error) {
      set({ status: 'failed', error: toEscapeError(error, 'The networks could not be listed.') })
    }
  },
  set: (patch) => set({ ...patch, problem: undefined }),
  addL1Url: (url) => {
    const value = url.trim()
    if (!isHttpUrl(value)) {
      set({ problem: 'An L1 RPC address starts with http:// or https://.' })
      return false
    }
    if (!get().l1Urls.includes(value)) set({ l1Urls: [...get().l1Urls, value].slice(0, 10), problem: undefined })
    return true
  },
  removeL1Url: (index) => set({ l1Urls: get().l1Urls.filter((_, i) => i !== index) }),
  run: async () => {
    const s = get()
    const q = s.query.trim()
    if (!/^0x[0-9a-fA-F]{40}$/.test(q) && !/^0x[0-9a-fA-F]{64}$/.test(q)) {
      set({ problem: 'Paste an address (0x and 40 characters) or a transaction hash (0x and 64 characters). Never a private key or a recovery phrase.' })
      return
    }
    if (s.l1Urls.length === 0) {
      set({ problem: 'Add at least one L1 RPC address.' })
      return
    }
    if (s.l2Url.trim() && !isHttpUrl(s.l2Url.trim())) {
      set({ problem: 'The L2 node address must start with http:// or https://.' })
      return
    }
    set({ status: 'running', result: undefined, error: undefined, saved: undefined, problem: undefined })
    try {
      const result = await invoke('diagnose', { network: { id: s.networkId }, l1Urls: s.l1Urls, ...(s.l2Url.trim() ? { l2Url: s.l2Url.trim() } : {}), query: q })
      set({ status: 'ready', result })
    } catch (error) {
      set({ status: 'failed', error: toEscapeError(error, 'The diagnosis did not finish.') })
    }
  },
  save: async (to) => {
    const result = get().result
    if (!result) return
    set({ saving: true, saved: undefined, error: undefined })
    try {
      const saved = await invoke('saveDiagnosisReport', { id: result.id, ...(to ? { to } : {}) })
      if (!('cancelled' in saved)) set({ saved })
    } catch (error) {
      set({ error: toEscapeError(error, 'The report could not be saved.') })
    } finally {
      set({ saving: false })
    }
  },
}))
