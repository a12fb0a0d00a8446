import { LEDGER_HREF } from '../stores/routeStore'
import { useLedgerStore } from '../stores/ledgerStore'

/**
 * On every other screen: the Ledger is asking for approval now, or refused the last request and the user has
 * something to do (unlock, open the app, enable blind signing…). One line and a link to the Ledger screen.
 */
export function LedgerBanner() {
  const latest = useLedgerStore((s) => s.signings.at(-1))
  if (!latest) return null
  if (latest.state === 'signed') return null
  const says = latest.state === 'waiting-for-device' ? 'Your Ledger is asking you to approve a transaction.' : (latest.instruction?.title ?? 'Your Ledger did not sign.')
  return (
    <section className="ledger-banner" aria-label="Your Ledger needs you">
      <p>
        <strong>{says}</strong> <a href={LEDGER_HREF}>Open the Ledger screen</a> to see what it signs and what to do.
      </p>
    </section>
  )
}
