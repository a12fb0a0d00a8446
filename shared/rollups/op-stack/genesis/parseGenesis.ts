/**
 * A registry / geth-style L2 genesis file (`{ timestamp, extraData, gasLimit, ..., alloc }`), validated.
 * Alloc keys are addresses with or without 0x; `nonce` absent means 0; storage maps 32-byte slots to values.
 */
import { z } from 'zod'
import { EscapeError, registerErrorClass } from '../../../errors/EscapeError'
import type { Address, Hex } from 'viem'
import { SEQUENCER_FEE_VAULT } from '../../../eth/predeploys'

export class InvalidGenesisError extends EscapeError {
  override name = 'InvalidGenesisError'
  constructor(problem: string, cause?: unknown) {
    super('The L2 genesis file is not valid.', {
      kind: 'user-action',
      steps: ['Use the genesis file of this chain from the superchain registry (decompressed JSON), or the op-node genesis output.'],
      details: problem,
      cause,
    })
  }
}
registerErrorClass('InvalidGenesisError', InvalidGenesisError)

const hexData = z.string().regex(/^0x([0-9a-fA-F]{2})*$/, 'expected 0x-prefixed even-length hex')
const quantity = z
  .union([z.string().regex(/^(0x[0-9a-fA-F]+|[0-9]+)$/), z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)])
  .transform((v) => BigInt(v))
const word = z
  .string()
  .regex(/^(0x)?[0-9a-fA-F]{1,64}$/, 'expected up to 32 bytes of hex')
  .transform((s) => s.replace(/^0x/, '').toLowerCase().padStart(64, '0'))

const accountSchema = z.object({
  balance: quantity.optional(),
  nonce: quantity.optional(),
  code: hexData.optional(),
  storage: z.record(word, word).optional(),
})

const genesisSchema = z.object({
  nonce: quantity.optional(),
  timestamp: quantity,
  extraData: hexData.optional(),
  gasLimit: quantity,
  difficulty: quantity.optional(),
  mixHash: z.string().regex(/^0x[0-9a-fA-F]{64}$/).optional(),
  coinbase: z.string().regex(/^0x[0-9a-fA-F]{40}$/).optional(),
  number: quantity.optional(),
  gasUsed: quantity.optional(),
  parentHash: z.string().regex(/^0x[0-9a-fA-F]{64}$/).optional(),
  baseFeePerGas: quantity.nullish(),
  alloc: z.record(z.string().regex(/^(0x)?[0-9a-fA-F]{40}$/, 'alloc keys must be addresses'), accountSchema),
})

export interface GenesisAccount {
  address: Address
  nonce: bigint
  balance: bigint
  code: Hex
  /** 64-hex-char slot → 64-hex-char value, without 0x. */
  storage: Record<string, string>
}

export interface Genesis {
  nonce: bigint
  timestamp: bigint
  extraData: Hex
  gasLimit: bigint
  difficulty: bigint
  mixHash: Hex
  coinbase: Address
  number: bigint
  gasUsed: bigint
  parentHash: Hex
  baseFeePerGas: bigint | undefined
  accounts: GenesisAccount[]
}

export function parseGenesis(json: unknown): Genesis {
  const r = genesisSchema.safeParse(json)
  if (!r.success) {
    const issue = r.error.issues[0]
    throw new InvalidGenesisError(`${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`, r.error)
  }
  const g = r.data
  const seen = new Set<string>()
  const accounts: GenesisAccount[] = []
  for (const [key, a] of Object.entries(g.alloc)) {
    const address = `0x${key.replace(/^0x/, '').toLowerCase()}` as Address
    if (seen.has(address)) throw new InvalidGenesisError(`account ${address} appears twice in alloc`)
    seen.add(address)
    accounts.push({ address, nonce: a.nonce ?? 0n, balance: a.balance ?? 0n, code: (a.code ?? '0x') as Hex, storage: a.storage ?? {} })
  }
  return {
    nonce: g.nonce ?? 0n,
    timestamp: g.timestamp,
    extraData: (g.extraData ?? '0x') as Hex,
    gasLimit: g.gasLimit,
    difficulty: g.difficulty ?? 0n,
    mixHash: (g.mixHash ?? `0x${'00'.repeat(32)}`) as Hex,
    coinbase: (g.coinbase ?? SEQUENCER_FEE_VAULT).toLowerCase() as Address,
    number: g.number ?? 0n,
    gasUsed: g.gasUsed ?? 0n,
    parentHash: (g.parentHash ?? `0x${'00'.repeat(32)}`) as Hex,
    baseFeePerGas: g.baseFeePerGas ?? undefined,
    accounts,
  }
}
