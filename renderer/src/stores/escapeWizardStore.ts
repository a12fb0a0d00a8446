/**
 * The escape wizard's state: what the user entered, and what main answered for it (endpoint check, account, cost
 * preview). A change to an input clears every answer that depended on it, so a stale result is never shown beside
 * new inputs; one error is kept at a time (the latest action's), and a new action clears it.
 *
 * RPC URLs are kept here (they must be sent to main once) but never rendered: the screen shows their labels.
 */
import { create } from 'zustand'
import { toEscapeError, type EscapeError } from '../../../shared/errors/EscapeError'
import type { AccountView, EndpointChecksView, EscapePreviewView, EscapeSignerKind, NetworkListView, NetworkRef } from '../../../shared/ipc/escapeSchemas'
import { parseUserAddress } from '../../../shared/ipc/escapeSchemas'
import { invoke } from '../bridge'

export type WizardAction = 'networks' | 'check' | 'account' | 'preview' | 'start'

export interface EscapeWizardState {
  networks: NetworkListView | undefined
  networkId: string
  networkFile: string
  l1Urls: string[]
  l2Url: string
  signer: EscapeSignerKind
  derivationPath: string
  from: string
  amountEth: string
  destination: string
  saveRpcUrls: boolean
  checks: EndpointChecksView | undefined
  account: AccountView | undefined
  preview: EscapePreviewView | undefined
  busy: WizardAction | undefined
  error: { action: WizardAction; error: EscapeError } | undefined
  /** Plain-words problems of the inputs, by field; shown next to the field. */
  problems: Partial<Record<'l1' | 'l2' | 'amount' | 'destination' | 'from' | 'network', string>>
  loadNetworks(): Promise<void>
  set(patch: Partial<Pick<EscapeWizardState, 'networkId' | 'networkFile' | 'l2Url' | 'signer' | 'derivationPath' | 'from' | 'amountEth' | 'destination' | 'saveRpcUrls'>>): void
  addL1Url(url: string): boolean
  removeL1Url(index: number): void
  checkEndpoints(): Promise<void>
  readAccount(): Promise<void>
  showPreview(): Promise<void>
  start(): Promise<string | undefined>
  reset(): void
}

const initial = {
  networks: undefined,
  networkId: '',
  networkFile: '',
  l1Urls: [] as string[],
  l2Url: '',
  signer: 'ledger' as EscapeSignerKind,
  derivationPath: "44'/60'/0'/0/0",
  from: '',
  amountEth: '',
  destination: '',
  saveRpcUrls: false,
  checks: undefined,
  account: undefined,
  preview: undefined,
  busy: undefined,
  error: undefined,
  problems: {},
}

/** Which answers each input invalidates. */
const CLEARS: Record<string, readonly ('checks' | 'account' | 'preview')[]> = {
  networkId: ['checks', 'account', 'preview'],
  networkFile: ['checks', 'account', 'preview'],
  l1Urls: ['checks', 'account', 'preview'],
  l2Url: ['checks', 'account', 'preview'],
  signer: ['account', 'preview'],
  derivationPath: ['account', 'preview'],
  from: ['account', 'preview'],
  amountEth: ['preview'],
  destination: ['preview'],
  saveRpcUrls: [],
}

export function isHttpUrl(value: string): boolean {
  return /^https?:\/\//i.test(value) && URL.canParse(value)
}

