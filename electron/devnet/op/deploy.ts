/**
 * Deploys the OP Stack L1 contracts (fault-proof system, op-contracts v1.4.0) on the devnet L1 from the
 * `@eth-optimism/contracts-bedrock@0.17.3` npm artifacts, in the order of the package's Deploy.s.sol
 * (notes/op-stack.md §5):
 *
 * 1. ProxyAdmin (owned by the deployer) and the legacy AddressManager (owned by the ProxyAdmin);
 * 2. proxies: ERC-1967 `Proxy` for SuperchainConfig, DisputeGameFactory, AnchorStateRegistry, DelayedWETH,
 *    SystemConfig and OptimismPortal2; `ResolvedDelegateProxy` for the L1CrossDomainMessenger and `L1ChugSplashProxy`
 *    for the L1StandardBridge, as on mainnet;
 * 3. implementations, then `ProxyAdmin.upgradeAndCall(proxy, impl, initialize(...))` for each;
 * 4. the permissionless FaultDisputeGame (game type 0, CANNON) with its VM (MIPS), PreimageOracle and DelayedWETH,
 *    registered in the DisputeGameFactory with its init bond; the AnchorStateRegistry holds its starting anchor.
 *
 * Every transaction is checked; a revert throws OpDeployError naming the step (and the decoded custom error). The
 * wiring is then read back from L1; only a deployment that passes is returned (a partial one never is).
 *
 * Parameters keep mainnet's shape but run in minutes (DEVNET_OP_PARAMETERS) so drills finish with time travel.
 */
import {
  encodeAbiParameters,
  encodeDeployData,
  encodeFunctionData,
  getAddress,
  keccak256,
  parseEther,
  stringToBytes,
  type Abi,
  type Address,
  type Hex,
} from 'viem'
import { addressManagerAbi } from '../../../contracts-abi/op-stack/AddressManager'
import { anchorStateRegistryAbi } from '../../../contracts-abi/op-stack/AnchorStateRegistry'
import { delayedWETHAbi } from '../../../contracts-abi/op-stack/DelayedWETH'
import { disputeGameFactoryAbi } from '../../../contracts-abi/op-stack/DisputeGameFactory'
import { faultDisputeGameAbi } from '../../../contracts-abi/op-stack/FaultDisputeGame'
import { l1ChugSplashProxyAbi } from '../../../contracts-abi/op-stack/L1ChugSplashProxy'
import { l1CrossDomainMessengerAbi } from '../../../contracts-abi/op-stack/L1CrossDomainMessenger'
import { l1StandardBridgeAbi } from '../../../contracts-abi/op-stack/L1StandardBridge'
import { mipsAbi } from '../../../contracts-abi/op-stack/MIPS'
import { optimismPortal2Abi } from '../../../contracts-abi/op-stack/OptimismPortal2'
import { preimageOracleAbi } from '../../../contracts-abi/op-stack/PreimageOracle'
import { proxyAbi } from '../../../contracts-abi/op-stack/Proxy'
import { proxyAdminAbi } from '../../../contracts-abi/op-stack/ProxyAdmin'
import { resolvedDelegateProxyAbi } from '../../../contracts-abi/op-stack/ResolvedDelegateProxy'
import { superchainConfigAbi } from '../../../contracts-abi/op-stack/SuperchainConfig'
import { systemConfigAbi } from '../../../contracts-abi/op-stack/SystemConfig'
import { connectDevnetL1, sendDevnetTransaction, type DevnetKey, type DevnetL1, type DevnetL1Node } from '../sendDevnetTransaction'
import { OpDeployError } from './errors'
import { BEDROCK_PACKAGE, BEDROCK_VERSION, readBedrockArtifact } from './readBedrockArtifact'

/** Game type 0: the permissionless FaultDisputeGame (CANNON). notes/op-stack.md §3 "Game types". */
export const GAME_TYPE_CANNON = 0

/**
 * The devnet's OP parameters. Mainnet values (standard-config-params-mainnet.toml, notes/op-stack.md §3) in comments:
 * the devnet keeps the relations (finality delay < maturity; clock extension < clock) in minutes instead of days.
 */
