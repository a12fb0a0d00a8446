/**
 * The escape wizard's state: what the user entered, and what main answered for it (endpoint check, account, cost
 * preview). A change to an input clears every answer that depended on it, so a stale result is never shown beside
 * new inputs; one error is kept at a time (the latest action's), and a new action clears it.
 *
 * RPC URLs are kept here (they must be sent to main once) but never rendered: the screen shows their labels.
 */
import { create } from 'zustand'
import { toEscapeError, type EscapeError } from '../../../shared/errors/EscapeError'
import type { AccountView, EndpointChecksView, EscapePreviewView, EscapeSignerKind, NetworkListView, NetworkRef, OpTokenView } from '../../../shared/ipc/escapeSchemas'
import { parseUserAddress } from '../../../shared/ipc/escapeSchemas'
import { invoke } from '../bridge'

export type WizardAction = 'networks' | 'check' | 'account' | 'token' | 'preview' | 'start'

/** OP Stack: where the proof's output root comes from (the wizard's choice). */
export type OpSourceChoice = 'rebuild' | 'l2-node'

/** OP Stack: a standard-bridge token to take out, as read from L1 (symbol, decimals, balances) and the amount typed. */
export interface WizardToken {
  info: OpTokenView
  amount: string
}

const TOKEN_AMOUNT = /^(0|[1-9][0-9]*)(\.[0-9]{1,36})?$/

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
  /** OP Stack only. */
  opSource: OpSourceChoice
  genesisFile: string
  beaconUrl: string
  tokens: WizardToken[]
  checks: EndpointChecksView | undefined
  account: AccountView | undefined
  preview: EscapePreviewView | undefined
  busy: WizardAction | undefined
  error: { action: WizardAction; error: EscapeError } | undefined
  /** Plain-words problems of the inputs, by field; shown next to the field. */
  problems: Partial<Record<'l1' | 'l2' | 'amount' | 'destination' | 'from' | 'network' | 'beacon' | 'token', string>>
  loadNetworks(): Promise<void>
  set(patch: Partial<Pick<EscapeWizardState, 'networkId' | 'networkFile' | 'l2Url' | 'signer' | 'derivationPath' | 'from' | 'amountEth' | 'destination' | 'saveRpcUrls' | 'opSource' | 'genesisFile' | 'beaconUrl'>>): void
  /** The chosen network is an OP Stack chain (its own sections: source, tokens). */
  isOp(): boolean
  addToken(l1Token: string, l2Token: string): Promise<boolean>
  setTokenAmount(index: number, amount: string): void
  removeToken(index: number): void
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
  opSource: 'rebuild' as OpSourceChoice,
  genesisFile: '',
  beaconUrl: '',
  tokens: [] as WizardToken[],
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
  opSource: ['preview'],
  genesisFile: ['preview'],
  beaconUrl: ['preview'],
}

export function isHttpUrl(value: string): boolean {
  return /^https?:\/\//i.test(value) && URL.canParse(value)
}

