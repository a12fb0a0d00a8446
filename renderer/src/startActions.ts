/**
 * What the start screen says about starting something new. Kept as data so it is obvious what this build can do:
 * when a flow gets its screen (or its CLI command), its entry changes here in the same commit.
 */
import { DRILL_HREF } from './stores/routeStore'

export interface StartAction {
  id: 'new-escape' | 'drill'
  title: string
  purpose: string
  /** Whether it can be done today, and where. */
  availability: 'command-line' | 'in-app'
  /** What doing it takes, in this build. */
  needs: string
  /** The command to run, when it is run from a terminal (or can also be). */
  command?: string
  /** In-app actions: the screen that does it, and the link's text. */
  href?: string
  linkLabel?: string
}

export const startActions: readonly StartAction[] = [
  {
    id: 'new-escape',
    title: 'Start a new escape',
    purpose: 'Get your ETH out of an Arbitrum chain using Ethereum (L1) alone, when the sequencer will not help.',
    availability: 'command-line',
    needs:
      'From a terminal for now, with your Ledger or an air-gapped signer: it plans the escape, signs and sends, and stops at each multi-day wait with the date and the command that resumes it. The job then appears in this window. To check an address first without signing anything: npx escape-hatch arb status --help',
    command: 'npx escape-hatch arb escape --help',
  },
  {
    id: 'drill',
    title: 'Practise with a drill',
    purpose: 'Rehearse a whole escape on a private test chain on this computer, with no real money involved.',
    availability: 'in-app',
    needs:
      'Runs here in a few seconds to a minute: the test chain’s sequencer censors you, and you get your test ETH out through L1 alone. Its journal stays in the drills folder of your data folder, apart from your real jobs. Also from a terminal:',
    command: 'npx escape-hatch drill --stack arbitrum',
    href: DRILL_HREF,
    linkLabel: 'Open the drill',
  },
]
