/**
 * A typed job step: its name in the journal and the zod schema of its journaled result. The schema is the step's
 * contract in both directions: `z.encode` turns what the step produced into the JSON that is journaled (bigints become
 * decimal strings, as every journal has always stored them), and `z.decode` turns a journaled result back into typed
 * values when a resumed run skips the step. Downstream steps receive the typed value, never raw JSON.
 *
 * Old journals replay unchanged: a schema describes the JSON today's and earlier versions wrote (new fields optional).
 */
import { z } from 'zod'
import type { JsonValue } from '../../../shared/journal/records'

/** A schema whose input side is JSON (what the journal holds) and whose output side is the step's typed result. */
export type StepResultSchema = z.ZodType<unknown, JsonValue>

export interface StepDefinition<N extends string = string, S extends StepResultSchema = StepResultSchema> {
  readonly name: N
  readonly result: S
}

export type StepResult<D extends StepDefinition> = z.output<D['result']>

export function defineStep<const N extends string, S extends StepResultSchema>(definition: { name: N; result: S }): StepDefinition<N, S> {
  return Object.freeze({ name: definition.name, result: definition.result })
}

/** Integers beyond 2^53 (block numbers, wei, indexes) as the journal stores them: decimal strings ⇄ bigint. */
export const decimalBigint = z.codec(z.string().regex(/^(0|[1-9][0-9]*)$/, 'expected a decimal integer string'), z.bigint().nonnegative(), {
  decode: (s) => BigInt(s),
  encode: (n) => n.toString(),
})

export const hexString = z.custom<`0x${string}`>((v) => typeof v === 'string' && /^0x[0-9a-fA-F]*$/.test(v), 'expected 0x-prefixed hex')
export const hash32 = z.custom<`0x${string}`>((v) => typeof v === 'string' && /^0x[0-9a-fA-F]{64}$/.test(v), 'expected a 32-byte hash')
export const addressString = z.custom<`0x${string}`>((v) => typeof v === 'string' && /^0x[0-9a-fA-F]{40}$/.test(v), 'expected an address')
