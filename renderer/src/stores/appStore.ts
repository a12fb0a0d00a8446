/** What the window knows about the app service it is connected to. */
import { create } from 'zustand'
import type { AppInfo } from '../../../shared/ipc/contract'

export interface AppState {
  /** lost: it was connected, and the service stopped answering (the backend process is gone). */
  connection: 'connecting' | 'ready' | 'failed' | 'lost'
  info: AppInfo | undefined
  setInfo(info: AppInfo): void
  setFailed(): void
  setLost(): void
}

export const useAppStore = create<AppState>()((set) => ({
  connection: 'connecting',
  info: undefined,
  setInfo: (info) => set({ connection: 'ready', info }),
  setFailed: () => set({ connection: 'failed' }),
  setLost: () => set({ connection: 'lost' }),
}))
