/**
 * What the start screen says about starting something new. Kept as data so it is obvious what this build can do:
 * when a flow lands (its screen, or its CLI command), its entry changes here in the same commit.
 */
export interface StartAction {
  id: 'new-escape' | 'drill'
  title: string
  purpose: string
  /** True when the action can be done today (in the window or from the CLI). */
  available: boolean
  /** What doing it takes, in this build. */
  needs: string
}

export const startActions: readonly StartAction[] = [
  {
    id: 'new-escape',
    title: 'Start a new escape',
    purpose: 'Get your funds out of an OP Stack or Arbitrum rollup using Ethereum (L1) alone, when the operator will not help.',
    available: false,
    needs:
      'Starting an escape needs the rollup flows (rebuilding your balance from L1, building and checking the proof, signing the L1 transactions), which are still being built.',
  },
  {
    id: 'drill',
    title: 'Practise with a drill',
    purpose: 'Rehearse a whole escape on a private test chain on this computer, with no real money involved.',
    available: false,
    needs: 'The drill needs the embedded test chain and the escape flows; until they land there is no drill to run, here or from the command line.',
  },
]
