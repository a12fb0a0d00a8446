/**
 * `debug_executionWitness` answers (op-geth, op-reth, reth: `{ state, codes, keys, headers }`, each a list of hex
 * preimages, headers RLP-encoded; some nodes answer maps hash → preimage instead) turned into one preimage table keyed
 * by keccak256. The node's keys are never trusted: every entry is re-keyed by its own hash here, and the witness store
 * then only answers lookups the parent state root leads to, so a lying node can only make execution fail loudly.
 */
import { keccak_256 } from '@noble/hashes/sha3.js'
import { z } from 'zod'
import { hexBytes, toHex, type Hex } from '../../../eth/bytes'
import { UntrustedL2DataError } from '../derive/start/errors'

const hexString = z.string().regex(/^0x([0-9a-fA-F]{2})*$/, 'expected 0x-prefixed hex bytes')
const preimages = z.union([z.array(hexString), z.record(z.string(), hexString)])
const witnessSchema = z.object({
  state: preimages.optional(),
  codes: preimages.optional(),
  keys: preimages.optional(),
  headers: z.array(z.union([hexString, z.record(z.string(), z.unknown())])).optional(),
})

export interface ParseExecutionWitnessParameters {
  json: unknown
  blockNumber: bigint
  /** Names the node in errors (host only). */
  node: string
  /** Bound on the number of entries (default 1,000,000). */
  maxEntries?: number
}

export function parseExecutionWitness(p: ParseExecutionWitnessParameters): Record<Hex, Hex> {
  const parsed = witnessSchema.safeParse(p.json)
  const fail = (details: string): never => {
    throw new UntrustedL2DataError('malformed', `The L2 node's execution witness for block ${p.blockNumber} is not valid debug_executionWitness output.`, { node: p.node, details })
  }
  if (!parsed.success) return fail(parsed.error.message.slice(0, 500))
  const w = parsed.data
  const values: string[] = []
  for (const part of [w.state, w.codes, w.keys]) {
    if (part === undefined) continue
    values.push(...(Array.isArray(part) ? part : Object.values(part)))
  }
  for (const h of w.headers ?? []) {
    // JSON header objects (an old geth shape) carry nothing execution needs that the replay does not already hold.
    if (typeof h === 'string') values.push(h)
  }
  const max = p.maxEntries ?? 1_000_000
  if (values.length > max) fail(`${values.length} entries (limit ${max})`)
  const table: Record<Hex, Hex> = {}
  for (const v of values) {
    if (v === '0x') continue
    table[toHex(keccak_256(hexBytes(v)))] = v.toLowerCase() as Hex
  }
  return table
}
