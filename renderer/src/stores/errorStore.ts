/** App-level errors the user should see (failed loads, refused requests, blocked navigation), newest first. */
import { create } from 'zustand'
import { toEscapeError, type EscapeError } from '../../../shared/errors/EscapeError'

export interface ShownError {
  id: number
  /** What the app was doing, e.g. "Loading the jobs list". */
  context: string
  error: EscapeError
}

export interface ErrorState {
  errors: ShownError[]
  report(error: unknown, context: string): void
  dismiss(id: number): void
}

const MAX_SHOWN = 5
let nextId = 1

export const useErrorStore = create<ErrorState>()((set) => ({
  errors: [],
  report: (error, context) =>
    set((state) => ({
      errors: [
        { id: nextId++, context, error: toEscapeError(error, 'Something went wrong in this window.', { steps: ['Try again. If it keeps happening, restart Escape Hatch.'] }) },
        ...state.errors,
      ].slice(0, MAX_SHOWN),
    })),
  dismiss: (id) => set((state) => ({ errors: state.errors.filter((e) => e.id !== id) })),
}))
