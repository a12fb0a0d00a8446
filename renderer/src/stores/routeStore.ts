/**
 * Which screen is shown, from the location hash (`#/jobs/<id>`, `#/drill`, or the start screen). The job id is taken as written:
 * the IPC router is what validates it, and a bad one comes back as a clear error on the job screen.
 */
import { create } from 'zustand'

export type Route = { screen: 'start' } | { screen: 'drill' } | { screen: 'job'; jobId: string }

export const DRILL_HREF = '#/drill'

export function parseRoute(hash: string): Route {
  if (hash === DRILL_HREF) return { screen: 'drill' }
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
