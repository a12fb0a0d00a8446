/**
 * viem clients to the devnet's own nodes (its anvil L1 and its local L2), for the drill's devnet side, tests and
 * benches. The devnet is ours, so these trust their answers; every client to a user's endpoint is built in
 * electron/services/l1 instead (the L1 gateway and the untrusted L2 client).
 */
import { createPublicClient, createWalletClient, http, type Account, type Chain, type PublicClient, type Transport, type WalletClient } from 'viem'

export interface DevnetClientOptions {
  chain?: Chain
  pollingInterval?: number
  retryCount?: number
  timeoutMs?: number
}

function devnetTransport(url: string, o: DevnetClientOptions): Transport {
  return http(url, { ...(o.retryCount === undefined ? {} : { retryCount: o.retryCount }), ...(o.timeoutMs === undefined ? {} : { timeout: o.timeoutMs }) })
}

/** A read client to a devnet node; no caching, so a block mined by the test is seen at once. */
export function devnetPublicClient(url: string, o: DevnetClientOptions = {}): PublicClient {
  return createPublicClient({ transport: devnetTransport(url, o), cacheTime: 0, ...(o.chain ? { chain: o.chain } : {}), ...(o.pollingInterval ? { pollingInterval: o.pollingInterval } : {}) }) as PublicClient
}

/** A wallet client of a devnet account (anvil's deterministic keys, or a test's own). */
export function devnetWalletClient<C extends Chain | undefined = undefined>(url: string, account: Account, o: DevnetClientOptions & { chain?: C } = {}): WalletClient<Transport, C, Account> {
  return createWalletClient({ account, transport: devnetTransport(url, o), ...(o.chain ? { chain: o.chain } : {}) }) as WalletClient<Transport, C, Account>
}
