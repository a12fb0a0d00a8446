import { useId } from 'react'
import type { EscapeError } from '../../../shared/errors/EscapeError'

export interface ErrorPanelProps {
  error: Pick<EscapeError, 'name' | 'shortMessage' | 'steps' | 'kind' | 'details' | 'cause'>
  /** What the app was doing, e.g. "Loading the jobs list". */
  context?: string
  /** `alert` interrupts screen readers: use it for errors that just happened, not for a recorded step failure. */
  live?: boolean
  onDismiss?: () => void
  /** Heading level in the page outline (2 for app-level errors, 3 inside a screen section). */
  level?: 2 | 3 | 4
}

const KIND_LABELS: Record<string, string> = {
  temporary: 'Temporary problem',
  critical: 'Stopped',
  'user-action': 'Needs your action',
}

/** An error as the user needs it: what happened, what to do next, and the technical details folded away. */
export function ErrorPanel({ error, context, live = true, onDismiss, level = 3 }: ErrorPanelProps) {
  const headingId = useId()
  const Heading = `h${level}` as const
  const details = technicalDetails(error)
  return (
    <section className={`error-panel error-${error.kind}`} role={live ? 'alert' : undefined} aria-labelledby={headingId}>
      <p className="error-kind">
        <span className="error-kind-label">{KIND_LABELS[error.kind] ?? error.kind}</span>
        {context && <span className="error-context"> · {context}</span>}
      </p>
      <Heading id={headingId} className="error-message">
        {error.shortMessage}
      </Heading>
      {error.steps.length > 0 && (
        <>
          <p className="error-steps-title">What you can do</p>
          <ol className="error-steps">
            {error.steps.map((step, i) => (
              <li key={i}>{step}</li>
            ))}
          </ol>
        </>
      )}
      <details className="error-details">
        <summary>Technical details</summary>
        <pre>{details}</pre>
      </details>
      {onDismiss && (
        <button type="button" className="button-secondary" onClick={onDismiss}>
          Dismiss
        </button>
      )}
    </section>
  )
}

function technicalDetails(error: ErrorPanelProps['error']): string {
  const lines: string[] = []
  let current: unknown = error
  for (let depth = 0; current && depth < 8; depth++) {
    const e = current as Partial<EscapeError> & { message?: string }
    const text = e.shortMessage ?? e.message ?? String(current)
    lines.push(`${depth === 0 ? '' : 'Caused by: '}${e.name ?? 'Error'}: ${text}`)
    if (e.details) lines.push(...e.details.split('\n').map((l) => `  ${l}`))
    current = e.cause
  }
  return lines.join('\n')
}
