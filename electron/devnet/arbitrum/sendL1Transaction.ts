/**
 * The Arbitrum devnet's L1 transactions go through the devnet's one sender (../sendDevnetTransaction.ts); this module
 * only fixes the positional shape its many call sites use and the steps that fit a running devnet.
 */
import type { Hex, TransactionReceipt } from 'viem'
import { connectDevnetL1, sendDevnetTransaction, type DevnetErrorClass, type DevnetL1 } from '../sendDevnetTransaction'

export type { DevnetKey } from '../sendDevnetTransaction'
export type L1Clients = DevnetL1

/** viem clients for the devnet L1 (loopback anvil), with the chain id read once from the node. */
export function createL1Clients(rpcUrl: string): Promise<L1Clients> {
  return connectDevnetL1(rpcUrl)
}

/** Send one L1 transaction and wait for its receipt; any failure becomes `ErrorClass` naming `step`. */
export function sendL1Transaction(clients: L1Clients, step: string, ErrorClass: DevnetErrorClass, send: () => Promise<Hex>): Promise<TransactionReceipt> {
  return sendDevnetTransaction({
    l1: clients,
    step,
    ErrorClass,
    send,
    steps: ['Check that the devnet L1 (anvil) is running and was not reset, then start the devnet again.'],
  })
}
