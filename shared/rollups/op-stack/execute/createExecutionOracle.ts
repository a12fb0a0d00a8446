/**
 * The ExecutionOracle that exact derivation asks (derive/l2Types.ts): executes derived payload attributes on top of
 * a parent block found by hash in the state store, keeps the new header in the store (for the next block and for
 * BLOCKHASH), and answers valid + block hash, or invalid when the payload breaks a transaction or block rule (the
 * engine's INVALID; derivation then drops it or, from Holocene, replaces it with its deposits).
 * Problems that are not the payload's fault — missing state, an unsupported fork — are thrown, never reported as an
 * invalid payload: that would make derivation silently take a different chain.
 */
import { hexToBytes, type Hex } from 'viem'
import type { RollupConfig } from '../config/rollupConfig'
import type { ExecutionOracle, ExecutionResult, L2BlockRef, PayloadAttributes as DerivedAttributes } from '../derive/l2Types'
import type { StateNodeStore } from '../state/StateNodeStore'
import { BlockExecutionError } from './errors'
import { executeBlock, type ExecuteBlockParameters, type ExecuteBlockReturnType } from './executeBlock'
import { fromDerivedAttributes } from './fromDerivedAttributes'
import { decodeHeader, encodeHeader } from '../../../eth/header'

export interface CreateExecutionOracleParameters {
  config: RollupConfig
  /** Full state (e.g. FileStateStore) holding the parent's state and header. */
  store: StateNodeStore
  kzg?: ExecuteBlockParameters['kzg']
  /** Called with every block executed as valid (e.g. to checkpoint a persistent store). */
  onExecuted?: (result: ExecuteBlockReturnType) => void
}

export function createExecutionOracle(parameters: CreateExecutionOracleParameters): ExecutionOracle {
  const { config, store } = parameters
  return {
    async execute(parentRef: L2BlockRef, attributes: DerivedAttributes): Promise<ExecutionResult> {
      const number = BigInt(parentRef.number + 1)
      if (parentRef.hash === undefined) {
        throw new BlockExecutionError('invalid-input', number, 'parent hash', 'the parent block was never executed, so its state is unknown')
      }
      const raw = store.get(hexToBytes(parentRef.hash))
      if (!raw) throw new BlockExecutionError('missing-witness-node', number, `header ${parentRef.hash}`, 'the parent header is not in the state store')
      const parent = { ...decodeHeader(raw), hash: parentRef.hash }
      if (parent.number !== BigInt(parentRef.number)) {
        throw new BlockExecutionError('invalid-input', number, `header ${parentRef.hash}`, `stored header is block ${parent.number}, derivation says ${parentRef.number}`)
      }
      try {
        const result = await executeBlock({
          config,
          parent,
          store,
          ...(parameters.kzg ? { kzg: parameters.kzg } : {}),
          attributes: fromDerivedAttributes(attributes),
        })
        store.put(hexToBytes(result.blockHash), encodeHeader(result.header))
        parameters.onExecuted?.(result)
        return { status: 'valid', blockHash: result.blockHash as Hex }
      } catch (e) {
        if (e instanceof BlockExecutionError && (e.problem === 'invalid-transaction' || e.problem === 'invalid-block')) {
          return { status: 'invalid', reason: `${e.item}: ${e.details ?? e.shortMessage}` }
        }
        throw e
      }
    },
  }
}
