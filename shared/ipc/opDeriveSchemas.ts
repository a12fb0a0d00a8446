/**
 * What the window may ask of, and see about, rebuilding an OP Stack chain from L1 ("what does L1 alone say the L2
 * chain contains"): the request (which chain, which L1 endpoints, how far, which address to look for), the live
 * progress of the one run in progress, and its bounded result. Zod schemas, so both ends of the IPC boundary check
 * them. Read-only: nothing here signs or sends anything.
 *
 * The result is bounded whatever the range: the last blocks in full, plus every block with a user deposit or a
 * transaction touching the highlighted address (each list capped, with counts of what did not fit).
 */
import { z } from 'zod'
import { SerializedErrorSchema } from './wire'

const isoTime = z.iso.datetime()
const hash32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'expected a 32-byte hash') as unknown as z.ZodType<`0x${string}`, `0x${string}`>
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, 'expected a 20-byte 0x-hex address') as unknown as z.ZodType<`0x${string}`, `0x${string}`>
/** Wei amounts are decimal strings (they exceed 2^53). */
const decimal = z.string().regex(/^(0|[1-9][0-9]*)$/, 'expected a decimal integer string').max(80)
const count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)
const blockNumber = count
const text = (max: number) => z.string().max(max)

/** Registry ids the window may pick (shared/networks): the built-in OP Stack networks and the running devnet's. */
export const OP_DERIVE_NETWORKS = ['op-mainnet', 'op-sepolia', 'base', 'devnet-op'] as const
/** A rollup.json is a few KiB; anything far larger is not one (and is refused before it is parsed). */
export const MAX_ROLLUP_JSON_CHARS = 256 * 1024
export const MAX_L1_RPC_URLS = 5
/** Last blocks of the run kept in full in the result. */
export const OP_DERIVE_RECENT_BLOCKS = 20
/** Blocks with user deposits, and blocks touching the highlighted address, each kept up to this many (the first ones). */
export const OP_DERIVE_LISTED_BLOCKS = 200
/** Transactions shown per block (the highlighted and deposit ones first). */
export const OP_DERIVE_TXS_PER_BLOCK = 50

export const OpDeriveRunIdSchema = z.string().regex(/^op-derive-[A-Za-z0-9-]{8,100}$/, 'expected a run id like op-derive-2026-11-21T20-44-58-971Z-a1b2c3')

/** An http(s) URL: the endpoints the main process will read from on the user's behalf. */
export const EndpointUrlSchema = z.url({ protocol: /^https?$/, hostname: /^[^\s]+$/, error: 'expected an http:// or https:// URL' }).max(2000)

/** Which chain: a registry network id, or the text of a rollup.json the user picked (validated in main). */
export const OpDeriveRollupSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('network'), network: z.enum(OP_DERIVE_NETWORKS) }),
  z.strictObject({
    kind: z.literal('rollup-json'),
    /** The file's name as the user picked it, for messages only (never opened by main). */
    fileName: text(255).optional(),
    text: z.string().min(2).max(MAX_ROLLUP_JSON_CHARS),
  }),
])

/**
 * Where derivation starts. 'genesis': the rollup's genesis, the one start that needs nothing but L1 (and reads all of
 * the chain's L1 history). 'anchor': the output root the chain's L1 contracts consider final (AnchorStateRegistry),
 * read at the finalized L1 head; the L2 blocks around it come from an untrusted L2 node and are checked against that
 * root before use (shared/rollups/op-stack/derive/start/planDerivationStart.ts).
 */
export const OpDeriveStartSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('genesis') }),
  z.strictObject({ kind: z.literal('anchor'), l2RpcUrl: EndpointUrlSchema }),
])

/** The last L1 block to read: a number, or a tag resolved when the run starts ('finalized' avoids L1 reorgs). */
export const OpDeriveToL1BlockSchema = z.union([blockNumber, z.enum(['finalized', 'safe', 'latest'])])

