/**
 * Known Arbitrum chains, and custom Orbit chains from a config file. Addresses here are only where to look: every
 * one is checked against the Bridge on L1 before use (readArbitrumParameters), and all timing parameters are read
 * live from L1, never taken from this file.
 */
import { z } from 'zod'
import { ArbNetworkConfigError } from './errors'
import { arbitrumNetworkSchema, type ArbitrumNetwork } from './network'

/**
 * Arbitrum One (nitro cmd/chaininfo/arbitrum_chain_info.json; @arbitrum/sdk networks). The rollup is the BoLD rollup
 * deployed by the BoLD upgrade; the Bridge's `rollup()` is read at start and must agree.
 */
export const ARBITRUM_ONE: ArbitrumNetwork = {
  kind: 'arbitrum-nitro',
  name: 'Arbitrum One',
  l1ChainId: 1,
  l2ChainId: 42161,
  contracts: {
    rollup: '0x4DCeB440657f21083db8aDd07665f8ddBe1DCfc0',
    bridge: '0x8315177aB297bA92A06054cE80a67Ed4DBd7ed3a',
    inbox: '0x4Dbd4fc535Ac27206064B68FfCf827b0A60BAB3f',
    sequencerInbox: '0x1c479675ad559DC151F6Ec7ed3FbF8ceE79582B6',
    outbox: '0x0B9857ae2D4A3DBe74ffE1d7DF045bb7F96E4840',
  },
  l2GenesisBlock: 22207818,
  l1StartBlock: 15411056,
  // @arbitrum/sdk mainnetBridge (arbitrum-sdk packages/sdk/src/lib/dataEntities/networks.ts) and docs.arbitrum.io useful-addresses.
  tokenBridge: { l1GatewayRouter: '0x72Ce9c846789fdB6fC1f34aC4AD25Dd9ef7031ef' },
}

/** Arbitrum Sepolia (@arbitrum/sdk networks). The rollup address is [unverified] here; the Bridge's rollup() decides. */
export const ARBITRUM_SEPOLIA: ArbitrumNetwork = {
  kind: 'arbitrum-nitro',
  name: 'Arbitrum Sepolia',
  l1ChainId: 11155111,
  l2ChainId: 421614,
  contracts: {
    rollup: '0x042B2E6C5E99d4c521bd49beeD5E99651D9B0Cf4',
    bridge: '0x38f918D0E9F1b721EDaA41302E399fa1B79333a9',
    inbox: '0xaAe29B0366299461418F5324a79Afc425BE5ae21',
    sequencerInbox: '0x6c97864CE4bEf387dE0b3310A44230f7E3F1be0D',
    outbox: '0x65f07C7D521164a4d5DaC6eB8Fac8DA067A3B78F',
  },
  l2GenesisBlock: 0,
}

/**
 * Arbitrum Nova, an AnyTrust chain: its batches are usually DAS certificates (0x80/0x88), the data itself is held by
 * the Data Availability Committee. Bridge, Inbox, SequencerInbox and the deployment block: nitro
 * cmd/chaininfo/arbitrum_chain_info.json ("nova"); Outbox: @arbitrum/sdk src/lib/dataEntities/networks.ts (42170).
 * Rollup: the BoLD rollup that replaced the classic one (0xFb2098…EAD88 in both files above) in February 2025, as
 * listed for Nova in unruggable-gateways src/arbitrum/BoLDRollup.ts (arbNovaMainnetConfig). As for every network,
 * the Bridge's `rollup()` is read on L1 at start and must agree.
 */
export const ARBITRUM_NOVA: ArbitrumNetwork = {
  kind: 'arbitrum-nitro',
  name: 'Arbitrum Nova',
  l1ChainId: 1,
  l2ChainId: 42170,
  contracts: {
    rollup: '0xE7E8cCC7c381809BDC4b213CE44016300707B7Bd',
    bridge: '0xC1Ebd02f738644983b6C4B2d440b8e77DdE276Bd',
    inbox: '0xc4448b71118c9071Bcb9734A0EAc55D18A153949',
    sequencerInbox: '0x211E1c4c7f1bF5351Ac850Ed10FD68CFfCF6c21b',
    outbox: '0xD4B80C3D7240325D18E645B49e6535A3Bf95cc58',
  },
  l2GenesisBlock: 0,
  l1StartBlock: 15016829,
  // docs.arbitrum.io useful-addresses (Nova L1GatewayRouter).
  tokenBridge: { l1GatewayRouter: '0xC840838Bc438d73C16c2f8b22D2Ce3669963cD48' },
  // nitro cmd/chaininfo (nova: node.data-availability.rest-aggregator.online-url-list).
  dasRestUrlList: 'https://nova.arbitrum.io/das-servers',
}

/** A config file is a few hundred bytes; refuse anything that is clearly not one. */
export const MAX_NETWORK_CONFIG_BYTES = 64 * 1024

/**
 * Parse a custom Orbit chain config (JSON text, untrusted). Accepts the app's own shape, or an @arbitrum/sdk /
 * Orbit deployment file with `chainId`, `parentChainId`, `ethBridge {bridge, inbox, sequencerInbox, outbox, rollup}`.
 */
export function parseArbitrumNetworkConfig(text: string, source = 'the network config file'): ArbitrumNetwork {
  if (text.length > MAX_NETWORK_CONFIG_BYTES) throw new ArbNetworkConfigError(`${source} is too large to be a network config.`)
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new ArbNetworkConfigError(`${source} is not valid JSON.`, { cause: error })
  }
  return arbitrumNetworkFromJson(json, source)
}

/** The same, from already-parsed JSON (the network registry reads the file once and picks the stack by its shape). */
export function arbitrumNetworkFromJson(json: unknown, source = 'the network config file'): ArbitrumNetwork {
  const direct = arbitrumNetworkSchema.safeParse(json)
  if (direct.success) return direct.data
  const sdk = sdkShape.safeParse(json)
  if (sdk.success) {
    const s = sdk.data
    const fromSdk = arbitrumNetworkSchema.safeParse({
      kind: 'arbitrum-nitro',
      name: s.name ?? `Orbit chain ${s.chainId}`,
      l1ChainId: s.parentChainId,
      l2ChainId: s.chainId,
      contracts: { ...s.ethBridge },
    })
    if (fromSdk.success) return fromSdk.data
    throw new ArbNetworkConfigError(`${source} is not an Arbitrum network description.`, { details: issues(fromSdk.error) })
  }
  throw new ArbNetworkConfigError(`${source} is not an Arbitrum network description.`, { details: issues(direct.error) })
}

function issues(error: z.ZodError): string {
  return error.issues.slice(0, 10).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')
}

const sdkShape = z.object({
  name: z.string().optional(),
  chainId: z.number().int().positive(),
  parentChainId: z.number().int().positive(),
  ethBridge: z.object({ bridge: z.string(), inbox: z.string(), sequencerInbox: z.string(), outbox: z.string(), rollup: z.string() }),
})
