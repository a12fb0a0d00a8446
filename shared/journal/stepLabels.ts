/**
 * Step names in plain words, for every screen and report (the window, the HTML reports main writes). A journal's step
 * names are kebab-case identifiers ("sign-l2-tx"); the steps of the known jobs have a sentence each, any other name
 * reads as words. Pure: shared by the renderer and main.
 */
const UPPERCASE_WORDS = new Set(['l1', 'l2', 'eth', 'op', 'rpc', 'kzg'])

/** Step names are kebab-case identifiers in the journal ("sign-l2-tx"); show them as words ("Sign L2 tx"). */
export function stepLabel(name: string): string {
  const words = name
    .split(/[-_\s]+/)
    .filter(Boolean)
    .map((word) => (UPPERCASE_WORDS.has(word.toLowerCase()) ? word.toUpperCase() : word))
  const text = words.join(' ')
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** Plain names for every step of the known job kinds (a name not listed reads as words, format.ts stepLabel). */
export const ESCAPE_STEP_LABELS: Readonly<Record<string, string>> = {
  prepare: 'Check the rollup contracts and your balances',
  'sign-l2-tx': 'Sign your L2 withdrawal (not sent on L2)',
  'send-l2-message': 'Put it into the L1 delayed inbox',
  'track-message': 'Find it in the L1 inbox',
  'wait-force-inclusion': 'Wait for the force-inclusion delay',
  'force-inclusion': 'Force its inclusion from L1',
  'detect-sequencing': 'See it included on L2',
  'wait-confirmation': 'Wait for the L2 state to be confirmed on L1',
  'execute-withdrawal': 'Take the ETH out on L1',
  'send-forced-withdrawal': 'Force the withdrawal through L1 (a deposit)',
  'track-deposit': 'See the deposit included on L2',
  'find-withdrawal': 'Find the withdrawal in the L2 state',
  'choose-game': 'Choose (or create) a dispute game with a checked output root',
  'check-game': 'Re-execute the L2 up to the game’s block to check its claim',
  prove: 'Prove the withdrawal on L1',
  'wait-game': 'Wait for the dispute game’s clock',
  resolve: 'Resolve the dispute game',
  'wait-finalization': 'Wait for the proof delay and the finality airgap',
  finalize: 'Finalize: take the funds out on L1',
}

/** Steps a drill adds around its escape job, and those of the retryable redeem job. */
export const DRILL_STEP_LABELS: Readonly<Record<string, string>> = {
  'devnet-setup': 'Start the test chain and censor you',
  'drill-checks': 'Check balances, replay and roots',
  'find-ticket': 'Find the retryable ticket from L1',
  'confirm-redeem': 'See the ticket redeemed on L2',
}

/**
 * The plain name of any step of an escape or a drill (proof rounds: `prove#2` → "… (round 2)"; a transaction's step
 * with what it is for: `prove/0` → "Prove the withdrawal on L1 (0)").
 */
export function plainStepName(name: string): string {
  const slash = name.indexOf('/')
  if (slash > 0) return `${plainStepName(name.slice(0, slash))} (${name.slice(slash + 1)})`
  const base = name.replace(/#\d+$/, '')
  const label = DRILL_STEP_LABELS[base] ?? ESCAPE_STEP_LABELS[base]
  if (!label) return stepLabel(name)
  return base === name ? label : `${label} (round ${name.slice(base.length + 1)})`
}