export const StartOpDeriveRequestSchema = z.strictObject({
  rollup: OpDeriveRollupSchema,
  /** Every endpoint is asked for every header; they must agree. */
  l1RpcUrls: z.array(EndpointUrlSchema).min(1).max(MAX_L1_RPC_URLS),
  /** Needed when the chain posts its batches in blobs. */
  beaconUrl: EndpointUrlSchema.optional(),
  start: OpDeriveStartSchema,
  toL1Block: OpDeriveToL1BlockSchema,
  /** Transactions whose sender or recipient is this address are marked and their blocks always listed. */
  highlightAddress: address.optional(),
})

export const OpDeriveRunStatusSchema = z.enum(['running', 'cancelling', 'completed', 'failed', 'cancelled'])

/** deriveL2Blocks' progress counters (shared/rollups/op-stack/derive/deriveL2Blocks.ts), plus the range. */
export const OpDeriveProgressSchema = z.strictObject({
  /** 'preparing': reading the config, the endpoints' chain and the range; 'deriving': reading L1 block by block. */
  phase: z.enum(['preparing', 'deriving', 'done']),
  l1From: blockNumber.optional(),
  l1To: blockNumber.optional(),
  l1Block: blockNumber.optional(),
  l1BlocksScanned: count,
  batcherTransactions: count,
  frames: count,
  framesDropped: count,
  channelsRead: count,
  channelsTimedOut: count,
  batchesRead: count,
  batchesDropped: count,
  l2BlocksDerived: count,
  emptyBatches: count,
  uncheckedParentHashes: count,
  /** The newest L2 block derived so far. */
  l2Head: blockNumber.optional(),
  /** Anchor start: L2 blocks fetched from the L2 node and verified against L1 while finding where to start. */
  anchorBlocksVerified: count.optional(),
  userDeposits: count,
  highlightedTxs: count,
})

export const OpDeriveTxSchema = z.strictObject({
  /** Position in the L2 block. */
  index: count,
  hash: hash32,
  /** 'l1-info': the block's first deposit (L1 attributes); 'upgrade': a network-upgrade deposit; 'sequenced': from the batcher. */
  kind: z.enum(['l1-info', 'deposit', 'upgrade', 'sequenced']),
  /** Deposits: the 0x7E `from` (aliased when an L1 contract deposited); sequenced: recovered from the signature. */
  from: address.optional(),
  /** Absent for a contract creation. */
  to: address.optional(),
  value: decimal,
  /** Deposits: ETH minted on L2 (paid on L1). */
  mint: decimal.optional(),
  /** How the highlighted address appears in this tx. */
  involves: z.array(z.enum(['sender', 'recipient', 'aliased-sender'])).max(3),
  /** Set when the bytes could not be decoded (the tx is still part of the block). */
  undecodable: text(500).optional(),
})

export const OpDeriveBlockSchema = z.strictObject({
  number: blockNumber,
  timestamp: count,
  l1Origin: z.strictObject({ number: blockNumber, hash: hash32 }),
  /** The L1 block whose reading produced this L2 block. */
  derivedFrom: blockNumber,
  sequenceNumber: count,
  /** Generated because the sequencing window passed with no batch: deposits only, no sequenced txs. */
  emptyBatch: z.boolean(),
  /** 'assumed-valid': not executed (honest-sequencer approximation: hash unknown, payload assumed valid). */
  execution: z.enum(['executed', 'assumed-valid']),
  txCount: count,
  depositCount: count,
  userDeposits: count,
  /** Why this block is listed. */
  reasons: z.array(z.enum(['recent', 'deposit', 'highlight'])).min(1).max(3),
  txs: z.array(OpDeriveTxSchema).max(OP_DERIVE_TXS_PER_BLOCK),
  /** Transactions of the block not listed in `txs`. */
  txsOmitted: count,
})

