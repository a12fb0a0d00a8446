/**
 * KZG over c-kzg (native), one per process. The trusted setup (the mainnet ceremony output bundled with c-kzg) is
 * loaded once: loading takes ~2.5 s and c-kzg refuses a second load.
 * - `loadKzg()`: the app's port (shared/l1/kzg.ts), used to verify blobs against their versioned hashes;
 * - `loadViemKzg()`: viem's KZG interface, used to build blob-carrying transactions (devnet batchers, tests);
 * - `cKzg()`: the library itself, for the point-evaluation precompile in L2 re-execution (state/createExecutionKzg).
 * c-kzg 4 takes `loadTrustedSetup(precompute, path?)`, so viem's own setupKzg cannot be used (tooling.md §1(a)).
 */
import { createRequire } from 'node:module'
import type * as CKzg from 'c-kzg'
import { defineKzg, type Kzg as ViemKzg } from 'viem'
import type { Kzg } from '../../shared/l1/kzg'

let cKzgInstance: typeof CKzg | undefined
let port: Kzg | undefined
let viemKzg: ViemKzg | undefined

/** The process's one c-kzg instance, its trusted setup loaded on first use (also used by the execution KZG). */
export function cKzg(): typeof CKzg {
  if (cKzgInstance) return cKzgInstance
  // c-kzg is a CommonJS native addon; createRequire keeps it working under plain Node ESM, tsx and vitest alike.
  const lib = createRequire(import.meta.url)('c-kzg') as typeof CKzg
  try {
    lib.loadTrustedSetup(0)
  } catch (e) {
    // Another module in this process (e.g. a library) may have loaded it already; c-kzg then throws. Anything else
    // (missing binary) resurfaces on the first commitment.
    if (!/already loaded/i.test(String((e as Error)?.message ?? e))) throw e
  }
  cKzgInstance = lib
  return lib
}

/** The process-wide KZG port; the first call loads the trusted setup (synchronously, ~2.5 s). */
export function loadKzg(): Kzg {
  if (port) return port
  const lib = cKzg()
  port = { blobToKzgCommitment: (blob) => lib.blobToKzgCommitment(blob) }
  return port
}

/** viem's KZG interface over the same c-kzg instance, for sending blob transactions. */
export function loadViemKzg(): ViemKzg {
  viemKzg ??= defineKzg(cKzg())
  return viemKzg
}