export const DEVNET_OP_PARAMETERS = {
  l2ChainId: 901, // the OP monorepo devnet's L2 chain id
  proofMaturityDelaySeconds: 600, // mainnet 604800 (7 d)
  disputeGameFinalityDelaySeconds: 180, // mainnet 302400 (3.5 d)
  maxClockDuration: 300, // mainnet 302400 (3.5 d)
  clockExtension: 60, // mainnet 10800 (3 h)
  maxGameDepth: 73, // mainnet 73
  splitDepth: 30, // mainnet 30
  initBond: parseEther('0.08'), // mainnet 0.08 ETH
  delayedWethDelaySeconds: 300, // mainnet 604800 (7 d)
  preimageMinProposalSize: 126000, // mainnet 126000
  preimageChallengePeriod: 600, // mainnet 86400
  gasLimit: 30_000_000n, // L2 block gas limit
  basefeeScalar: 1368, // Ecotone scalars of OP Mainnet
  blobbasefeeScalar: 810949,
  /** ResourceMetering defaults (Constants.DEFAULT_RESOURCE_CONFIG in the package). */
  resourceConfig: {
    maxResourceLimit: 20_000_000,
    elasticityMultiplier: 10,
    baseFeeMaxChangeDenominator: 8,
    minimumBaseFee: 1_000_000_000,
    systemTxMaxGas: 1_000_000,
    maximumBaseFee: 2n ** 128n - 1n,
  },
} as const

/**
 * The devnet's FaultDisputeGame prestate. There is no cannon/op-program binary on the devnet, and games are never
 * played to a VM step (unchallenged games resolve on the clock), so this is a labelled constant, with the first
 * byte set to 0x03 as op-program prestates have (VM status "unfinished").
 */
export const DEVNET_ABSOLUTE_PRESTATE: Hex = `0x03${keccak256(stringToBytes('escape-hatch devnet: no cannon prestate (games are never stepped)')).slice(4)}`

/** The default starting anchor: a labelled stand-in for the devnet L2's genesis output root, at L2 block 0. */
export const DEVNET_STARTING_ANCHOR_ROOT: Hex = keccak256(stringToBytes('escape-hatch devnet: OP L2 genesis output root'))

/** The L1CrossDomainMessenger's name in the AddressManager (ResolvedDelegateProxy), as on mainnet. */
const L1_CDM_NAME = 'OVM_L1CrossDomainMessenger'
/** ProxyAdmin.ProxyType. */
const PROXY_TYPE = { ERC1967: 0, CHUGSPLASH: 1, RESOLVED: 2 } as const

export interface OpStackContracts {
  proxyAdmin: Address
  addressManager: Address
  superchainConfig: Address
  systemConfig: Address
  optimismPortal: Address
  disputeGameFactory: Address
  anchorStateRegistry: Address
  delayedWeth: Address
  l1CrossDomainMessenger: Address
  l1StandardBridge: Address
  /** Not proxied: the game implementation the factory clones, and its VM. */
  faultDisputeGame: Address
  mips: Address
  preimageOracle: Address
}

export interface OpStackDevnetDeployment {
  kind: 'op-stack'
  name: string
  l1ChainId: number
  l2ChainId: number
  /** Proxies (what the app talks to) and the unproxied dispute contracts. */
  contracts: OpStackContracts
  /** Implementation behind each proxy. */
  implementations: Record<'superchainConfig' | 'systemConfig' | 'optimismPortal' | 'disputeGameFactory' | 'anchorStateRegistry' | 'delayedWeth' | 'l1CrossDomainMessenger' | 'l1StandardBridge', Address>
  /** `version()` of each contract, read back from L1. */
  versions: Record<string, string>
  roles: { owner: Address; guardian: Address; batcher: Address; proposer: Address; challenger: Address; unsafeBlockSigner: Address }
  batchInbox: Address
  respectedGameType: number
  startingAnchor: { root: Hex; l2BlockNumber: string }
  absolutePrestate: Hex
  /** Every parameter, as recorded (bigints as decimal strings). */
  parameters: Record<string, string | number>
  /** L1 block of the SystemConfig initialisation (SystemConfig.startBlock): derivation starts here. */
  startBlock: number
  /** L1 block of the first deployment transaction. */
  deployedFromBlock: number
  source: { package: string; version: string }
}

