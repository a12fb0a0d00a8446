/**
 * What the app can do on each kind of network, said plainly. Facts about what the app does today, not about what
 * the chain allows: where the chain allows something the app does not do yet, the level is 'not-yet'.
 * Base: notes/op-stack.md §9 (Azul, 2026-05-28). Nova: AnyTrust DAS certificates (notes/arbitrum-nitro.md batch kinds).
 */
import type { LiveParameter, SupportFact } from './networkEntry'

const OP_REBUILD: SupportFact = {
  topic: 'rebuild-from-l1',
  level: 'supported',
  says: 'Rebuild the L2 chain from L1 alone: derive its blocks from the batches and deposits on L1 (`escape-hatch op derive`, the app’s rebuild screen), and execute them from the genesis state to an output root of our own (`escape-hatch op rebuild`).',
}
const OP_STATUS: SupportFact = {
  topic: 'status',
  level: 'supported',
  says: 'Diagnose an address from L1: its forced withdrawals and proven withdrawals, with stage, blocker, game clock, proof maturity and airgap dates (`escape-hatch status`, the app’s Diagnosis screen).',
}
const OP_FORCED_INCLUSION: SupportFact = {
  topic: 'forced-inclusion',
  level: 'supported',
  says: 'Force your withdrawal in from L1: one OptimismPortal.depositTransaction per asset (ETH, standard-bridge tokens) that derivation must include within the sequencing window (`escape-hatch op escape`).',
}
const OP_WITHDRAWALS: SupportFact = {
  topic: 'withdrawals',
  level: 'supported',
  says: 'Prove against a dispute game whose root claim was checked (or one created with our own output root), resolve, wait out proof maturity and the airgap, and finalize on L1 — a journaled job that resumes after a crash (`escape-hatch op escape`, `escape-hatch jobs resume`).',
}

/** OP Mainnet and OP Sepolia: standard OP Stack chains with permissionless fault proofs. */
export const STANDARD_OP_SUPPORT: readonly SupportFact[] = [
  OP_REBUILD,
  OP_STATUS,
  OP_FORCED_INCLUSION,
  OP_WITHDRAWALS,
]

/** Base since Azul (2026-05-28): not a standard OP Stack chain for proving. Nothing here may read as full support. */
export const BASE_SUPPORT: readonly SupportFact[] = [
  {
    topic: 'forced-inclusion',
    level: 'not-yet',
    says: 'Forced inclusion through the portal’s depositTransaction still works on Base; the app does not send it yet.',
  },
  {
    topic: 'withdrawals',
    level: 'unsupported',
    says: 'Since Azul (2026-05-28) Base proves withdrawals with its own contracts (AggregateVerifier games) and TEE or ZK proofs, which the app cannot create. Proving and finalizing on Base are not supported.',
  },
  {
    topic: 'rebuild-from-l1',
    level: 'limited',
    says: 'Base follows its own rules since Azul (2026-05-28): only blocks before Azul can be rebuilt from L1 here; later blocks are unsupported.',
  },
]

export const OP_DEVNET_SUPPORT: readonly SupportFact[] = [
  { ...OP_REBUILD, says: 'Rebuild from L1: derive the devnet chain’s blocks from its L1 and execute them from its genesis (with `devnet up`, the devnet OP L2 and its genesis file).' },
  OP_FORCED_INCLUSION,
  OP_WITHDRAWALS,
]

/** An OP Stack chain from the user's rollup.json: the rules the app follows are op-node's. */
export function customOpSupport(altDaEnabled: boolean): readonly SupportFact[] {
  if (altDaEnabled) {
    return [{ topic: 'rebuild-from-l1', level: 'unsupported', says: 'This chain uses Alt-DA: its batch data is not on L1, and the app cannot rebuild it.' }, OP_FORCED_INCLUSION]
  }
  return [{ ...OP_REBUILD, says: `${OP_REBUILD.says} Only for a chain that follows op-node’s rules as its rollup.json describes.` }, OP_FORCED_INCLUSION, OP_WITHDRAWALS]
}

