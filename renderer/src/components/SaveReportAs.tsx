import { useId, useState, type FormEvent } from 'react'
import type { ReportDestination } from '../../../shared/ipc/drillSchemas'
import { useAppStore } from '../stores/appStore'

/**
 * "Save report as…" for a report of HTML + JSON (job, diagnosis): the app asks where with the system's save dialog
 * (main opens it); a window without one (the loopback bridge) takes a typed path, which main checks before writing.
 */
export function SaveReportAs({ save, busy, example }: { save: (to: ReportDestination) => void; busy: boolean; example: string }) {
  const fileDialog = useAppStore((s) => s.info?.fileDialog === true)
  const [typing, setTyping] = useState(false)
  const [typed, setTyped] = useState('')
  const pathId = useId()
  const onSaveTyped = (event: FormEvent) => {
    event.preventDefault()
    save({ kind: 'path', path: typed.trim() })
  }
  return (
    <>
      <button
        type="button"
        className="button-secondary"
        disabled={busy}
        aria-expanded={fileDialog ? undefined : typing}
        onClick={() => (fileDialog ? save({ kind: 'choose' }) : setTyping(true))}
      >
        Save report as…
      </button>
      {typing && !fileDialog && (
        <form className="drill-save-path" onSubmit={onSaveTyped}>
          <label htmlFor={pathId}>Save the report to (the full path of a new or existing .html file; the .json goes beside it)</label>
          <input id={pathId} type="text" autoComplete="off" spellCheck={false} value={typed} onChange={(e) => setTyped(e.target.value)} placeholder={example} />
          <button type="submit" className="button-primary" disabled={busy || typed.trim() === ''}>
            Save here
          </button>
        </form>
      )}
    </>
  )
}
