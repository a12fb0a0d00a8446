/**
 * The devnet manifest: what a running devnet is (its L1 endpoints, accounts, and each rollup's L1 contracts and
 * parameters). `startDevnet` writes it to `<stateDir>/manifest.json`; the app, the CLI and drills read it like any
 * network description, so it is validated on the way in like any untrusted file.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { z } from 'zod'
import { EscapeError, registerErrorClass } from '../../shared/errors/EscapeError'
import { address, arbitrumNetworkSchema } from '../../shared/rollups/arbitrum-nitro/network'
import type { ArbitrumDevnetDeployment } from './arbitrum/deploy'
import type { OpStackDevnetDeployment } from './op/deploy'
import type { OpL2Devnet } from './op/l2/chain/deployOpStackWithL2'

export const DEVNET_MANIFEST_VERSION = 1
export const DEVNET_MANIFEST_FILE = 'manifest.json'
/** A manifest is a few KB; anything much larger is not one. */
const MAX_MANIFEST_BYTES = 1_000_000

export class DevnetManifestError extends EscapeError {
  override name = 'DevnetManifestError'
}
registerErrorClass('DevnetManifestError', DevnetManifestError)

const hash32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'expected a 32-byte 0x-hex value') as z.ZodType<`0x${string}`>
const uint = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)
const decimal = z.string().regex(/^[0-9]+$/, 'expected a decimal integer string')
const parameters = z.record(z.string(), z.union([z.string(), z.number()]))

export const opStackDevnetSchema = z.object({
  kind: z.literal('op-stack'),
  name: z.string(),
  l1ChainId: uint,
  l2ChainId: uint,
  contracts: z.object({
    proxyAdmin: address,
    addressManager: address,
    superchainConfig: address,
    systemConfig: address,
    optimismPortal: address,
    disputeGameFactory: address,
    anchorStateRegistry: address,
    delayedWeth: address,
    l1CrossDomainMessenger: address,
    l1StandardBridge: address,
    faultDisputeGame: address,
    mips: address,
    preimageOracle: address,
  }),
  implementations: z.object({
    superchainConfig: address,
    systemConfig: address,
    optimismPortal: address,
    disputeGameFactory: address,
    anchorStateRegistry: address,
    delayedWeth: address,
    l1CrossDomainMessenger: address,
    l1StandardBridge: address,
  }),
  versions: z.record(z.string(), z.string()),
  roles: z.object({ owner: address, guardian: address, batcher: address, proposer: address, challenger: address, unsafeBlockSigner: address }),
  batchInbox: address,
  respectedGameType: uint,
  startingAnchor: z.object({ root: hash32, l2BlockNumber: decimal }),
  absolutePrestate: hash32,
  parameters,
  startBlock: uint,
  deployedFromBlock: uint,
  source: z.object({ package: z.string(), version: z.string() }),
})

/** The devnet OP L2's genesis (when the devnet was started with it): what a rebuild from L1 must end up agreeing with. */
export const opL2DevnetSchema = z.object({
  l2ChainId: uint,
  genesisBlockHash: hash32,
  genesisOutputRoot: hash32,
  /** The L1 WETH98 and its OptimismMintableERC20 on L2 (the standard bridge's devnet token). */
  l1Token: address,
  l2Token: address,
})

export const arbitrumDevnetSchema = z.object({
  network: arbitrumNetworkSchema,
  parameters,
  extraContracts: z.record(z.string(), address),
  roles: z.object({ owner: address, validator: address, batchPoster: address }),
  wasmModuleRoot: hash32,
  chainConfig: z.string(),
  genesis: z.object({
    assertionHash: hash32,
    state: z.object({
      globalState: z.object({ bytes32Vals: z.tuple([hash32, hash32]), u64Vals: z.tuple([decimal, decimal]) }),
      machineStatus: uint,
      endHistoryRoot: hash32,
    }),
    nextInboxPosition: uint,
  }),
  createdAtBlock: uint,
  createRollupTxHash: hash32,
})

export const devnetAccountSchema = z.object({
  role: z.string(),
  address,
  /** The well-known development keys (public knowledge); drills sign with them. */
  privateKey: hash32,
})

