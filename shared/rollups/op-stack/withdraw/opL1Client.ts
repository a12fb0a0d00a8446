/**
 * The L1 read port of the OP Stack withdraw side: the part of a viem PublicClient it uses. The Node side passes the
 * L1 gateway (electron/services/l1/openL1Gateway: every read pinned, cross-checked, logs checked against receipts);
 * tests pass the gateway over the devnet's anvil. Every read that decides something passes `blockNumber` so one
 * decision is made at one L1 block.
 */
import { BaseError, ContractFunctionRevertedError, ContractFunctionZeroDataError, type PublicClient } from 'viem'

export type OpL1Client = Pick<PublicClient, 'readContract' | 'getLogs' | 'getBlock' | 'getBlockNumber'>

/** A read that reverted (a function this contract version does not have), as opposed to a transport failure. */
export function isRevert(e: unknown): boolean {
  return e instanceof BaseError && e.walk((x) => x instanceof ContractFunctionRevertedError || x instanceof ContractFunctionZeroDataError) !== null
}
