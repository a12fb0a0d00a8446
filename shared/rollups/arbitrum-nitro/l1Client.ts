/**
 * The L1 and L2 read ports: the part of a viem PublicClient this module uses. The Node side passes a real client
 * (electron/services, with the user's endpoints); tests pass a client on the devnet's anvil. L1 answers are trusted
 * only as far as the user's L1 endpoints are (DESIGN.md); L2 answers are never trusted on their own.
 */
import type { PublicClient } from 'viem'

export type ArbL1Client = Pick<
  PublicClient,
  'readContract' | 'getLogs' | 'getBlockNumber' | 'getBlock' | 'getTransaction' | 'getTransactionReceipt' | 'getChainId'
>

/** `call` is only for NodeInterface (0xc8) reads, whose answers are verified against L1 (readNodeInterfaceProof). */
export type ArbL2Client = Pick<PublicClient, 'getLogs' | 'getBlockNumber' | 'getChainId' | 'getTransactionCount' | 'getBalance' | 'getTransactionReceipt' | 'getBlock' | 'call'>

export { getLogsChunked } from '../../l1/getLogsChunked'
