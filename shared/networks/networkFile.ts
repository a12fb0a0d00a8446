/**
 * Network files: a chain the user describes in a file, and the files the running devnet writes for its own chains.
 * Three shapes are read, each validated with zod (the file is untrusted):
 * - an OP Stack rollup.json (op-node format; also the `op-chain-config/v1` wrapper);
 * - an Arbitrum network: an @arbitrum/sdk / Orbit deployment JSON (`chainId`, `parentChainId`, `ethBridge`) or the
 *   app's ArbitrumNetwork shape;
 * - the app's own network file (`format: "escape-hatch-network/v1"`), which names the network and carries one of the
 *   two above. The devnet writes this one, with a `devnet` marker saying which process serves it.
 * Support facts are never taken from a file: they follow from the stack (a file cannot claim support).
 */
import { z } from 'zod'
import { address } from '../rollups/arbitrum-nitro/network'
import { ArbNetworkConfigError } from '../rollups/arbitrum-nitro/errors'
import { arbitrumNetworkFromJson } from '../rollups/arbitrum-nitro/networks'
import { InvalidRollupConfigError, parseRollupConfig } from '../rollups/op-stack/config/rollupConfig'
import { rollupConfigToJson } from '../rollups/op-stack/config/rollupConfigToJson'
import { arbitrumNetworkEntry, opNetworkEntry } from './buildNetworkEntry'
import { isBuiltInNetworkId } from './builtInNetworks'
import { NetworkConfigError } from './errors'
import { NETWORK_ID_PATTERN, type NetworkEntry } from './networkEntry'
import { ARBITRUM_DEVNET_SUPPORT, CUSTOM_ARBITRUM_SUPPORT, customOpSupport, OP_DEVNET_SUPPORT } from './supportFacts'

export const NETWORK_FILE_FORMAT = 'escape-hatch-network/v1'
/** A network file is a few KiB (a rollup.json is the largest); anything far larger is not one. */
export const MAX_NETWORK_FILE_BYTES = 256 * 1024

const networkId = z.string().regex(NETWORK_ID_PATTERN, 'expected lower-case letters, digits and dashes (at most 63)')
const devnetMarker = z.strictObject({
  /** The process serving the devnet (`escape-hatch devnet up`); the registry lists the network only while it runs. */
  pid: z.number().int().positive().max(2 ** 31),
  startedAt: z.iso.datetime(),
  /**
   * The devnet OP L2 (when it runs): its JSON-RPC (an untrusted L2 node like any other) and the files a rebuild from
   * L1 needs (`op rebuild --genesis`, the OP escape's rebuild source).
   */
  opL2: z
    .strictObject({
      rpcUrl: z.url().max(200),
      rollupJson: z.string().min(1).max(4096),
      genesisJson: z.string().min(1).max(4096),
    })
    .optional(),
})
export type DevnetMarker = z.infer<typeof devnetMarker>

const ownFileSchema = z.discriminatedUnion('stack', [
  z.strictObject({
    format: z.literal(NETWORK_FILE_FORMAT),
    id: networkId,
    name: z.string().min(1).max(100),
    stack: z.literal('op-stack'),
    rollupConfig: z.unknown(),
    /** Addresses beyond the rollup config's, by role (e.g. disputeGameFactory). */
    l1Addresses: z.record(z.string().regex(/^[A-Za-z][A-Za-z0-9]{0,63}$/), address).optional(),
    devnet: devnetMarker.optional(),
  }),
  z.strictObject({
    format: z.literal(NETWORK_FILE_FORMAT),
    id: networkId,
    name: z.string().min(1).max(100),
    stack: z.literal('arbitrum-nitro'),
    arbitrum: z.unknown(),
    devnet: devnetMarker.optional(),
  }),
])
export type NetworkFile = z.input<typeof ownFileSchema>

export interface ParsedNetworkFile {
  entry: NetworkEntry
  /** Set on the files the devnet writes. */
  devnet: DevnetMarker | undefined
}

/**
 * Parse the text of a network file. `source` names it in errors (the path, or "the devnet network file …").
 * A file may not take a built-in id: `op-mainnet` always means the compiled-in OP Mainnet.
 */
