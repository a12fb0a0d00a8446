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
  availability: 'not-yet' | 'command-line' | 'in-app'
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
    purpose: 'Get your funds out of an OP Stack or Arbitrum rollup using Ethereum (L1) alone, when the operator will not help.',
    availability: 'not-yet',
    needs:
      'Starting an escape on a real network is not wired to this window or the command line yet. You can already check an Arbitrum address from L1 alone (delayed messages, force-inclusion deadline, withdrawals) in a terminal:',
    command: 'npx escape-hatch arb status --help',
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
