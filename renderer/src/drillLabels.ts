/**
 * What each line of the drill's plan does, in the user's words. The names are the drill service's plan
 * (electron/services/drill/createDrillService.ts) and the Arbitrum escape job's steps (arbitrumEscapeJob.ts); a name
 * this list does not know is shown as words (format.ts stepLabel), so a new step still reads sensibly.
 */
import { stepLabel } from './format'

const DRILL_STEP_LABELS: Record<string, string> = {
  'devnet-setup': 'Start the test chain and censor you',
  prepare: 'Check the rollup contracts on L1',
  'sign-l2-tx': 'Sign the L2 withdrawal (not sent)',
  'send-l2-message': 'Put it into the L1 delayed inbox',
  'track-message': 'Find the delayed message on L1',
  'wait-force-inclusion': 'Wait out the force-inclusion delay',
  'force-inclusion': 'Force its inclusion from L1',
  'detect-sequencing': 'See it sequenced on L1',
  'wait-confirmation': 'Wait for the state to be confirmed',
  'execute-withdrawal': 'Execute the withdrawal on L1',
  'drill-checks': 'Check balance, replay and send root',
}

export function drillStepLabel(name: string): string {
  return DRILL_STEP_LABELS[name] ?? stepLabel(name)
}