export const devnetManifestSchema = z.object({
  version: z.literal(DEVNET_MANIFEST_VERSION),
  createdAt: z.string().datetime(),
  l1: z.object({
    rpcUrl: z.string().url(),
    beaconUrl: z.string().url(),
    chainId: uint,
    hardfork: z.string(),
    port: uint,
    /** The anvil process. */
    pid: uint,
  }),
  accounts: z.array(devnetAccountSchema),
  op: opStackDevnetSchema.optional(),
  opL2: opL2DevnetSchema.optional(),
  arbitrum: arbitrumDevnetSchema.optional(),
  /** Wall-clock milliseconds per phase, for the bench and the user. */
  timings: z.record(z.string(), z.number().nonnegative()),
})

export type DevnetManifest = z.infer<typeof devnetManifestSchema>
export type OpStackDevnetManifest = z.infer<typeof opStackDevnetSchema>
export type ArbitrumDevnetManifest = z.infer<typeof arbitrumDevnetSchema>
export type OpL2DevnetManifest = z.infer<typeof opL2DevnetSchema>

/** The JSON form of an Arbitrum deployment (its genesis u64 values are bigints). */
export function arbitrumManifestEntry(deployment: ArbitrumDevnetDeployment): ArbitrumDevnetManifest {
  const { globalState } = deployment.genesis.state
  return arbitrumDevnetSchema.parse({
    network: deployment.network,
    parameters: deployment.parameters,
    extraContracts: deployment.extraContracts,
    roles: deployment.roles,
    wasmModuleRoot: deployment.wasmModuleRoot,
    chainConfig: deployment.chainConfig,
    genesis: {
      assertionHash: deployment.genesis.assertionHash,
      state: {
        globalState: { bytes32Vals: [...globalState.bytes32Vals], u64Vals: globalState.u64Vals.map((v) => v.toString()) },
        machineStatus: deployment.genesis.state.machineStatus,
        endHistoryRoot: deployment.genesis.state.endHistoryRoot,
      },
      nextInboxPosition: deployment.genesis.nextInboxPosition,
    },
    createdAtBlock: deployment.createdAtBlock,
    createRollupTxHash: deployment.createRollupTxHash,
  })
}

export function opManifestEntry(deployment: OpStackDevnetDeployment): OpStackDevnetManifest {
  return opStackDevnetSchema.parse(deployment)
}

export function opL2ManifestEntry(l2: OpL2Devnet): OpL2DevnetManifest {
  return opL2DevnetSchema.parse({
    l2ChainId: l2.genesis.rollupConfig.l2ChainId,
    genesisBlockHash: l2.genesis.blockHash,
    genesisOutputRoot: l2.genesis.outputRoot,
    l1Token: l2.l1Token,
    l2Token: l2.l2Token,
  })
}

/** Parse a manifest from unknown JSON; DevnetManifestError says what is wrong. */
export function parseDevnetManifest(json: unknown, source = 'the devnet manifest'): DevnetManifest {
  const parsed = devnetManifestSchema.safeParse(json)
  if (!parsed.success) {
    throw new DevnetManifestError(`${source} is not a valid devnet manifest.`, {
      kind: 'user-action',
      steps: ['Start the devnet again (`escape-hatch devnet up`); it writes a fresh manifest.'],
      details: z.prettifyError(parsed.error),
    })
  }
  return parsed.data
}

/** Read and validate `<stateDir>/manifest.json`. */
export function readDevnetManifest(stateDir: string): DevnetManifest {
  const path = join(stateDir, DEVNET_MANIFEST_FILE)
  let text: string
  try {
    const size = statSync(path).size
    if (size > MAX_MANIFEST_BYTES) throw new Error(`${size} bytes is larger than ${MAX_MANIFEST_BYTES}`)
    text = readFileSync(path, 'utf8')
  } catch (cause) {
    throw new DevnetManifestError(`Cannot read the devnet manifest ${path}.`, {
      kind: 'user-action',
      steps: ['Start the devnet (`escape-hatch devnet up`) and use the state directory it prints.'],
      cause,
    })
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (cause) {
    throw new DevnetManifestError(`The devnet manifest ${path} is not JSON.`, { kind: 'user-action', cause })
  }
  return parseDevnetManifest(json, path)
}

/** Validate, then write atomically (a reader never sees half a manifest). Returns the path. */
export function writeDevnetManifest(stateDir: string, manifest: DevnetManifest): string {
  const valid = parseDevnetManifest(manifest)
  const path = join(stateDir, DEVNET_MANIFEST_FILE)
  mkdirSync(dirname(path), { recursive: true })
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, `${JSON.stringify(valid, null, 2)}\n`, { mode: 0o600 })
  renameSync(tmp, path)
  return path
}
