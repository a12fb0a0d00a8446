/**
 * One network the app knows, whatever its stack: the shape the CLI (`--network`), the app and `escape-hatch networks`
 * all use. Addresses here are only where to look: every one is checked against L1 when used, and every timing
 * parameter is read live from L1 (`liveParameters` names them), never taken from here.
 */
import type { ArbitrumNetwork } from '../rollups/arbitrum-nitro/network'
import type { RollupConfig } from '../rollups/op-stack/config/rollupConfig'

export type NetworkStack = 'op-stack' | 'arbitrum-nitro'

/** Where the entry comes from: compiled in, written by the running devnet, or a file the user gave. */
export type NetworkSource = 'built-in' | 'devnet' | 'file'

/** What the user wants to do on a network. */
export type SupportTopic = 'forced-inclusion' | 'withdrawals' | 'status' | 'rebuild-from-l1' | 'batch-data'

/**
 * supported: the app does it on this network today. limited: it does part of it (the fact says which part).
 * not-yet: the chain allows it; the app does not do it yet. unsupported: the app cannot do it on this network.
 */
export type SupportLevel = 'supported' | 'limited' | 'not-yet' | 'unsupported'

export interface SupportFact {
  topic: SupportTopic
  level: SupportLevel
  /** One or two plain sentences for the user. */
  says: string
}

/** A parameter the app reads from L1 every time it needs it (never from this entry). */
export interface LiveParameter {
  name: string
  /** The L1 contract it is read from. */
  contract: string
}

interface NetworkEntryBase {
  /** What `--network` takes: lower-case letters, digits and dashes. */
  id: string
  name: string
  source: NetworkSource
  l1ChainId: number
  l2ChainId: number
  /** L1 addresses to look at, by role. Checked against L1 on use. */
  l1Addresses: Readonly<Record<string, `0x${string}`>>
  liveParameters: readonly LiveParameter[]
  support: readonly SupportFact[]
}

export interface OpStackNetworkEntry extends NetworkEntryBase {
  stack: 'op-stack'
  rollupConfig: RollupConfig
}

export interface ArbitrumNetworkEntry extends NetworkEntryBase {
  stack: 'arbitrum-nitro'
  arbitrum: ArbitrumNetwork
}

export type NetworkEntry = OpStackNetworkEntry | ArbitrumNetworkEntry

/** A network id: what `--network` and the network files use. */
export const NETWORK_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/

/** The devnet's networks, present while a devnet runs (`escape-hatch devnet up`). */
export const DEVNET_NETWORK_IDS = { op: 'devnet-op', arbitrum: 'devnet-arbitrum' } as const

export const STACK_LABELS: Readonly<Record<NetworkStack, string>> = { 'op-stack': 'OP Stack', 'arbitrum-nitro': 'Arbitrum Nitro' }
