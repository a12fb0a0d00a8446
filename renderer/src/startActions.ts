/**
 * What the start screen says about starting something new. Kept as data so it is obvious what this build can do:
 * when a flow gets its screen (or its CLI command), its entry changes here in the same commit.
 */
import { DIAGNOSIS_HREF, DRILL_HREF } from './stores/routeStore'

export interface StartAction {
  id: 'diagnosis' | 'drill'
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
    id: 'diagnosis',
    title: 'See where a withdrawal stands',
    purpose: 'Paste an address or a transaction hash: its stage, what blocks it, the dates and the next action. Read-only; no key needed.',
    availability: 'in-app',
    needs: 'Needs an L1 RPC address. Saves a report (HTML + JSON) with RPC addresses cut to their host, for support. Also from a terminal:',
    command: 'npx escape-hatch status --help',
    href: DIAGNOSIS_HREF,
    linkLabel: 'Diagnose',
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
