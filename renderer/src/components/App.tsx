import { useEffect, useRef } from 'react'
import { useAppStore } from '../stores/appStore'
import { useRouteStore } from '../stores/routeStore'
import { AppErrors } from './AppErrors'
import { DiagnosisScreen } from './DiagnosisScreen'
import { DrillScreen } from './DrillScreen'
import { EscapeWizard } from './EscapeWizard'
import { JobDetail } from './JobDetail'
import { JobsList } from './JobsList'
import { LedgerBanner } from './LedgerBanner'
import { LedgerScreen } from './LedgerScreen'
import { OpDeriveScreen } from './OpDeriveScreen'
import { StartScreen } from './StartScreen'

const PLATFORM_LABELS = { linux: 'Linux', darwin: 'macOS', win32: 'Windows', other: 'this system' } as const

/** The shell: header, the jobs list, and the current screen. Keyboard order follows the visual order. */
export function App() {
  const route = useRouteStore((s) => s.route)
  const { connection, info } = useAppStore()
  const mainRef = useRef<HTMLElement>(null)
  const firstRoute = useRef(true)

  // Going back to the start screen moves focus to its heading (the job screen does this itself once loaded); the
  // very first render leaves focus at the top so Tab starts from the beginning of the page.
  useEffect(() => {
    if (firstRoute.current) {
      firstRoute.current = false
      return
    }
    if (route.screen === 'start') document.getElementById('main-heading')?.focus()
  }, [route])

  return (
    <div className="app">
      <button type="button" className="skip-link" onClick={() => (document.getElementById('main-heading') ?? mainRef.current)?.focus()}>
        Skip to main content
      </button>
      <header className="app-header">
        <a className="app-name" href="#/" aria-label="Escape Hatch — start screen">
          Escape Hatch
        </a>
        <p className="app-status" aria-live="polite">
          {connection === 'connecting' && 'Connecting…'}
          {connection === 'failed' && 'Not connected'}
          {connection === 'lost' && <strong className="not-connected">Not connected — the Escape Hatch service stopped answering</strong>}
          {connection === 'ready' && info && (
            <>
              Version {info.version} · {PLATFORM_LABELS[info.platform]} · {info.dataDirKind === 'custom' ? 'custom data folder' : 'default data folder'}
            </>
          )}
        </p>
      </header>
      <div className="layout">
        <JobsList />
        <main id="main" ref={mainRef} tabIndex={-1}>
          {connection === 'lost' && (
            <p className="connection-lost" role="alert">
              Not connected: this window lost the Escape Hatch service. Nothing is lost — every job is saved on disk. Restart Escape Hatch; it reopens
              each job where it stopped.
            </p>
          )}
          <AppErrors />
          {route.screen !== 'ledger' && <LedgerBanner />}
          {route.screen === 'start' && <StartScreen />}
          {route.screen === 'drill' && <DrillScreen />}
          {route.screen === 'op-derive' && <OpDeriveScreen />}
          {route.screen === 'escape' && <EscapeWizard />}
          {route.screen === 'diagnosis' && <DiagnosisScreen />}
          {route.screen === 'ledger' && <LedgerScreen />}
          {route.screen === 'job' && <JobDetail key={route.jobId} jobId={route.jobId} />}
        </main>
      </div>
    </div>
  )
}