const ARB_FORCED_INCLUSION: SupportFact = {
  topic: 'forced-inclusion',
  level: 'supported',
  says: 'Put your L2 transaction in the delayed inbox on L1 and force it in after the delay read from L1 (`escape-hatch arb escape`).',
}
const ARB_WITHDRAWALS: SupportFact = {
  topic: 'withdrawals',
  level: 'supported',
  says: 'Withdraw through the Outbox once the send root is confirmed on L1; the proof is checked against that root first (`escape-hatch arb escape`).',
}
const ARB_STATUS: SupportFact = {
  topic: 'status',
  level: 'supported',
  says: 'Diagnose an address from L1: delayed messages, force-inclusion deadline, withdrawals and their stage (`escape-hatch arb status`).',
}
const ARB_BATCH_DATA: SupportFact = {
  topic: 'batch-data',
  level: 'supported',
  says: 'Batches are posted on L1 (calldata or blobs) and can be decoded offline (`escape-hatch arb decode-batch`).',
}
const ANYTRUST_BATCH_DATA: SupportFact = {
  topic: 'batch-data',
  level: 'limited',
  says: 'This is an AnyTrust chain: its batches are DAS certificates. The data behind one is fetched from the committee’s DAS endpoints (`escape-hatch arb decode-batch --das-url URL` or --das-url-list; Nova’s list is https://nova.arbitrum.io/das-servers) and used only if it matches the certificate’s data hash; the committee’s BLS signature is not checked. Forced inclusion and Outbox exits need no batch data.',
}

export const ARBITRUM_SUPPORT: readonly SupportFact[] = [ARB_FORCED_INCLUSION, ARB_WITHDRAWALS, ARB_STATUS, ARB_BATCH_DATA]

export const ARBITRUM_NOVA_SUPPORT: readonly SupportFact[] = [
  { ...ARB_FORCED_INCLUSION, says: `${ARB_FORCED_INCLUSION.says} Same contracts as Arbitrum One; not yet rehearsed on Nova itself.` },
  { ...ARB_WITHDRAWALS, says: `${ARB_WITHDRAWALS.says} Same contracts as Arbitrum One; not yet rehearsed on Nova itself.` },
  ARB_STATUS,
  ANYTRUST_BATCH_DATA,
]

export const ARBITRUM_DEVNET_SUPPORT: readonly SupportFact[] = [
  { ...ARB_FORCED_INCLUSION, says: `${ARB_FORCED_INCLUSION.says} On the devnet: real L1 contracts, a simulated L2 (not ArbOS).` },
  ARB_WITHDRAWALS,
  ARB_STATUS,
]

/** An Orbit chain from the user's file: the same contracts, checked against its Bridge on L1 before use. */
export const CUSTOM_ARBITRUM_SUPPORT: readonly SupportFact[] = [
  { ...ARB_FORCED_INCLUSION, says: `${ARB_FORCED_INCLUSION.says} Only for an Orbit chain with the standard Nitro contracts; the file’s addresses are checked against its Bridge on L1.` },
  ARB_WITHDRAWALS,
  ARB_STATUS,
  { ...ANYTRUST_BATCH_DATA, level: 'limited', says: 'If the chain posts its batches on L1 they can be decoded; if it is an AnyTrust chain, its batch data is fetched from a DAS endpoint you give (--das-url) and checked against the certificate.' },
]

/** Read from L1 every time (shared/rollups/op-stack …, derive/systemConfig.ts). */
export const OP_LIVE_PARAMETERS: readonly LiveParameter[] = [
  { name: 'batcher, gas limit and fee scalars (ConfigUpdate events)', contract: 'SystemConfig' },
  { name: 'respectedGameType', contract: 'OptimismPortal2 / AnchorStateRegistry' },
  { name: 'proofMaturityDelaySeconds', contract: 'OptimismPortal2' },
  { name: 'disputeGameFinalityDelaySeconds', contract: 'AnchorStateRegistry' },
  { name: 'anchor root', contract: 'AnchorStateRegistry' },
  { name: 'initBonds, game implementations', contract: 'DisputeGameFactory' },
]

/** Read from L1 every time (shared/rollups/arbitrum-nitro/status/readArbitrumParameters.ts). */
export const ARBITRUM_LIVE_PARAMETERS: readonly LiveParameter[] = [
  { name: 'rollup, sequencerInbox, allowed inbox and outbox (the wiring check)', contract: 'Bridge' },
  { name: 'delayBlocks, delaySeconds (maxTimeVariation)', contract: 'SequencerInbox' },
  { name: 'delay buffer', contract: 'SequencerInbox' },
  { name: 'confirmPeriodBlocks, latest confirmed assertion', contract: 'Rollup' },
  { name: 'delayed message count', contract: 'Bridge' },
]