export function parseNetworkFile(text: string, source: string): ParsedNetworkFile {
  if (text.length > MAX_NETWORK_FILE_BYTES) {
    throw new NetworkConfigError(`${source} is too large to be a network file (more than ${MAX_NETWORK_FILE_BYTES} bytes).`)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new NetworkConfigError(`${source} is not valid JSON.`, { details: error instanceof Error ? error.message : String(error), cause: error })
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new NetworkConfigError(`${source} is not a network description (expected a JSON object).`)
  }
  try {
    if ('format' in json) return parseOwnFile(json, source)
    if ('genesis' in json || 'rollupConfig' in json) {
      const rollupConfig = parseRollupConfig(json)
      return {
        entry: opNetworkEntry({ id: `op-chain-${rollupConfig.l2ChainId}`, name: `OP Stack chain ${rollupConfig.l2ChainId}`, source: 'file', rollupConfig, support: customOpSupport(rollupConfig.altDaEnabled) }),
        devnet: undefined,
      }
    }
    if ('ethBridge' in json || 'kind' in json) {
      const arbitrum = arbitrumNetworkFromJson(json, source)
      return { entry: arbitrumNetworkEntry({ id: `arbitrum-chain-${arbitrum.l2ChainId}`, source: 'file', arbitrum, support: CUSTOM_ARBITRUM_SUPPORT }), devnet: undefined }
    }
  } catch (error) {
    throw asNetworkError(error, source)
  }
  throw new NetworkConfigError(`${source} is not a network description this app knows.`, {
    steps: [
      'Give an OP Stack rollup.json (op-node format), an Arbitrum Orbit or @arbitrum/sdk network JSON (chainId, parentChainId, ethBridge), or an escape-hatch network file.',
      'Or name a known network by id: `escape-hatch networks` lists them.',
    ],
  })
}

function parseOwnFile(json: object, source: string): ParsedNetworkFile {
  const parsed = ownFileSchema.safeParse(json)
  if (!parsed.success) {
    throw new NetworkConfigError(`${source} is not a valid ${NETWORK_FILE_FORMAT} network file.`, {
      details: parsed.error.issues.slice(0, 10).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
    })
  }
  const f = parsed.data
  if (isBuiltInNetworkId(f.id)) {
    throw new NetworkConfigError(`${source} names itself "${f.id}", the id of a built-in network.`, { steps: ['Give the file another id, or use the built-in network by its id.'] })
  }
  const entrySource = f.devnet ? 'devnet' : 'file'
  let entry: NetworkEntry
  if (f.stack === 'op-stack') {
    const rollupConfig = parseRollupConfig(f.rollupConfig)
    const support = f.devnet ? OP_DEVNET_SUPPORT : customOpSupport(rollupConfig.altDaEnabled)
    entry = opNetworkEntry({ id: f.id, name: f.name, source: entrySource, rollupConfig, extraL1Addresses: f.l1Addresses, support })
  } else {
    const support = f.devnet ? ARBITRUM_DEVNET_SUPPORT : CUSTOM_ARBITRUM_SUPPORT
    entry = arbitrumNetworkEntry({ id: f.id, name: f.name, source: entrySource, arbitrum: arbitrumNetworkFromJson(f.arbitrum, source), support })
  }
  return { entry, devnet: f.devnet }
}

function asNetworkError(error: unknown, source: string): unknown {
  if (error instanceof InvalidRollupConfigError) {
    return new NetworkConfigError(`${source} is not a valid OP Stack rollup.json.`, {
      steps: ['Check that the file is the chain’s rollup.json (op-node format, snake_case fields), e.g. from the superchain registry.'],
      details: error.details,
      cause: error,
    })
  }
  if (error instanceof ArbNetworkConfigError) {
    return new NetworkConfigError(`${source} is not a valid Arbitrum network description.`, {
      steps: ['Check the file: an Orbit or @arbitrum/sdk network JSON needs chainId, parentChainId and ethBridge {bridge, inbox, sequencerInbox, outbox, rollup}.'],
      details: error.details,
      cause: error,
    })
  }
  return error
}

/** The app's own network file for an entry (the devnet writes these). */
export function toNetworkFile(entry: NetworkEntry, devnet?: DevnetMarker): NetworkFile {
  const common = { format: NETWORK_FILE_FORMAT, id: entry.id, name: entry.name, ...(devnet ? { devnet } : {}) } as const
  if (entry.stack === 'op-stack') {
    const { optimismPortal: _p, systemConfig: _s, batchInbox: _b, superchainConfig: _c, ...extra } = entry.l1Addresses
    return { ...common, stack: 'op-stack', rollupConfig: rollupConfigToJson(entry.rollupConfig), ...(Object.keys(extra).length > 0 ? { l1Addresses: extra } : {}) }
  }
  return { ...common, stack: 'arbitrum-nitro', arbitrum: entry.arbitrum }
}
