/**
 * The `op-executor-vector/v1` file: a parent header, payload attributes, a witness (preimages by hash) and the
 * rollup config, plus optionally the expected block hash / state root (fixtures/vectors/README.md §1). Validated
 * with zod; this is untrusted input for `escape-hatch op replay-block`.
 */
import { z } from 'zod'
import type { Hex } from 'viem'
import { parseRollupConfig, type RollupConfig } from '../config/rollupConfig'
import { BlockExecutionError } from './errors'
import type { PayloadAttributes } from './executeBlock'
import { type BlockHeader } from '../../../eth/header'

const hash = z.string().regex(/^0x[0-9a-fA-F]{64}$/).transform((s) => s.toLowerCase() as Hex)
const data = z.string().regex(/^0x([0-9a-fA-F]{2})*$/).transform((s) => s.toLowerCase() as Hex)
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/).transform((s) => s.toLowerCase() as Hex)
const qty = z.union([z.string().regex(/^0x[0-9a-fA-F]+$/), z.number().int().nonnegative()]).transform((v) => BigInt(v))

const headerSchema = z.object({
  parentHash: hash,
  sha3Uncles: hash,
  miner: address,
  stateRoot: hash,
  transactionsRoot: hash,
  receiptsRoot: hash,
  logsBloom: z.string().regex(/^0x[0-9a-fA-F]{512}$/).transform((s) => s.toLowerCase() as Hex),
  difficulty: qty,
  number: qty,
  gasLimit: qty,
  gasUsed: qty,
  timestamp: qty,
  extraData: data,
  mixHash: hash,
  nonce: z.string().regex(/^0x[0-9a-fA-F]{16}$/).transform((s) => s.toLowerCase() as Hex),
  baseFeePerGas: qty,
  withdrawalsRoot: hash.nullish(),
  blobGasUsed: qty.nullish(),
  excessBlobGas: qty.nullish(),
  parentBeaconBlockRoot: hash.nullish(),
  requestsHash: hash.nullish(),
  hash: hash.optional(),
})

const attributesSchema = z.object({
  timestamp: qty,
  prevRandao: hash,
  suggestedFeeRecipient: address,
  parentBeaconBlockRoot: hash.nullish(),
  transactions: z.array(data).max(100_000),
  gasLimit: qty,
  eip1559Params: z.string().regex(/^0x[0-9a-fA-F]{16}$/).nullish(),
  minBaseFee: qty.nullish(),
})

const vectorSchema = z.object({
  schema: z.literal('op-executor-vector/v1'),
  blockNumber: z.number().int().nonnegative().optional(),
  parentHeader: headerSchema,
  payloadAttributes: attributesSchema,
  expectedBlockHash: hash.nullish(),
  expectedStateRoot: hash.nullish(),
  rollupConfig: z.unknown(),
  witness: z.record(z.string(), z.string()),
})

export interface ExecutorVector {
  blockNumber: bigint
  parent: BlockHeader
  attributes: PayloadAttributes
  config: RollupConfig
  witness: Record<string, string>
  expectedBlockHash: Hex | undefined
  expectedStateRoot: Hex | undefined
}

/** One block's payload attributes as JSON (quantities as 0x-hex or numbers), validated. */
export function parsePayloadAttributes(json: unknown, blockNumber?: bigint): PayloadAttributes {
  const r = attributesSchema.safeParse(json)
  if (!r.success) {
    const issue = r.error.issues[0]
    throw new BlockExecutionError('invalid-input', blockNumber, issue?.path.join('.') || 'attributes', `invalid payload attributes: ${issue?.message ?? ''}`, r.error)
  }
  const a = r.data
  return {
    timestamp: a.timestamp,
    prevRandao: a.prevRandao,
    suggestedFeeRecipient: a.suggestedFeeRecipient,
    parentBeaconBlockRoot: a.parentBeaconBlockRoot ?? undefined,
    transactions: a.transactions,
    gasLimit: a.gasLimit,
    eip1559Params: (a.eip1559Params ?? undefined) as Hex | undefined,
    minBaseFee: a.minBaseFee ?? undefined,
  }
}

export function parseExecutorVector(json: unknown): ExecutorVector {
  const r = vectorSchema.safeParse(json)
  if (!r.success) {
    const issue = r.error.issues[0]
    throw new BlockExecutionError('invalid-input', undefined, issue?.path.join('.') || 'file', `not an op-executor-vector/v1 file: ${issue?.message ?? ''}`, r.error)
  }
  const v = r.data
  const p = v.parentHeader
  const parent: BlockHeader = {
    ...p,
    withdrawalsRoot: p.withdrawalsRoot ?? undefined,
    blobGasUsed: p.blobGasUsed ?? undefined,
    excessBlobGas: p.excessBlobGas ?? undefined,
    parentBeaconBlockRoot: p.parentBeaconBlockRoot ?? undefined,
    requestsHash: p.requestsHash ?? undefined,
  }
  const a = v.payloadAttributes
  return {
    blockNumber: parent.number + 1n,
    parent,
    attributes: {
      timestamp: a.timestamp,
      prevRandao: a.prevRandao,
      suggestedFeeRecipient: a.suggestedFeeRecipient,
      parentBeaconBlockRoot: a.parentBeaconBlockRoot ?? undefined,
      transactions: a.transactions,
      gasLimit: a.gasLimit,
      eip1559Params: (a.eip1559Params ?? undefined) as Hex | undefined,
      minBaseFee: a.minBaseFee ?? undefined,
    },
    config: parseRollupConfig(v.rollupConfig),
    witness: v.witness,
    expectedBlockHash: v.expectedBlockHash ?? undefined,
    expectedStateRoot: v.expectedStateRoot ?? undefined,
  }
}