export type OpDurationParameter = 'proofMaturityDelaySeconds' | 'disputeGameFinalityDelaySeconds' | 'maxClockDuration' | 'clockExtension' | 'maxGameDepth' | 'splitDepth' | 'delayedWethDelaySeconds'

type OpParameters = Omit<typeof DEVNET_OP_PARAMETERS, OpDurationParameter> & Record<OpDurationParameter, number>

export interface StartingAnchor {
  root: Hex
  l2BlockNumber: bigint
}

export interface DeployOpStackParameters {
  rpcUrl: string
  /** Sends every transaction; owner of the ProxyAdmin, the factory and DelayedWETH; guardian. */
  deployer: DevnetKey
  batcher: { address: Address }
  proposer: { address: Address }
  challenger: { address: Address }
  /** Defaults to DEVNET_OP_PARAMETERS.l2ChainId. */
  l2ChainId?: number
  /**
   * Defaults to DEVNET_STARTING_ANCHOR_ROOT at L2 block 0. A function is called once every other contract is
   * initialised (the SystemConfig's start block is then known), right before the AnchorStateRegistry is: the devnet
   * L2 builds its genesis against these contracts and returns its real genesis output root.
   */
  startingAnchor?: StartingAnchor | ((deployed: { contracts: OpStackContracts; startBlock: number }) => Promise<StartingAnchor>)
  /** Overrides of DEVNET_OP_PARAMETERS durations (tests use this to provoke a reverting constructor). */
  overrides?: Partial<Record<OpDurationParameter, number>>
  /** Name in the network record; default 'op-devnet'. */
  name?: string
  /** The L1 node (the AnvilHandle), so a crash is reported as one, naming the step. */
  l1Node?: DevnetL1Node
  signal?: AbortSignal
}

/** `0xff00…00<l2ChainId in decimal digits>`: the OP devnets' batch inbox convention. */
export function devnetBatchInbox(l2ChainId: number): Address {
  const digits = String(l2ChainId)
  return getAddress(`0xff${digits.padStart(38, '0')}`)
}

class Deployer {
  constructor(
    private readonly l1: DevnetL1,
    private readonly key: DevnetKey,
    private readonly signal: AbortSignal | undefined,
  ) {}

  async deploy(step: string, contract: string, abi: Abi, args: readonly unknown[] = []): Promise<Address> {
    this.signal?.throwIfAborted()
    const { bytecode } = readBedrockArtifact(contract)
    const data = encodeDeployData({ abi, bytecode, args } as Parameters<typeof encodeDeployData>[0])
    const wallet = this.l1.walletFor(this.key)
    const receipt = await sendDevnetTransaction({ l1: this.l1, step, ErrorClass: OpDeployError, abi, send: () => wallet.sendTransaction({ data }) })
    if (!receipt.contractAddress) throw new OpDeployError(`Devnet step failed: ${step}. No contract address in the receipt.`)
    const code = await this.l1.public.getCode({ address: receipt.contractAddress })
    if (!code || code === '0x') throw new OpDeployError(`Devnet step failed: ${step}. No code at ${receipt.contractAddress}.`)
    return getAddress(receipt.contractAddress)
  }

  async call(step: string, to: Address, data: Hex, abi: Abi, value = 0n): Promise<void> {
    this.signal?.throwIfAborted()
    const wallet = this.l1.walletFor(this.key)
    await sendDevnetTransaction({ l1: this.l1, step, ErrorClass: OpDeployError, abi, send: () => wallet.sendTransaction({ to, data, value }) })
  }
}