export const useEscapeWizardStore = create<EscapeWizardState>()((set, get) => {
  const network = (): NetworkRef => (get().networkId === 'file' ? { file: get().networkFile.trim() } : { id: get().networkId })
  const endpoints = () => ({ network: network(), l1Urls: get().l1Urls, ...(get().l2Url.trim() ? { l2Url: get().l2Url.trim() } : {}) })
  const signerInputs = () => ({
    signer: get().signer,
    ...(get().signer === 'file' ? { from: get().from.trim() } : { derivationPath: get().derivationPath.trim() }),
  })

  /** Run one action against main: one error at a time, the action's own answer cleared first. */
  async function act<T>(action: WizardAction, work: () => Promise<T>): Promise<T | undefined> {
    set({ busy: action, error: undefined })
    try {
      return await work()
    } catch (error) {
      set({ error: { action, error: toEscapeError(error, 'That did not work.') } })
      return undefined
    } finally {
      set({ busy: undefined })
    }
  }

  function inputProblems(needs: readonly ('network' | 'l1' | 'l2' | 'from' | 'amount' | 'destination')[]): boolean {
    const s = get()
    const problems: EscapeWizardState['problems'] = {}
    if (needs.includes('network') && (!s.networkId || (s.networkId === 'file' && !s.networkFile.trim()))) problems.network = s.networkId === 'file' ? 'Give the path of the network file.' : 'Choose a network.'
    if (needs.includes('l1') && s.l1Urls.length === 0) problems.l1 = 'Add at least one L1 RPC address (two or more are cross-checked).'
    if (needs.includes('l2') && s.l2Url.trim() && !isHttpUrl(s.l2Url.trim())) problems.l2 = 'The L2 node address must start with http:// or https://.'
    if (needs.includes('from') && s.signer === 'file') {
      const parsed = parseUserAddress(s.from)
      if (!parsed.ok) problems.from = parsed.problem
    }
    if (needs.includes('amount')) {
      if (!/^(0|[1-9][0-9]*)(\.[0-9]{1,18})?$/.test(s.amountEth.trim())) problems.amount = 'Type an amount of ETH like 1.5 (a dot for decimals, at most 18 decimals).'
      else if (/^0(\.0+)?$/.test(s.amountEth.trim())) problems.amount = 'The amount must be more than zero.'
    }
    if (needs.includes('destination')) {
      const parsed = parseUserAddress(s.destination)
      if (!parsed.ok) problems.destination = parsed.problem
    }
    set({ problems })
    return Object.keys(problems).length > 0
  }

  return {
    ...initial,
    loadNetworks: async () => {
      const list = await act('networks', () => invoke('listNetworks'))
      if (list) {
        const current = get().networkId
        const first = list.networks.find((n) => n.escape.available)
        set({ networks: list, networkId: current || first?.id || '' })
      }
    },
    set: (patch) => {
      const cleared: Partial<EscapeWizardState> = {}
      for (const key of Object.keys(patch)) for (const c of CLEARS[key] ?? []) cleared[c] = undefined
      set({ ...patch, ...cleared, error: undefined, problems: {} })
    },
    addL1Url: (url) => {
      const value = url.trim()
      if (!isHttpUrl(value)) {
        set({ problems: { l1: 'An L1 RPC address starts with http:// or https:// (for example https://eth.example.org/…).' } })
        return false
      }
      if (get().l1Urls.includes(value)) {
        set({ problems: { l1: 'This address is already in the list.' } })
        return false
      }
      set({ l1Urls: [...get().l1Urls, value].slice(0, 10), checks: undefined, account: undefined, preview: undefined, problems: {}, error: undefined })
      return true
    },
    removeL1Url: (index) => set({ l1Urls: get().l1Urls.filter((_, i) => i !== index), checks: undefined, account: undefined, preview: undefined, error: undefined }),
    checkEndpoints: async () => {
      if (inputProblems(['network', 'l1', 'l2'])) return
      set({ checks: undefined, account: undefined, preview: undefined })
      const checks = await act('check', () => invoke('checkEndpoints', endpoints()))
      if (checks) set({ checks })
    },
    readAccount: async () => {
      if (inputProblems(['network', 'l1', 'l2', 'from'])) return
      set({ account: undefined, preview: undefined })
      const account = await act('account', () => invoke('getEscapeAccount', { ...endpoints(), ...signerInputs() }))
      if (account) set({ account, destination: get().destination || account.address })
    },
    showPreview: async () => {
      if (inputProblems(['network', 'l1', 'l2', 'from', 'amount', 'destination'])) return
      set({ preview: undefined })
      const preview = await act('preview', () =>
        invoke('previewEscape', { ...endpoints(), ...signerInputs(), amountEth: get().amountEth.trim(), destination: get().destination.trim() }),
      )
      if (preview) set({ preview })
    },
    start: async () => {
      if (!get().preview) return undefined
      const started = await act('start', () =>
        invoke('startEscape', { ...endpoints(), ...signerInputs(), amountEth: get().amountEth.trim(), destination: get().destination.trim(), saveRpcUrls: get().saveRpcUrls }),
      )
      return started?.jobId
    },
    reset: () => set({ ...initial, networks: get().networks }),
  }
})
