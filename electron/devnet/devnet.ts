/**
 * Start the embedded devnet: anvil as L1, then the requested rollups' real L1 contracts (OP Stack from
 * contracts-bedrock, Arbitrum Nitro through RollupCreator), then the manifest. A devnet is returned only when every
 * requested stack deployed and checked out; on any failure anvil is stopped and the error (naming the step) thrown.
 */
import { deployArbitrum, type ArbitrumDevnetDeployment } from './arbitrum/deploy'
import { startAnvil, DEVNET_DEFAULT_HARDFORK, type AnvilHandle, type DevnetAccount } from './anvil'
import {
  arbitrumManifestEntry,
  DEVNET_MANIFEST_VERSION,
  opL2ManifestEntry,
  opManifestEntry,
  parseDevnetManifest,
  writeDevnetManifest,
  type DevnetManifest,
} from './manifest'
import { deployOpStack, type DeployOpStackParameters, type OpStackDevnetDeployment } from './op/deploy'
import { deployOpStackWithL2, type OpL2Devnet } from './op/l2/chain/deployOpStackWithL2'

export type DevnetStack = 'op' | 'arbitrum'

/**
 * Which anvil account does what (indices into the standard development mnemonic). Fixed, so a devnet's addresses
 * are the same on every run.
 */
export const DEVNET_ROLES = {
  deployer: 0, // owner of every rollup contract, OP guardian
  opBatcher: 1,
  opProposer: 2,
  opChallenger: 3,
  arbitrumValidator: 4,
  arbitrumBatchPoster: 5,
  user1: 6,
  user2: 7,
  user3: 8,
  user4: 9,
} as const

export interface StartDevnetOptions {
  stacks: readonly DevnetStack[]
  /** Where manifest.json is written; none when omitted (tests). */
  stateDir?: string
  port?: number
  chainId?: number
  hardfork?: string
  blockTime?: number
  signal?: AbortSignal
  /** OP parameter overrides (tests provoke a reverting deployment with these). */
  opOverrides?: DeployOpStackParameters['overrides']
  /**
   * Also build the devnet OP L2's genesis with the L1 contracts (deployOpStackWithL2: real predeploys, an ERC-20 on
   * the standard bridge for an L1 WETH98, the anchor = the genesis output root), so an OP L2 can run on this devnet
   * (op/l2/startDevnetOpL2). Without it only the L1 contracts are deployed (their anchor is a labelled placeholder).
   */
  opL2?: boolean
  /** One line per phase, for the CLI. */
  onProgress?: (message: string) => void
}

export interface Devnet {
  l1: { rpcUrl: string; beaconUrl: string; chainId: number }
  manifest: DevnetManifest
  /** Where the manifest was written, if a stateDir was given. */
  manifestPath: string | undefined
  anvil: AnvilHandle
  op: OpStackDevnetDeployment | undefined
  /** The OP L2's genesis and bridged token, when started with `opL2`. */
  opL2: OpL2Devnet | undefined
  arbitrum: ArbitrumDevnetDeployment | undefined
  /** Stop anvil and wait until it has exited. Idempotent. */
  stop(): Promise<void>
}

function account(anvil: AnvilHandle, index: number): DevnetAccount {
  const a = anvil.accounts[index]
  if (!a) throw new Error(`anvil has no account #${index}`)
  return a
}

export async function startDevnet(options: StartDevnetOptions): Promise<Devnet> {
  const stacks = [...new Set(options.stacks)]
  const { signal } = options
  const progress = options.onProgress ?? (() => undefined)
  const hardfork = options.hardfork ?? DEVNET_DEFAULT_HARDFORK
  const timings: Record<string, number> = {}

  let t = performance.now()
  const anvil = await startAnvil({ port: options.port, chainId: options.chainId, hardfork, blockTime: options.blockTime, signal })
  timings.anvilStartMs = performance.now() - t
  progress(`L1 (anvil, ${hardfork}) at ${anvil.rpcUrl}, pid ${anvil.pid}`)
  try {
    const R = DEVNET_ROLES
    let op: OpStackDevnetDeployment | undefined
    let opL2: OpL2Devnet | undefined
    let arbitrum: ArbitrumDevnetDeployment | undefined
    if (stacks.includes('op')) {
      progress('Deploying the OP Stack L1 contracts (contracts-bedrock)…')
      t = performance.now()
      const opParameters = {
        rpcUrl: anvil.rpcUrl,
        deployer: account(anvil, R.deployer),
        batcher: account(anvil, R.opBatcher),
        proposer: account(anvil, R.opProposer),
        challenger: account(anvil, R.opChallenger),
        l1Node: anvil,
        overrides: options.opOverrides,
        signal,
      }
      if (options.opL2) {
        opL2 = await deployOpStackWithL2(opParameters)
        op = opL2.deployment
      } else {
        op = await deployOpStack(opParameters)
      }
      timings.opDeployMs = performance.now() - t
      progress(`OP Stack deployed: OptimismPortal2 ${op.contracts.optimismPortal}${opL2 ? `; L2 genesis ${opL2.genesis.blockHash}` : ''}`)
    }
    if (stacks.includes('arbitrum')) {
      progress('Deploying the Arbitrum Nitro L1 contracts (RollupCreator)…')
      t = performance.now()
      try {
        arbitrum = await deployArbitrum({
          rpcUrl: anvil.rpcUrl,
          deployer: account(anvil, R.deployer),
          validator: account(anvil, R.arbitrumValidator),
          batchPoster: account(anvil, R.arbitrumBatchPoster),
          signal,
        })
      } catch (error) {
        // A failed call is blamed on a dead anvil first, so the user restarts instead of debugging the rollup.
        await anvil.confirmRunning('deploy the Arbitrum Nitro contracts')
        throw error
      }
      timings.arbitrumDeployMs = performance.now() - t
      progress(`Arbitrum deployed: Rollup ${arbitrum.network.contracts.rollup}`)
    }
    anvil.assertRunning('write the devnet manifest')

    const roleOf = new Map<number, string>(Object.entries(R).map(([role, index]) => [index, role]))
    const manifest: DevnetManifest = parseDevnetManifest({
      version: DEVNET_MANIFEST_VERSION,
      createdAt: new Date().toISOString(),
      l1: { rpcUrl: anvil.rpcUrl, beaconUrl: anvil.beaconUrl, chainId: anvil.chainId, hardfork, port: anvil.port, pid: anvil.pid },
      accounts: anvil.accounts.map((a, i) => ({ role: roleOf.get(i) ?? `account${i}`, address: a.address, privateKey: a.privateKey })),
      op: op ? opManifestEntry(op) : undefined,
      opL2: opL2 ? opL2ManifestEntry(opL2) : undefined,
      arbitrum: arbitrum ? arbitrumManifestEntry(arbitrum) : undefined,
      timings,
    })
    const manifestPath = options.stateDir ? writeDevnetManifest(options.stateDir, manifest) : undefined
    return {
      l1: { rpcUrl: anvil.rpcUrl, beaconUrl: anvil.beaconUrl, chainId: anvil.chainId },
      manifest,
      manifestPath,
      anvil,
      op,
      opL2,
      arbitrum,
      stop: () => anvil.stop(),
    }
  } catch (error) {
    await anvil.stop()
    throw error
  }
}