/** Deploy the OP Stack L1 contracts on the devnet L1. See the module comment. */
export async function deployOpStack(params: DeployOpStackParameters): Promise<OpStackDevnetDeployment> {
  const { signal } = params
  signal?.throwIfAborted()
  const P: OpParameters = { ...DEVNET_OP_PARAMETERS, ...params.overrides }
  const l2ChainId = params.l2ChainId ?? P.l2ChainId
  let l1: DevnetL1
  try {
    l1 = await connectDevnetL1(params.rpcUrl, params.l1Node)
  } catch (cause) {
    await params.l1Node?.confirmRunning('connect to the L1 node for the OP Stack deployment')
    throw new OpDeployError('Devnet step failed: connect to the L1 node for the OP Stack deployment.', {
      steps: ['Start the devnet L1 first (startAnvil / `escape-hatch devnet up`).'],
      cause,
    })
  }
  const owner = getAddress(params.deployer.address)
  const batcher = getAddress(params.batcher.address)
  const proposer = getAddress(params.proposer.address)
  const challenger = getAddress(params.challenger.address)
  const batchInbox = devnetBatchInbox(l2ChainId)
  const d = new Deployer(l1, params.deployer, signal)
  const deployedFromBlock = Number(await l1.public.getBlockNumber()) + 1

  // 1. Admin contracts.
  const proxyAdmin = await d.deploy('deploy ProxyAdmin', 'ProxyAdmin', proxyAdminAbi, [owner])
  const addressManager = await d.deploy('deploy AddressManager', 'AddressManager', addressManagerAbi)
  await d.call('transfer the AddressManager to the ProxyAdmin', addressManager, encodeFunctionData({ abi: addressManagerAbi, functionName: 'transferOwnership', args: [proxyAdmin] }), addressManagerAbi)
  await d.call('ProxyAdmin.setAddressManager', proxyAdmin, encodeFunctionData({ abi: proxyAdminAbi, functionName: 'setAddressManager', args: [addressManager] }), proxyAdminAbi)

  // 2. Proxies.
  const proxy = (name: string) => d.deploy(`deploy the ${name} proxy`, 'Proxy', proxyAbi, [proxyAdmin])
  const superchainConfig = await proxy('SuperchainConfig')
  const disputeGameFactory = await proxy('DisputeGameFactory')
  const anchorStateRegistry = await proxy('AnchorStateRegistry')
  const delayedWeth = await proxy('DelayedWETH')
  const systemConfig = await proxy('SystemConfig')
  const optimismPortal = await proxy('OptimismPortal2')
  const l1CrossDomainMessenger = await d.deploy('deploy the L1CrossDomainMessenger proxy (ResolvedDelegateProxy)', 'ResolvedDelegateProxy', resolvedDelegateProxyAbi, [addressManager, L1_CDM_NAME])
  await d.call('ProxyAdmin.setProxyType(L1CrossDomainMessenger, RESOLVED)', proxyAdmin, encodeFunctionData({ abi: proxyAdminAbi, functionName: 'setProxyType', args: [l1CrossDomainMessenger, PROXY_TYPE.RESOLVED] }), proxyAdminAbi)
  await d.call('ProxyAdmin.setImplementationName(L1CrossDomainMessenger)', proxyAdmin, encodeFunctionData({ abi: proxyAdminAbi, functionName: 'setImplementationName', args: [l1CrossDomainMessenger, L1_CDM_NAME] }), proxyAdminAbi)
  const l1StandardBridge = await d.deploy('deploy the L1StandardBridge proxy (L1ChugSplashProxy)', 'L1ChugSplashProxy', l1ChugSplashProxyAbi, [proxyAdmin])
  await d.call('ProxyAdmin.setProxyType(L1StandardBridge, CHUGSPLASH)', proxyAdmin, encodeFunctionData({ abi: proxyAdminAbi, functionName: 'setProxyType', args: [l1StandardBridge, PROXY_TYPE.CHUGSPLASH] }), proxyAdminAbi)

  // 3. Implementations.
  const impl = {
    superchainConfig: await d.deploy('deploy the SuperchainConfig implementation', 'SuperchainConfig', superchainConfigAbi),
    disputeGameFactory: await d.deploy('deploy the DisputeGameFactory implementation', 'DisputeGameFactory', disputeGameFactoryAbi),
    anchorStateRegistry: await d.deploy('deploy the AnchorStateRegistry implementation', 'AnchorStateRegistry', anchorStateRegistryAbi, [disputeGameFactory]),
    delayedWeth: await d.deploy('deploy the DelayedWETH implementation', 'DelayedWETH', delayedWETHAbi, [BigInt(P.delayedWethDelaySeconds)]),
    systemConfig: await d.deploy('deploy the SystemConfig implementation', 'SystemConfig', systemConfigAbi),
    optimismPortal: await d.deploy('deploy the OptimismPortal2 implementation', 'OptimismPortal2', optimismPortal2Abi, [BigInt(P.proofMaturityDelaySeconds), BigInt(P.disputeGameFinalityDelaySeconds)]),
    l1CrossDomainMessenger: await d.deploy('deploy the L1CrossDomainMessenger implementation', 'L1CrossDomainMessenger', l1CrossDomainMessengerAbi),
    l1StandardBridge: await d.deploy('deploy the L1StandardBridge implementation', 'L1StandardBridge', l1StandardBridgeAbi),
  }
  const preimageOracle = await d.deploy('deploy PreimageOracle', 'PreimageOracle', preimageOracleAbi, [BigInt(P.preimageMinProposalSize), BigInt(P.preimageChallengePeriod)])
  const mips = await d.deploy('deploy MIPS (the FaultDisputeGame VM)', 'MIPS', mipsAbi, [preimageOracle])
  const faultDisputeGame = await d.deploy('deploy the FaultDisputeGame implementation (game type 0)', 'FaultDisputeGame', faultDisputeGameAbi, [
    GAME_TYPE_CANNON,
    DEVNET_ABSOLUTE_PRESTATE,
    BigInt(P.maxGameDepth),
    BigInt(P.splitDepth),
    BigInt(P.clockExtension),
    BigInt(P.maxClockDuration),
    mips,
    delayedWeth,
    anchorStateRegistry,
    BigInt(l2ChainId),
  ])

  // 4. Upgrade each proxy to its implementation and initialise it, in one call (no uninitialised window).
  const upgrade = (name: string, proxyAddress: Address, implementation: Address, initData: Hex, abi: Abi) =>
    d.call(
      `initialize ${name} (ProxyAdmin.upgradeAndCall)`,
      proxyAdmin,
      encodeFunctionData({ abi: proxyAdminAbi, functionName: 'upgradeAndCall', args: [proxyAddress, implementation, initData] }),
      [...proxyAdminAbi, ...abi] as Abi,
    )
  await upgrade('SuperchainConfig', superchainConfig, impl.superchainConfig, encodeFunctionData({ abi: superchainConfigAbi, functionName: 'initialize', args: [owner, false] }), superchainConfigAbi)
  await upgrade('DisputeGameFactory', disputeGameFactory, impl.disputeGameFactory, encodeFunctionData({ abi: disputeGameFactoryAbi, functionName: 'initialize', args: [owner] }), disputeGameFactoryAbi)
  await upgrade('DelayedWETH', delayedWeth, impl.delayedWeth, encodeFunctionData({ abi: delayedWETHAbi, functionName: 'initialize', args: [owner, superchainConfig] }), delayedWETHAbi)
  await upgrade(
    'SystemConfig',
    systemConfig,
    impl.systemConfig,
    encodeFunctionData({
      abi: systemConfigAbi,
      functionName: 'initialize',
      args: [
        owner,
        P.basefeeScalar,
        P.blobbasefeeScalar,
        // batcherHash is the batcher address left-padded to 32 bytes (system-config.md "batcherHash").
        encodeAbiParameters([{ type: 'address' }], [batcher]),
        P.gasLimit,
        batcher,
        P.resourceConfig,
        batchInbox,
        {
          l1CrossDomainMessenger,
          l1ERC721Bridge: '0x0000000000000000000000000000000000000000',
          l1StandardBridge,
          disputeGameFactory,
          optimismPortal,
          optimismMintableERC20Factory: '0x0000000000000000000000000000000000000000',
          gasPayingToken: '0x0000000000000000000000000000000000000000',
        },
      ],
    }),
    systemConfigAbi,
  )
  await upgrade(
    'OptimismPortal2',
    optimismPortal,
    impl.optimismPortal,
    encodeFunctionData({ abi: optimismPortal2Abi, functionName: 'initialize', args: [disputeGameFactory, systemConfig, superchainConfig, GAME_TYPE_CANNON] }),
    optimismPortal2Abi,
  )
  await upgrade(
    'L1CrossDomainMessenger',
    l1CrossDomainMessenger,
    impl.l1CrossDomainMessenger,
    encodeFunctionData({ abi: l1CrossDomainMessengerAbi, functionName: 'initialize', args: [superchainConfig, optimismPortal, systemConfig] }),
    l1CrossDomainMessengerAbi,
  )
  await upgrade(
    'L1StandardBridge',
    l1StandardBridge,
    impl.l1StandardBridge,
    encodeFunctionData({ abi: l1StandardBridgeAbi, functionName: 'initialize', args: [l1CrossDomainMessenger, superchainConfig, systemConfig] }),
    l1StandardBridgeAbi,
  )

  const contracts: OpStackContracts = {
    proxyAdmin,
    addressManager,
    superchainConfig,
    systemConfig,
    optimismPortal,
    disputeGameFactory,
    anchorStateRegistry,
    delayedWeth,
    l1CrossDomainMessenger,
    l1StandardBridge,
    faultDisputeGame,
    mips,
    preimageOracle,
  }
  // The AnchorStateRegistry last: its starting anchor may depend on the other contracts (see `startingAnchor`).
  const anchor =
    typeof params.startingAnchor === 'function'
      ? await params.startingAnchor({ contracts, startBlock: Number(await l1.public.readContract({ address: systemConfig, abi: systemConfigAbi, functionName: 'startBlock' })) })
      : (params.startingAnchor ?? { root: DEVNET_STARTING_ANCHOR_ROOT, l2BlockNumber: 0n })
  signal?.throwIfAborted()
  await upgrade(
    'AnchorStateRegistry',
    anchorStateRegistry,
    impl.anchorStateRegistry,
    encodeFunctionData({ abi: anchorStateRegistryAbi, functionName: 'initialize', args: [[{ gameType: GAME_TYPE_CANNON, outputRoot: { root: anchor.root, l2BlockNumber: anchor.l2BlockNumber } }]] }),
    anchorStateRegistryAbi,
  )

  // 5. Register the permissionless game.
  await d.call('DisputeGameFactory.setImplementation(0, FaultDisputeGame)', disputeGameFactory, encodeFunctionData({ abi: disputeGameFactoryAbi, functionName: 'setImplementation', args: [GAME_TYPE_CANNON, faultDisputeGame] }), disputeGameFactoryAbi)
  await d.call('DisputeGameFactory.setInitBond(0)', disputeGameFactory, encodeFunctionData({ abi: disputeGameFactoryAbi, functionName: 'setInitBond', args: [GAME_TYPE_CANNON, P.initBond] }), disputeGameFactoryAbi)

  const checked = await checkOpWiring(l1, { contracts, impl, owner, batcher, batchInbox, anchor, P, l2ChainId })

  return {
    kind: 'op-stack',
    name: params.name ?? 'op-devnet',
    l1ChainId: l1.chain.id,
    l2ChainId,
    contracts,
    implementations: impl,
    versions: checked.versions,
    roles: { owner, guardian: owner, batcher, proposer, challenger, unsafeBlockSigner: batcher },
    batchInbox,
    respectedGameType: GAME_TYPE_CANNON,
    startingAnchor: { root: anchor.root, l2BlockNumber: anchor.l2BlockNumber.toString() },
    absolutePrestate: DEVNET_ABSOLUTE_PRESTATE,
    parameters: {
      proofMaturityDelaySeconds: P.proofMaturityDelaySeconds,
      disputeGameFinalityDelaySeconds: P.disputeGameFinalityDelaySeconds,
      maxClockDuration: P.maxClockDuration,
      clockExtension: P.clockExtension,
      maxGameDepth: P.maxGameDepth,
      splitDepth: P.splitDepth,
      initBond: P.initBond.toString(),
      delayedWethDelaySeconds: P.delayedWethDelaySeconds,
      preimageMinProposalSize: P.preimageMinProposalSize,
      preimageChallengePeriod: P.preimageChallengePeriod,
      gasLimit: P.gasLimit.toString(),
      basefeeScalar: P.basefeeScalar,
      blobbasefeeScalar: P.blobbasefeeScalar,
      maxResourceLimit: P.resourceConfig.maxResourceLimit,
      elasticityMultiplier: P.resourceConfig.elasticityMultiplier,
      baseFeeMaxChangeDenominator: P.resourceConfig.baseFeeMaxChangeDenominator,
      minimumBaseFee: P.resourceConfig.minimumBaseFee,
      systemTxMaxGas: P.resourceConfig.systemTxMaxGas,
      maximumBaseFee: P.resourceConfig.maximumBaseFee.toString(),
    },
    startBlock: checked.startBlock,
    deployedFromBlock,
    source: { package: BEDROCK_PACKAGE, version: BEDROCK_VERSION },
  }
}

