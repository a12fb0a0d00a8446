/**
 * KZG for the EIP-4844 point-evaluation precompile (0x0a) during L2 re-execution, over c-kzg. The trusted setup is
 * loaded on the first verification only (~2.5 s), so blocks that never call 0x0a pay nothing. Only `verifyProof`
 * is used by the EVM; the other members of @ethereumjs' KZG interface refuse loudly.
 */
import type { CustomCrypto } from '@ethereumjs/common'
import { cKzg } from '../kzg'

type EthereumjsKzg = NonNullable<CustomCrypto['kzg']>

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
