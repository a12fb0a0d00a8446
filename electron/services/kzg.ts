/**
 * The KZG port over c-kzg (native). The trusted setup (the mainnet ceremony output bundled with c-kzg) is loaded once
 * per process: loading takes ~2.5 s and c-kzg refuses a second load.
 */
import { createRequire } from 'node:module'
import type { Kzg } from '../../shared/l1/kzg'

interface CKzg {
  loadTrustedSetup(precompute: number, filePath?: string): void
  blobToKzgCommitment(blob: Uint8Array): Uint8Array
}

let instance: Kzg | undefined

/** The process-wide KZG instance; the first call loads the trusted setup (synchronously, ~2.5 s). */
export function loadKzg(): Kzg {
  if (instance) return instance
  // c-kzg is a CommonJS native addon; createRequire keeps it working under plain Node ESM, tsx and vitest alike.
  const cKzg = createRequire(import.meta.url)('c-kzg') as CKzg
  try {
    cKzg.loadTrustedSetup(0)
  } catch (e) {
    // Another module in this process (e.g. a library) may have loaded it already; c-kzg then throws. Anything else
    // (missing binary) resurfaces on the first commitment.
    if (!/already loaded/i.test(String((e as Error)?.message ?? e))) throw e
  }
  instance = { blobToKzgCommitment: (blob) => cKzg.blobToKzgCommitment(blob) }
  return instance
}