export const useEscapeWizardStore = create<EscapeWizardState>()((set, get) => {
  const network = (): NetworkRef => (get().networkId === 'file' ? { file: get().networkFile.trim() } : { id: get().networkId })
  const endpoints = () => ({ network: network(), l1Urls: get().l1Urls, ...(get().l2Url.trim() ? { l2Url: get().l2Url.trim() } : {}) })
  const isOp = () => get().networks?.networks.find((n) => n.id === get().networkId)?.stack === 'op-stack'
  /** The OP parts of a preview or start request (nothing for an Arbitrum chain). */
  const opInputs = () => {
    if (!isOp()) return {}
    const s = get()
    return {
      opSource: s.opSource === 'rebuild' ? { kind: 'rebuild' as const, ...(s.genesisFile.trim() ? { genesisFile: s.genesisFile.trim() } : {}) } : { kind: 'l2-node' as const },
      ...(s.beaconUrl.trim() ? { beaconUrl: s.beaconUrl.trim() } : {}),
      ...(s.tokens.length > 0 ? { tokens: s.tokens.map((t) => ({ l1Token: t.info.l1Token, l2Token: t.info.l2Token, amount: t.amount.trim() })) } : {}),
    }
  }
  const signerInputs = () => ({
    signer: get().signer,
    ...(get().signer === 'file' ? { from: get().from.trim() } : { derivationPath: get().derivationPath.trim() }),
  })

  /** The ETH amount as sent: an OP escape of tokens only sends "0". */
  const ethAmount = () => (get().amountEth.trim() === '' && isOp() && get().tokens.length > 0 ? '0' : get().amountEth.trim())

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

  function inputProblems(needs: readonly ('network' | 'l1' | 'l2' | 'from' | 'amount' | 'destination' | 'op')[]): boolean {
    const s = get()
    const problems: EscapeWizardState['problems'] = {}
    if (needs.includes('network') && (!s.networkId || (s.networkId === 'file' && !s.networkFile.trim()))) problems.network = s.networkId === 'file' ? 'Give the path of the network file.' : 'Choose a network.'
    if (needs.includes('l1') && s.l1Urls.length === 0) problems.l1 = 'Add at least one L1 RPC address (two or more are cross-checked).'
    if (needs.includes('l2') && s.l2Url.trim() && !isHttpUrl(s.l2Url.trim())) problems.l2 = 'The L2 node address must start with http:// or https://.'
    if (needs.includes('from') && s.signer === 'file') {
      const parsed = parseUserAddress(s.from)
      if (!parsed.ok) problems.from = parsed.problem
    }
    const op = isOp()
    if (needs.includes('amount')) {
      // An OP escape may take tokens only: its ETH amount may then be empty or zero.
      const ethText = op && s.tokens.length > 0 && s.amountEth.trim() === '' ? '0' : s.amountEth.trim()
      if (!/^(0|[1-9][0-9]*)(\.[0-9]{1,18})?$/.test(ethText)) problems.amount = 'Type an amount of ETH like 1.5 (a dot for decimals, at most 18 decimals).'
      else if (/^0(\.0+)?$/.test(ethText) && !(op && s.tokens.length > 0)) problems.amount = op ? 'The amount must be more than zero (or add a token to take out).' : 'The amount must be more than zero.'
      const badToken = s.tokens.find((t) => !TOKEN_AMOUNT.test(t.amount.trim()) || /^0(\.0+)?$/.test(t.amount.trim()) || (t.amount.split('.')[1]?.length ?? 0) > t.info.decimals)
      if (badToken) problems.token = `Type an amount of ${badToken.info.symbol} above zero, like 2.5 (a dot for decimals, at most ${badToken.info.decimals} decimals).`
    }
    if (needs.includes('op') && op) {
      if (s.beaconUrl.trim() && !isHttpUrl(s.beaconUrl.trim())) problems.beacon = 'The blob archive address must start with http:// or https://.'
      if (s.opSource === 'l2-node' && !s.l2Url.trim()) problems.l2 = 'You chose the L2 node as the source: give its address above (it is not trusted), or choose “Rebuild from L1”.'
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
    isOp,
    addToken: async (l1Token, l2Token) => {
      const l1 = parseUserAddress(l1Token)
      const l2 = parseUserAddress(l2Token)
      const account = get().account
      if (!l1.ok || !l2.ok) {
        set({ problems: { token: `${!l1.ok ? `L1 token: ${l1.problem}` : ''}${!l1.ok && !l2.ok ? ' ' : ''}${!l2.ok ? `L2 token: ${l2.problem}` : ''}` } })
        return false
      }
      if (!account) return false
      if (get().tokens.some((t) => t.info.l2Token === l2.address)) {
        set({ problems: { token: 'This token is already in the list.' } })
        return false
      }
      set({ problems: {} })
      const info = await act('token', () => invoke('getEscapeToken', { ...endpoints(), account: account.address, l1Token: l1.address, l2Token: l2.address }))
      if (!info) return false
      set({ tokens: [...get().tokens, { info, amount: '' }].slice(0, 7), preview: undefined })
      return true
    },
    setTokenAmount: (index, amount) => set({ tokens: get().tokens.map((t, i) => (i === index ? { ...t, amount } : t)), preview: undefined, error: undefined, problems: {} }),
    removeToken: (index) => set({ tokens: get().tokens.filter((_, i) => i !== index), preview: undefined, error: undefined, problems: {} }),
    set: (patch) => {
      const cleared: Partial<EscapeWizardState> = {}
      for (const key of Object.keys(patch)) for (const c of CLEARS[key] ?? []) cleared[c] = undefined
      // Tokens were read for one network and account: another network or account reads them again.
      const tokens = ['networkId', 'networkFile', 'signer', 'derivationPath', 'from'].some((k) => k in patch) ? { tokens: [] } : {}
      set({ ...patch, ...cleared, ...tokens, error: undefined, problems: {} })
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
      set({ account: undefined, preview: undefined, tokens: [] })
      const account = await act('account', () => invoke('getEscapeAccount', { ...endpoints(), ...signerInputs() }))
      if (account) set({ account, destination: get().destination || account.address })
    },
    showPreview: async () => {
      if (inputProblems(['network', 'l1', 'l2', 'from', 'amount', 'destination', 'op'])) return
      set({ preview: undefined })
      const preview = await act('preview', () =>
        invoke('previewEscape', { ...endpoints(), ...signerInputs(), ...opInputs(), amountEth: ethAmount(), destination: get().destination.trim() }),
      )
      if (preview) set({ preview })
    },
    start: async () => {
      if (!get().preview) return undefined
      const started = await act('start', () =>
        invoke('startEscape', { ...endpoints(), ...signerInputs(), ...opInputs(), amountEth: ethAmount(), destination: get().destination.trim(), saveRpcUrls: get().saveRpcUrls }),
      )
      return started?.jobId
    },
    reset: () => set({ ...initial, networks: get().networks }),
  }
})