export const OpDeriveResultSchema = z.strictObject({
  /** Where derivation started: the genesis, or the anchor (its output root, and the L1 block it was read at). */
  start: z.strictObject({ kind: z.enum(['genesis', 'anchor']), l2Block: blockNumber, outputRoot: hash32.optional(), readAtL1Block: blockNumber.optional() }),
  l1From: blockNumber,
  /** The last L1 block fully read. */
  l1Reached: z.strictObject({ number: blockNumber, hash: hash32 }),
  /** The newest L2 block derived (the genesis block when none was). */
  safeHead: z.strictObject({ number: blockNumber, timestamp: count, l1Origin: z.strictObject({ number: blockNumber, hash: hash32 }) }),
  /** True when blocks were not executed (every result of this build): see OpDeriveBlockSchema.execution. */
  approximation: z.boolean(),
  highlightAddress: address.optional(),
  blocks: z.array(OpDeriveBlockSchema).max(OP_DERIVE_RECENT_BLOCKS + 2 * OP_DERIVE_LISTED_BLOCKS),
  /** Deposit / highlighted blocks beyond the list's cap (derived, but not listed). */
  depositBlocksNotListed: count,
  highlightBlocksNotListed: count,
})

export const OpDeriveRunSchema = z.strictObject({
  runId: OpDeriveRunIdSchema,
  status: OpDeriveRunStatusSchema,
  startedAt: isoTime,
  finishedAt: isoTime.optional(),
  /** What was asked, as the window shows it (endpoints by host only: URLs may carry API keys). */
  request: z.strictObject({
    chain: text(300),
    l2ChainId: count.optional(),
    start: z.enum(['genesis', 'anchor']),
    /** Anchor start: the L2 node, by host only. */
    l2Endpoint: text(300).optional(),
    toL1Block: OpDeriveToL1BlockSchema,
    l1Endpoints: z.array(text(300)).max(MAX_L1_RPC_URLS),
    beacon: z.boolean(),
    highlightAddress: address.optional(),
  }),
  /** Sequence number of the last progress event folded in; the next event has seq + 1. */
  seq: count,
  progress: OpDeriveProgressSchema,
  result: OpDeriveResultSchema.optional(),
  error: SerializedErrorSchema.optional(),
})

export const OpDeriveStatusSchema = z.strictObject({ run: OpDeriveRunSchema.optional() })

export const OpDeriveProgressEventSchema = z.strictObject({
  runId: OpDeriveRunIdSchema,
  seq: z.number().int().positive(),
  status: OpDeriveRunStatusSchema,
  progress: OpDeriveProgressSchema,
})

export const OpDeriveFinishedEventSchema = z.strictObject({
  runId: OpDeriveRunIdSchema,
  status: z.enum(['completed', 'failed', 'cancelled']),
  l2BlocksDerived: count,
  highlightedTxs: count,
  error: SerializedErrorSchema.optional(),
})

export type StartOpDeriveRequest = z.output<typeof StartOpDeriveRequestSchema>
export type OpDeriveRollup = z.output<typeof OpDeriveRollupSchema>
export type OpDeriveToL1Block = z.output<typeof OpDeriveToL1BlockSchema>
export type OpDeriveRunStatus = z.output<typeof OpDeriveRunStatusSchema>
export type OpDeriveProgressView = z.output<typeof OpDeriveProgressSchema>
export type OpDeriveTxView = z.output<typeof OpDeriveTxSchema>
export type OpDeriveBlockView = z.output<typeof OpDeriveBlockSchema>
export type OpDeriveResultView = z.output<typeof OpDeriveResultSchema>
export type OpDeriveRunView = z.output<typeof OpDeriveRunSchema>
export type OpDeriveStatusView = z.output<typeof OpDeriveStatusSchema>
export type OpDeriveProgressEvent = z.output<typeof OpDeriveProgressEventSchema>
export type OpDeriveFinishedEvent = z.output<typeof OpDeriveFinishedEventSchema>

/** Apply one progress event to a run snapshot (the service and the window's store both use this). */
export function applyOpDeriveProgress(run: OpDeriveRunView, event: OpDeriveProgressEvent): OpDeriveRunView {
  return { ...run, seq: event.seq, status: event.status, progress: event.progress }
}

/** An endpoint as the window shows it: scheme and host only (paths and queries often hold API keys). */
export function endpointLabel(url: string): string {
  // scheme://[userinfo@]host[:port] — the userinfo (a password, sometimes) is left out too.
  const match = /^(https?:)\/\/(?:[^/?#@]*@)?([^/?#@]+)/i.exec(url)
  return match ? `${match[1]!.toLowerCase()}//${match[2]!}` : '(invalid URL)'
}
