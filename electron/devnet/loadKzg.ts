import { createRequire } from 'node:module'
import type * as CKzg from 'c-kzg'
import { defineKzg, type Kzg } from 'viem'

let kzg: Kzg | undefined

/**
 * viem's KZG interface over c-kzg (native), with the mainnet trusted setup loaded once per process (~2.5 s).
 * c-kzg 4 takes `loadTrustedSetup(precompute, path?)`, so viem's setupKzg cannot be used (tooling.md §1(a)).
 */
export function loadKzg(): Kzg {
  if (kzg) return kzg
  // c-kzg is CommonJS with a native addon; require keeps it out of ESM interop questions under tsx and vitest.
  const cKzg = createRequire(import.meta.url)('c-kzg') as typeof CKzg
  try {
    cKzg.loadTrustedSetup(0)
  } catch (error) {
    // Another module of this process loaded it first: that is the same setup, keep it.
    if (!/already loaded/i.test(String(error))) throw error
  }
  kzg = defineKzg(cKzg)
  return kzg
}
