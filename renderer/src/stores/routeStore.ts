/**
 * Which screen is shown, from the location hash (`#/jobs/<id>`, `#/escape`, `#/diagnosis`, `#/drill`, `#/op-derive`, `#/ledger`, or the start screen). The job id is taken as written:
 * the IPC router is what validates it, and a bad one comes back as a clear error on the job screen.
 */
import { create } from 'zustand'

export type Route = { screen: 'start' } | { screen: 'drill' } | { screen: 'op-derive' } | { screen: 'escape' } | { screen: 'diagnosis' } | { screen: 'ledger' } | { screen: 'job'; jobId: string }

export const DRILL_HREF = '#/drill'
/** Rebuild an OP Stack chain from L1 (read-only). */
export const OP_DERIVE_HREF = '#/op-derive'
/** The escape wizard: get my funds out. */
export const ESCAPE_HREF = '#/escape'
/** Support diagnosis of an address or a transaction. */
export const DIAGNOSIS_HREF = '#/diagnosis'
/** The Ledger screen: device status, accounts, what each transaction does before it is signed. */
export const LEDGER_HREF = '#/ledger'

export function parseRoute(hash: string): Route {
  if (hash === DRILL_HREF) return { screen: 'drill' }
  if (hash === OP_DERIVE_HREF) return { screen: 'op-derive' }
  if (hash === ESCAPE_HREF) return { screen: 'escape' }
  if (hash === DIAGNOSIS_HREF) return { screen: 'diagnosis' }
  if (hash === LEDGER_HREF) return { screen: 'ledger' }
  const match = /^#\/jobs\/(.+)$/.exec(hash)
  if (!match?.[1]) return { screen: 'start' }
  let jobId: string
  try {
    jobId = decodeURIComponent(match[1])
  } catch {
    jobId = match[1]
  }
  return { screen: 'job', jobId }
}

export function jobHref(jobId: string): string {
  return `#/jobs/${encodeURIComponent(jobId)}`
}

export interface RouteState {
  route: Route
  setFromHash(hash: string): void
}

export const useRouteStore = create<RouteState>()((set) => ({
  route: { screen: 'start' },
  setFromHash: (hash) => set({ route: parseRoute(hash) }),
}))
