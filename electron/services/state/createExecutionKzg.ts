/**
 * KZG for the EIP-4844 point-evaluation precompile (0x0a) during L2 re-execution, over c-kzg. The trusted setup is
 * loaded on the first verification only (~2.5 s), so blocks that never call 0x0a pay nothing. Only `verifyProof`
 * is used by the EVM; the other members of @ethereumjs' KZG interface refuse loudly.
 */
import { createRequire } from 'node:module'
import type * as CKzg from 'c-kzg'
import type { CustomCrypto } from '@ethereumjs/common'

type EthereumjsKzg = NonNullable<CustomCrypto['kzg']>

let lib: typeof CKzg | undefined

function cKzg(): typeof CKzg {
  if (lib) return lib
  const loaded = createRequire(import.meta.url)('c-kzg') as typeof CKzg
  try {
    loaded.loadTrustedSetup(0)
  } catch (e) {
    // c-kzg refuses a second load in one process (electron/services/kzg.ts may have loaded it): that is fine.
    if (!/already loaded/i.test(String((e as Error)?.message ?? e))) throw e
  }
  lib = loaded
  return loaded
}

const bytes = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex.replace(/^0x/, ''), 'hex'))

export function createExecutionKzg(): EthereumjsKzg {
  const unused = (): never => {
    throw new Error('not used by L2 execution')
  }
  return {
    verifyProof: (commitment, z, y, proof) => cKzg().verifyKzgProof(bytes(commitment), bytes(z), bytes(y), bytes(proof)),
    blobToKzgCommitment: unused,
    computeBlobProof: unused,
    verifyBlobProofBatch: unused,
    computeCells: unused,
    computeCellsAndProofs: unused,
    recoverCellsAndProofs: unused,
    verifyCellKzgProofBatch: unused,
  }
}
