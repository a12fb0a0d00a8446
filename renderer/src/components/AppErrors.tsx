import { useErrorStore } from '../stores/errorStore'
import { ErrorPanel } from './ErrorPanel'

/** Errors from the window's own work (connecting, loading, refused requests, blocked links), newest first. */
export function AppErrors() {
  const { errors, dismiss } = useErrorStore()
  if (errors.length === 0) return null
  return (
    <div className="app-errors">
      {errors.map(({ id, context, error }) => (
        <ErrorPanel key={id} error={error} context={context} level={2} onDismiss={() => dismiss(id)} />
      ))}
    </div>
  )
}