interface WiringInput {
  contracts: OpStackContracts
  impl: OpStackDevnetDeployment['implementations']
  owner: Address
  batcher: Address
  batchInbox: Address
  anchor: { root: Hex; l2BlockNumber: bigint }
  P: OpParameters
  l2ChainId: number
}

/** Read the deployment back from L1 and compare with what was asked; any difference fails the deployment. */
async function checkOpWiring(l1: DevnetL1, w: WiringInput): Promise<{ versions: Record<string, string>; startBlock: number }> {
  const step = 'check the OP Stack wiring'
  const c = w.contracts
  const read = async (address: Address, abi: Abi, functionName: string, args: readonly unknown[] = []): Promise<unknown> => {
    l1.node.assertRunning(step)
    try {
      return await l1.public.readContract({ address, abi, functionName, args })
    } catch (cause) {
      await l1.node.confirmRunning(step)
      throw new OpDeployError(`Devnet step failed: ${step} (reading ${functionName} from ${address}).`, { cause })
    }
  }
  const expectEqual = (what: string, got: unknown, want: unknown): void => {
    const norm = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v)
    if (norm(got) !== norm(want)) throw new OpDeployError(`Devnet step failed: ${step} (${what} is ${String(got)}, expected ${String(want)}).`)
  }
  const portal = optimismPortal2Abi as Abi
  expectEqual('portal.disputeGameFactory()', await read(c.optimismPortal, portal, 'disputeGameFactory'), c.disputeGameFactory)
  expectEqual('portal.systemConfig()', await read(c.optimismPortal, portal, 'systemConfig'), c.systemConfig)
  expectEqual('portal.superchainConfig()', await read(c.optimismPortal, portal, 'superchainConfig'), c.superchainConfig)
  expectEqual('portal.respectedGameType()', await read(c.optimismPortal, portal, 'respectedGameType'), GAME_TYPE_CANNON)
  expectEqual('portal.proofMaturityDelaySeconds()', await read(c.optimismPortal, portal, 'proofMaturityDelaySeconds'), BigInt(w.P.proofMaturityDelaySeconds))
  expectEqual('portal.disputeGameFinalityDelaySeconds()', await read(c.optimismPortal, portal, 'disputeGameFinalityDelaySeconds'), BigInt(w.P.disputeGameFinalityDelaySeconds))
  expectEqual('portal.paused()', await read(c.optimismPortal, portal, 'paused'), false)
  expectEqual('portal.guardian()', await read(c.optimismPortal, portal, 'guardian'), w.owner)
  const sys = systemConfigAbi as Abi
  expectEqual('systemConfig.optimismPortal()', await read(c.systemConfig, sys, 'optimismPortal'), c.optimismPortal)
  expectEqual('systemConfig.disputeGameFactory()', await read(c.systemConfig, sys, 'disputeGameFactory'), c.disputeGameFactory)
  expectEqual('systemConfig.l1StandardBridge()', await read(c.systemConfig, sys, 'l1StandardBridge'), c.l1StandardBridge)
  expectEqual('systemConfig.l1CrossDomainMessenger()', await read(c.systemConfig, sys, 'l1CrossDomainMessenger'), c.l1CrossDomainMessenger)
  expectEqual('systemConfig.batchInbox()', await read(c.systemConfig, sys, 'batchInbox'), w.batchInbox)
  expectEqual('systemConfig.batcherHash()', await read(c.systemConfig, sys, 'batcherHash'), encodeAbiParameters([{ type: 'address' }], [w.batcher]))
  expectEqual('systemConfig.owner()', await read(c.systemConfig, sys, 'owner'), w.owner)
  const startBlock = Number(await read(c.systemConfig, sys, 'startBlock'))
  if (!(startBlock > 0)) throw new OpDeployError(`Devnet step failed: ${step} (systemConfig.startBlock() is ${startBlock}).`)
  const dgf = disputeGameFactoryAbi as Abi
  expectEqual('disputeGameFactory.gameImpls(0)', await read(c.disputeGameFactory, dgf, 'gameImpls', [GAME_TYPE_CANNON]), c.faultDisputeGame)
  expectEqual('disputeGameFactory.initBonds(0)', await read(c.disputeGameFactory, dgf, 'initBonds', [GAME_TYPE_CANNON]), w.P.initBond)
  expectEqual('disputeGameFactory.owner()', await read(c.disputeGameFactory, dgf, 'owner'), w.owner)
  const anchors = (await read(c.anchorStateRegistry, anchorStateRegistryAbi as Abi, 'anchors', [GAME_TYPE_CANNON])) as readonly [Hex, bigint]
  expectEqual('anchorStateRegistry.anchors(0).root', anchors[0], w.anchor.root)
  expectEqual('anchorStateRegistry.anchors(0).l2BlockNumber', anchors[1], w.anchor.l2BlockNumber)
  const fdg = faultDisputeGameAbi as Abi
  expectEqual('faultDisputeGame.anchorStateRegistry()', await read(c.faultDisputeGame, fdg, 'anchorStateRegistry'), c.anchorStateRegistry)
  expectEqual('faultDisputeGame.weth()', await read(c.faultDisputeGame, fdg, 'weth'), c.delayedWeth)
  expectEqual('faultDisputeGame.vm()', await read(c.faultDisputeGame, fdg, 'vm'), c.mips)
  expectEqual('faultDisputeGame.maxClockDuration()', await read(c.faultDisputeGame, fdg, 'maxClockDuration'), BigInt(w.P.maxClockDuration))
  expectEqual('faultDisputeGame.l2ChainId()', await read(c.faultDisputeGame, fdg, 'l2ChainId'), BigInt(w.l2ChainId))
  expectEqual('mips.oracle()', await read(c.mips, mipsAbi as Abi, 'oracle'), c.preimageOracle)
  expectEqual('delayedWeth.delay()', await read(c.delayedWeth, delayedWETHAbi as Abi, 'delay'), BigInt(w.P.delayedWethDelaySeconds))
  expectEqual('l1CrossDomainMessenger.portal()', await read(c.l1CrossDomainMessenger, l1CrossDomainMessengerAbi as Abi, 'portal'), c.optimismPortal)
  expectEqual('l1StandardBridge.messenger()', await read(c.l1StandardBridge, l1StandardBridgeAbi as Abi, 'messenger'), c.l1CrossDomainMessenger)
  expectEqual('proxyAdmin.getProxyImplementation(portal)', await read(c.proxyAdmin, proxyAdminAbi as Abi, 'getProxyImplementation', [c.optimismPortal]), w.impl.optimismPortal)
  expectEqual('proxyAdmin.getProxyImplementation(l1CrossDomainMessenger)', await read(c.proxyAdmin, proxyAdminAbi as Abi, 'getProxyImplementation', [c.l1CrossDomainMessenger]), w.impl.l1CrossDomainMessenger)
  expectEqual('proxyAdmin.getProxyImplementation(l1StandardBridge)', await read(c.proxyAdmin, proxyAdminAbi as Abi, 'getProxyImplementation', [c.l1StandardBridge]), w.impl.l1StandardBridge)

  const versions: Record<string, string> = {}
  const versioned: [string, Address, Abi][] = [
    ['OptimismPortal2', c.optimismPortal, portal],
    ['SystemConfig', c.systemConfig, sys],
    ['SuperchainConfig', c.superchainConfig, superchainConfigAbi as Abi],
    ['DisputeGameFactory', c.disputeGameFactory, dgf],
    ['FaultDisputeGame', c.faultDisputeGame, fdg],
    ['AnchorStateRegistry', c.anchorStateRegistry, anchorStateRegistryAbi as Abi],
    ['DelayedWETH', c.delayedWeth, delayedWETHAbi as Abi],
    ['MIPS', c.mips, mipsAbi as Abi],
    ['PreimageOracle', c.preimageOracle, preimageOracleAbi as Abi],
    ['L1CrossDomainMessenger', c.l1CrossDomainMessenger, l1CrossDomainMessengerAbi as Abi],
    ['L1StandardBridge', c.l1StandardBridge, l1StandardBridgeAbi as Abi],
  ]
  for (const [name, address, abi] of versioned) versions[name] = String(await read(address, abi, 'version'))
  return { versions, startBlock }
}
