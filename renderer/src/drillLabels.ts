/**
 * What each line of the drill's plan does, in the user's words: the drill service's own steps (devnet-setup,
 * drill-checks) and the escape or redeem job's steps, named as everywhere else (shared/journal/stepLabels.ts).
 */
export { plainStepName as drillStepLabel } from '../../shared/journal/stepLabels'
