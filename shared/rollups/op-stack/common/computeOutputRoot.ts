/**
 * Output root version 0: keccak256(version ‖ stateRoot ‖ messagePasserStorageRoot ‖ blockHash).
 * Spec: specs/protocol/proposals.md §"L2 Output Commitment Construction"; equals Hashing.hashOutputRootProof.
 * In op-stack/common (not proof/) because three stages need it: the executor gives each block's output root, the
 * mid-chain derivation start checks an L2 block against the output root posted on L1, and proofs are built on it;
 * derive/ and execute/ must not import proof/ (lint enforces the direction), so it sits below all of them.
 */
import { concatHex, keccak256, type Hex } from 'viem'

export const OUTPUT_ROOT_VERSION_0: Hex = '0x0000000000000000000000000000000000000000000000000000000000000000'

export interface OutputRootProof {
  version: Hex
  stateRoot: Hex
  messagePasserStorageRoot: Hex
  latestBlockhash: Hex
}

export type ComputeOutputRootParameters = Omit<OutputRootProof, 'version'> & { version?: Hex }

export function computeOutputRoot(parameters: ComputeOutputRootParameters): Hex {
  const version = parameters.version ?? OUTPUT_ROOT_VERSION_0
  for (const [name, v] of Object.entries({ version, ...parameters })) {
    if (!/^0x[0-9a-fA-F]{64}$/.test(v)) throw new TypeError(`${name} must be 32 bytes of hex`)
  }
  if (version !== OUTPUT_ROOT_VERSION_0) throw new TypeError(`unknown output root version ${version}`)
  return keccak256(concatHex([version, parameters.stateRoot, parameters.messagePasserStorageRoot, parameters.latestBlockhash]))
}
