/**
 * Deploys the real Arbitrum Nitro L1 contracts on the devnet L1 (anvil) from the `@arbitrum/nitro-contracts@3.2.0`
 * npm artifacts, and creates one BoLD rollup through the real RollupCreator (notes/arbitrum-nitro.md §4, following
 * nitro-contracts scripts/deploymentUtils.ts deployAllContracts):
 *
 * 1. Reader4844 (Yul), the ETH and ERC20 bridge templates (Bridge, SequencerInbox ×2, Inbox, RollupEventInbox,
 *    Outbox — RollupCreator checks both sets' maxDataSize), BridgeCreator;
 * 2. the one-step provers (0, Memory, Math, HostIo) and OneStepProofEntry, the EdgeChallengeManager template,
 *    RollupAdminLogic, RollupUserLogic, ValidatorWalletCreator, DeployHelper;
 * 3. UpgradeExecutor logic: the package ships only `UpgradeExecutorMock` (the real UpgradeExecutor lives in
 *    @offchainlabs/upgrade-executor); it is the same AccessControl executor and only owns the rollup's admin roles;
 * 4. a stake token (the package's `TestWETH9`, a plain WETH9), then RollupCreator and `createRollup`, which deploys
 *    the rollup proxy, Bridge/Inbox/SequencerInbox/RollupEventInbox/Outbox proxies, the challenge manager proxy, and
 *    sets the validator whitelist and batch poster.
 *
 * Every deployment transaction is checked; a revert throws ArbitrumDeployError naming the step. After createRollup
 * the wiring is read back from L1 and checked; only then is the deployment returned (a partial one never is).
 *
 * Parameters are short so drills finish with time travel, but keep mainnet's shape (DEVNET_ARBITRUM_PARAMETERS).
 */
import {
  encodeDeployData,
  encodeFunctionData,
  getAddress,
  keccak256,
  parseEventLogs,
  stringToBytes,
  zeroAddress,
  zeroHash,
  type Abi,
  type Address,
  type Hex,
} from 'viem'
import type { ArbitrumNetwork } from '../../../shared/rollups/arbitrum-nitro/network'
import { ArbitrumDeployError } from './errors'
import { readNitroArtifact, readReader4844Artifact, type NitroArtifact } from './readNitroArtifact'
import { createL1Clients, sendL1Transaction, type DevnetKey, type L1Clients } from './sendL1Transaction'

/** The devnet rollup's parameters. Mainnet values (Arbitrum One, arb1.ts) in comments, for shape. */
export const DEVNET_ARBITRUM_PARAMETERS = {
  l2ChainId: 412346, // nitro-testnode's local chain id
  maxDataSize: 117964, // same as L1 deployments
  confirmPeriodBlocks: 20, // mainnet 45818 (~6.4 d)
  minimumAssertionPeriod: 5, // mainnet 75
  validatorAfkBlocks: 201600, // mainnet 201600 (28 d)
  challengeGracePeriodBlocks: 10, // mainnet 14400 (48 h)
  baseStake: 10n ** 17n, // 0.1 WETH; mainnet 3600 ETH
  miniStakeValues: [10n ** 16n, 10n ** 16n, 10n ** 16n], // numBigStepLevel + 2 levels
  numBigStepLevel: 1,
  layerZeroBlockEdgeHeight: 2n ** 26n, // BoLD defaults (only used by challenges)
  layerZeroBigStepEdgeHeight: 2n ** 19n,
  layerZeroSmallStepEdgeHeight: 2n ** 23n,
  delayBlocks: 50, // mainnet 7200 (24 h); force inclusion from msgBlock + delayBlocks + 1
  futureBlocks: 12, // mainnet 64
  delaySeconds: 600, // mainnet 86400; v3 forceInclusion ignores it, it only bounds batch timestamps
  futureSeconds: 3600, // mainnet 3600
} as const

/**
 * The devnet's wasmModuleRoot says what the L2 really is: not a Nitro WASM replay binary but Escape Hatch's simulated
 * L2 (electron/devnet/arbitrum/l2). No challenge is ever played against it, so no prover reads it.
 */
export const DEVNET_WASM_MODULE_ROOT: Hex = keccak256(stringToBytes('escape-hatch devnet arbitrum L2 simulation (not ArbOS, no WASM STF)'))

/** MachineStatus.FINISHED in src/state/Machine.sol. */
export const MACHINE_STATUS_FINISHED = 1

export interface GlobalStateValue {
  bytes32Vals: readonly [Hex, Hex]
  u64Vals: readonly [bigint, bigint]
}
export interface AssertionStateValue {
  globalState: GlobalStateValue
  machineStatus: number
  endHistoryRoot: Hex
}

/** The genesis assertion state real Orbit deployments use (all zero, FINISHED) with genesisInboxCount 0. */
export const GENESIS_ASSERTION_STATE: AssertionStateValue = {
  globalState: { bytes32Vals: [zeroHash, zeroHash], u64Vals: [0n, 0n] },
  machineStatus: MACHINE_STATUS_FINISHED,
  endHistoryRoot: zeroHash,
}

export interface ArbitrumDevnetDeployment {
  network: ArbitrumNetwork
  /** Every parameter the rollup was created with, as recorded (bigints as decimal strings). */
  parameters: Record<string, string | number>
  /** Addresses beyond ArbitrumNetwork.contracts. */
  extraContracts: {
    rollupEventInbox: Address
    upgradeExecutor: Address
    proxyAdmin: Address
    validatorWalletCreator: Address
    rollupCreator: Address
    bridgeCreator: Address
    oneStepProofEntry: Address
    stakeToken: Address
    reader4844: Address
  }
  roles: { owner: Address; validator: Address; batchPoster: Address }
  wasmModuleRoot: Hex
  /** The chain config string passed to createRollup (delivered to L2 in the Initialize delayed message). */
  chainConfig: string
  genesis: {
    assertionHash: Hex
    state: AssertionStateValue
    /** AssertionCreated.inboxMaxCount of the genesis assertion: the first assertion must reach this batch. */
    nextInboxPosition: number
  }
  /** L1 block of the createRollup transaction: where an L1 scan for this rollup starts. */
  createdAtBlock: number
  createRollupTxHash: Hex
}

export interface DeployArbitrumParameters {
  rpcUrl: string
  deployer: DevnetKey
  validator: DevnetKey
  batchPoster: DevnetKey
  signal?: AbortSignal
  /** Defaults to DEVNET_ARBITRUM_PARAMETERS.l2ChainId. */
  l2ChainId?: number
  /** Name in the network record; default 'arbitrum-devnet'. */
  name?: string
  /**
   * Make the SequencerInbox delay-bufferable, as on Arbitrum One (bufferConfig; the force-inclusion window becomes
   * min(delayBlocks, bufferBlocks)). Off by default: the window is exactly delayBlocks.
   */
  delayBuffer?: { threshold: number; max: number; replenishRateInBasis: number }
}

export type DeployArbitrumReturnType = ArbitrumDevnetDeployment

function devnetChainConfig(l2ChainId: number, owner: Address): string {
  // The shape of a Nitro chain config (params.ChainConfig with its `arbitrum` section). InitialArbOSVersion 0 is
  // deliberate: the devnet L2 is not ArbOS (see l2/README in startArbitrumDevnet.ts).
  return JSON.stringify({
    chainId: l2ChainId,
    homesteadBlock: 0,
    daoForkSupport: true,
    eip150Block: 0,
    eip150Hash: zeroHash,
    eip155Block: 0,
    eip158Block: 0,
    byzantiumBlock: 0,
    constantinopleBlock: 0,
    petersburgBlock: 0,
    istanbulBlock: 0,
    muirGlacierBlock: 0,
    berlinBlock: 0,
    londonBlock: 0,
    clique: { period: 0, epoch: 0 },
    arbitrum: {
      EnableArbOS: true,
      AllowDebugPrecompiles: false,
      DataAvailabilityCommittee: false,
      InitialArbOSVersion: 0,
      InitialChainOwner: owner,
      GenesisBlockNum: 0,
    },
  })
}

export class Deployer {
  constructor(
    private readonly clients: L1Clients,
    private readonly key: DevnetKey,
    private readonly signal: AbortSignal | undefined,
  ) {}

  async deploy(step: string, artifact: NitroArtifact, args: readonly unknown[] = []): Promise<Address> {
    this.signal?.throwIfAborted()
    const wallet = this.clients.walletFor(this.key)
    const data = encodeDeployData({ abi: artifact.abi, bytecode: artifact.bytecode, args } as Parameters<typeof encodeDeployData>[0])
    const receipt = await sendL1Transaction(this.clients, `deploy ${step}`, ArbitrumDeployError, () =>
      wallet.sendTransaction({ data }),
    )
    if (!receipt.contractAddress) throw new ArbitrumDeployError(`Devnet step failed: deploy ${step} (no contract address in the receipt).`)
    const code = await this.clients.public.getCode({ address: receipt.contractAddress })
    if (!code || code === '0x') throw new ArbitrumDeployError(`Devnet step failed: deploy ${step} (no code at ${receipt.contractAddress}).`)
    return getAddress(receipt.contractAddress)
  }

  async call(step: string, to: Address, abi: Abi, functionName: string, args: readonly unknown[], value = 0n) {
    this.signal?.throwIfAborted()
    const wallet = this.clients.walletFor(this.key)
    const data = encodeFunctionData({ abi, functionName, args } as Parameters<typeof encodeFunctionData>[0])
    return sendL1Transaction(this.clients, step, ArbitrumDeployError, () => wallet.sendTransaction({ to, data, value }))
  }
}

async function readAddress(clients: L1Clients, step: string, address: Address, abi: Abi, functionName: string, args: readonly unknown[] = []): Promise<unknown> {
  try {
    return await clients.public.readContract({ address, abi, functionName, args })
  } catch (cause) {
    throw new ArbitrumDeployError(`Devnet step failed: ${step} (reading ${functionName} from ${address}).`, { cause })
  }
}

/** Deploy the Arbitrum Nitro L1 contracts and create the devnet rollup. See the module comment. */
export async function deployArbitrum(params: DeployArbitrumParameters): Promise<DeployArbitrumReturnType> {
  const { signal } = params
  const P = DEVNET_ARBITRUM_PARAMETERS
  const l2ChainId = params.l2ChainId ?? P.l2ChainId
  let clients: L1Clients
  try {
    clients = await createL1Clients(params.rpcUrl)
  } catch (cause) {
    throw new ArbitrumDeployError('Devnet step failed: connect to the L1 node for the Arbitrum deployment.', {
      steps: ['Start the devnet L1 first (startAnvil / `escape-hatch devnet up`).'],
      cause,
    })
  }
  const d = new Deployer(clients, params.deployer, signal)
  const owner = getAddress(params.deployer.address)
  const validator = getAddress(params.validator.address)
  const batchPoster = getAddress(params.batchPoster.address)

  const art = {
    bridge: readNitroArtifact('bridge/Bridge.sol', 'Bridge'),
    sequencerInbox: readNitroArtifact('bridge/SequencerInbox.sol', 'SequencerInbox'),
    inbox: readNitroArtifact('bridge/Inbox.sol', 'Inbox'),
    rollupEventInbox: readNitroArtifact('rollup/RollupEventInbox.sol', 'RollupEventInbox'),
    outbox: readNitroArtifact('bridge/Outbox.sol', 'Outbox'),
    erc20Bridge: readNitroArtifact('bridge/ERC20Bridge.sol', 'ERC20Bridge'),
    erc20Inbox: readNitroArtifact('bridge/ERC20Inbox.sol', 'ERC20Inbox'),
    erc20RollupEventInbox: readNitroArtifact('rollup/ERC20RollupEventInbox.sol', 'ERC20RollupEventInbox'),
    erc20Outbox: readNitroArtifact('bridge/ERC20Outbox.sol', 'ERC20Outbox'),
    bridgeCreator: readNitroArtifact('rollup/BridgeCreator.sol', 'BridgeCreator'),
    prover0: readNitroArtifact('osp/OneStepProver0.sol', 'OneStepProver0'),
    proverMemory: readNitroArtifact('osp/OneStepProverMemory.sol', 'OneStepProverMemory'),
    proverMath: readNitroArtifact('osp/OneStepProverMath.sol', 'OneStepProverMath'),
    proverHostIo: readNitroArtifact('osp/OneStepProverHostIo.sol', 'OneStepProverHostIo'),
    ospEntry: readNitroArtifact('osp/OneStepProofEntry.sol', 'OneStepProofEntry'),
    challengeManager: readNitroArtifact('challengeV2/EdgeChallengeManager.sol', 'EdgeChallengeManager'),
    rollupAdmin: readNitroArtifact('rollup/RollupAdminLogic.sol', 'RollupAdminLogic'),
    rollupUser: readNitroArtifact('rollup/RollupUserLogic.sol', 'RollupUserLogic'),
    upgradeExecutor: readNitroArtifact('mocks/UpgradeExecutorMock.sol', 'UpgradeExecutorMock'),
    validatorWalletCreator: readNitroArtifact('rollup/ValidatorWalletCreator.sol', 'ValidatorWalletCreator'),
    deployHelper: readNitroArtifact('rollup/DeployHelper.sol', 'DeployHelper'),
    rollupCreator: readNitroArtifact('rollup/RollupCreator.sol', 'RollupCreator'),
    weth: readNitroArtifact('mocks/TestWETH9.sol', 'TestWETH9'),
    reader4844: readReader4844Artifact(),
  }

  const reader4844 = await d.deploy('Reader4844', art.reader4844)
  const maxDataSize = BigInt(P.maxDataSize)
  const ethTemplates = {
    bridge: await d.deploy('Bridge template', art.bridge),
    sequencerInbox: await d.deploy('SequencerInbox template', art.sequencerInbox, [maxDataSize, reader4844, false, false]),
    delayBufferableSequencerInbox: await d.deploy('delay-bufferable SequencerInbox template', art.sequencerInbox, [maxDataSize, reader4844, false, true]),
    inbox: await d.deploy('Inbox template', art.inbox, [maxDataSize]),
    rollupEventInbox: await d.deploy('RollupEventInbox template', art.rollupEventInbox),
    outbox: await d.deploy('Outbox template', art.outbox),
  }
  const erc20Templates = {
    bridge: await d.deploy('ERC20Bridge template', art.erc20Bridge),
    sequencerInbox: await d.deploy('ERC20 SequencerInbox template', art.sequencerInbox, [maxDataSize, reader4844, true, false]),
    delayBufferableSequencerInbox: await d.deploy('ERC20 delay-bufferable SequencerInbox template', art.sequencerInbox, [maxDataSize, reader4844, true, true]),
    inbox: await d.deploy('ERC20Inbox template', art.erc20Inbox, [maxDataSize]),
    rollupEventInbox: await d.deploy('ERC20RollupEventInbox template', art.erc20RollupEventInbox),
    outbox: await d.deploy('ERC20Outbox template', art.erc20Outbox),
  }
  const bridgeCreator = await d.deploy('BridgeCreator', art.bridgeCreator, [ethTemplates, erc20Templates])
  const prover0 = await d.deploy('OneStepProver0', art.prover0)
  const proverMemory = await d.deploy('OneStepProverMemory', art.proverMemory)
  const proverMath = await d.deploy('OneStepProverMath', art.proverMath)
  const proverHostIo = await d.deploy('OneStepProverHostIo', art.proverHostIo, [zeroAddress])
  const oneStepProofEntry = await d.deploy('OneStepProofEntry', art.ospEntry, [prover0, proverMemory, proverMath, proverHostIo])
  const challengeManagerTemplate = await d.deploy('EdgeChallengeManager template', art.challengeManager)
  const rollupAdminLogic = await d.deploy('RollupAdminLogic', art.rollupAdmin)
  const rollupUserLogic = await d.deploy('RollupUserLogic', art.rollupUser)
  const upgradeExecutorLogic = await d.deploy('UpgradeExecutor logic (UpgradeExecutorMock)', art.upgradeExecutor)
  const validatorWalletCreator = await d.deploy('ValidatorWalletCreator', art.validatorWalletCreator)
  const deployHelper = await d.deploy('DeployHelper', art.deployHelper)
  const rollupCreator = await d.deploy('RollupCreator', art.rollupCreator, [
    owner,
    bridgeCreator,
    oneStepProofEntry,
    challengeManagerTemplate,
    rollupAdminLogic,
    rollupUserLogic,
    upgradeExecutorLogic,
    validatorWalletCreator,
    deployHelper,
  ])
  const stakeToken = await d.deploy('stake token (TestWETH9)', art.weth, ['Wrapped Ether', 'WETH'])

  const chainConfig = devnetChainConfig(l2ChainId, owner)
  const maxTimeVariation = {
    delayBlocks: BigInt(P.delayBlocks),
    futureBlocks: BigInt(P.futureBlocks),
    delaySeconds: BigInt(P.delaySeconds),
    futureSeconds: BigInt(P.futureSeconds),
  }
  const config = {
    confirmPeriodBlocks: BigInt(P.confirmPeriodBlocks),
    stakeToken,
    baseStake: P.baseStake,
    wasmModuleRoot: DEVNET_WASM_MODULE_ROOT,
    owner,
    loserStakeEscrow: owner,
    chainId: BigInt(l2ChainId),
    chainConfig,
    minimumAssertionPeriod: BigInt(P.minimumAssertionPeriod),
    validatorAfkBlocks: BigInt(P.validatorAfkBlocks),
    miniStakeValues: [...P.miniStakeValues],
    sequencerInboxMaxTimeVariation: maxTimeVariation,
    layerZeroBlockEdgeHeight: P.layerZeroBlockEdgeHeight,
    layerZeroBigStepEdgeHeight: P.layerZeroBigStepEdgeHeight,
    layerZeroSmallStepEdgeHeight: P.layerZeroSmallStepEdgeHeight,
    genesisAssertionState: GENESIS_ASSERTION_STATE,
    genesisInboxCount: 0n,
    anyTrustFastConfirmer: zeroAddress,
    numBigStepLevel: P.numBigStepLevel,
    challengeGracePeriodBlocks: BigInt(P.challengeGracePeriodBlocks),
    // threshold 0 selects the plain (not delay-bufferable) SequencerInbox template: the window is exactly delayBlocks.
    bufferConfig: params.delayBuffer
      ? { threshold: BigInt(params.delayBuffer.threshold), max: BigInt(params.delayBuffer.max), replenishRateInBasis: BigInt(params.delayBuffer.replenishRateInBasis) }
      : { threshold: 0n, max: 0n, replenishRateInBasis: 0n },
    dataCostEstimate: 0n,
  }
  const deployParams = {
    config,
    validators: [validator],
    maxDataSize,
    nativeToken: zeroAddress,
    deployFactoriesToL2: false,
    maxFeePerGasForRetryables: 0n,
    batchPosters: [batchPoster],
    batchPosterManager: zeroAddress,
    feeTokenPricer: zeroAddress,
    customOsp: zeroAddress,
  }
  const createReceipt = await d.call('RollupCreator.createRollup', rollupCreator, art.rollupCreator.abi, 'createRollup', [deployParams])
  const created = parseEventLogs({ abi: art.rollupCreator.abi, logs: createReceipt.logs, eventName: 'RollupCreated' })[0] as
    | { args: Record<string, Address> }
    | undefined
  if (!created) throw new ArbitrumDeployError('Devnet step failed: RollupCreator.createRollup (no RollupCreated event in the receipt).')
  const a = created.args
  const contracts = {
    rollup: getAddress(req(a.rollupAddress)),
    bridge: getAddress(req(a.bridge)),
    inbox: getAddress(req(a.inboxAddress)),
    sequencerInbox: getAddress(req(a.sequencerInbox)),
    outbox: getAddress(req(a.outbox)),
    challengeManager: getAddress(req(a.challengeManager)),
  }
  const rollupEventInbox = getAddress(req(a.rollupEventInbox))
  const upgradeExecutor = getAddress(req(a.upgradeExecutor))
  const proxyAdmin = getAddress(req(a.adminProxy))

  // The genesis assertion, from the rollup's own AssertionCreated (RollupAdminLogic.initialize).
  const genesisCreated = parseEventLogs({ abi: art.rollupUser.abi, logs: createReceipt.logs, eventName: 'AssertionCreated' })[0] as
    | { args: { assertionHash: Hex; inboxMaxCount: bigint } }
    | undefined
  if (!genesisCreated) throw new ArbitrumDeployError('Devnet step failed: RollupCreator.createRollup (no genesis AssertionCreated event).')

  await verifyWiring(clients, { contracts, rollupEventInbox, validator, batchPoster, art, genesisHash: genesisCreated.args.assertionHash })

  const parameters: Record<string, string | number> = {
    l2ChainId,
    maxDataSize: P.maxDataSize,
    confirmPeriodBlocks: P.confirmPeriodBlocks,
    minimumAssertionPeriod: P.minimumAssertionPeriod,
    validatorAfkBlocks: P.validatorAfkBlocks,
    challengeGracePeriodBlocks: P.challengeGracePeriodBlocks,
    baseStake: P.baseStake.toString(),
    miniStakeValues: P.miniStakeValues.join(','),
    numBigStepLevel: P.numBigStepLevel,
    layerZeroBlockEdgeHeight: P.layerZeroBlockEdgeHeight.toString(),
    layerZeroBigStepEdgeHeight: P.layerZeroBigStepEdgeHeight.toString(),
    layerZeroSmallStepEdgeHeight: P.layerZeroSmallStepEdgeHeight.toString(),
    delayBlocks: P.delayBlocks,
    futureBlocks: P.futureBlocks,
    delaySeconds: P.delaySeconds,
    futureSeconds: P.futureSeconds,
    isDelayBufferable: params.delayBuffer ? 'true' : 'false',
    ...(params.delayBuffer
      ? { bufferThreshold: params.delayBuffer.threshold, bufferMax: params.delayBuffer.max, bufferReplenishRateInBasis: params.delayBuffer.replenishRateInBasis }
      : {}),
    wasmModuleRoot: DEVNET_WASM_MODULE_ROOT,
    genesisInboxCount: 0,
    stakeToken: 'TestWETH9 (WETH9 from the nitro-contracts package)',
    upgradeExecutor: 'UpgradeExecutorMock (the only UpgradeExecutor in @arbitrum/nitro-contracts@3.2.0)',
  }
  return {
    network: {
      kind: 'arbitrum-nitro',
      name: params.name ?? 'arbitrum-devnet',
      l1ChainId: clients.chain.id,
      l2ChainId,
      contracts,
      // L2 block = message index: the Initialize message is block 0 (notes §1.5).
      l2GenesisBlock: 0,
      l1StartBlock: Number(createReceipt.blockNumber),
    },
    parameters,
    extraContracts: {
      rollupEventInbox,
      upgradeExecutor,
      proxyAdmin,
      validatorWalletCreator,
      rollupCreator,
      bridgeCreator,
      oneStepProofEntry,
      stakeToken,
      reader4844,
    },
    roles: { owner, validator, batchPoster },
    wasmModuleRoot: DEVNET_WASM_MODULE_ROOT,
    chainConfig,
    genesis: {
      assertionHash: genesisCreated.args.assertionHash,
      state: GENESIS_ASSERTION_STATE,
      nextInboxPosition: Number(genesisCreated.args.inboxMaxCount),
    },
    createdAtBlock: Number(createReceipt.blockNumber),
    createRollupTxHash: createReceipt.transactionHash,
  }
}

function req(value: Address | undefined): Address {
  if (!value) throw new ArbitrumDeployError('Devnet step failed: RollupCreator.createRollup (RollupCreated event is missing an address).')
  return value
}

/** Read the rollup's wiring back from L1; anything unexpected fails the deployment. */
async function verifyWiring(
  clients: L1Clients,
  w: {
    contracts: ArbitrumNetwork['contracts']
    rollupEventInbox: Address
    validator: Address
    batchPoster: Address
    art: Record<'rollupUser' | 'bridge' | 'sequencerInbox', NitroArtifact>
    genesisHash: Hex
  },
): Promise<void> {
  const { contracts, art } = w
  const step = 'check the rollup wiring'
  const expectEqual = (what: string, got: unknown, want: unknown): void => {
    const norm = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v)
    if (norm(got) !== norm(want)) {
      throw new ArbitrumDeployError(`Devnet step failed: ${step} (${what} is ${String(got)}, expected ${String(want)}).`)
    }
  }
  const rollup = contracts.rollup
  expectEqual('rollup.bridge()', await readAddress(clients, step, rollup, art.rollupUser.abi, 'bridge'), contracts.bridge)
  expectEqual('rollup.inbox()', await readAddress(clients, step, rollup, art.rollupUser.abi, 'inbox'), contracts.inbox)
  expectEqual('rollup.sequencerInbox()', await readAddress(clients, step, rollup, art.rollupUser.abi, 'sequencerInbox'), contracts.sequencerInbox)
  expectEqual('rollup.outbox()', await readAddress(clients, step, rollup, art.rollupUser.abi, 'outbox'), contracts.outbox)
  expectEqual('rollup.challengeManager()', await readAddress(clients, step, rollup, art.rollupUser.abi, 'challengeManager'), contracts.challengeManager)
  expectEqual('rollup.isValidator(validator)', await readAddress(clients, step, rollup, art.rollupUser.abi, 'isValidator', [w.validator]), true)
  expectEqual('rollup.validatorWhitelistDisabled()', await readAddress(clients, step, rollup, art.rollupUser.abi, 'validatorWhitelistDisabled'), false)
  expectEqual('rollup.latestConfirmed()', await readAddress(clients, step, rollup, art.rollupUser.abi, 'latestConfirmed'), w.genesisHash)
  expectEqual('bridge.rollup()', await readAddress(clients, step, contracts.bridge, art.bridge.abi, 'rollup'), rollup)
  expectEqual('bridge.sequencerInbox()', await readAddress(clients, step, contracts.bridge, art.bridge.abi, 'sequencerInbox'), contracts.sequencerInbox)
  expectEqual('bridge.allowedDelayedInboxes(inbox)', await readAddress(clients, step, contracts.bridge, art.bridge.abi, 'allowedDelayedInboxes', [contracts.inbox]), true)
  expectEqual('bridge.allowedDelayedInboxes(rollupEventInbox)', await readAddress(clients, step, contracts.bridge, art.bridge.abi, 'allowedDelayedInboxes', [w.rollupEventInbox]), true)
  expectEqual('bridge.allowedOutboxes(outbox)', await readAddress(clients, step, contracts.bridge, art.bridge.abi, 'allowedOutboxes', [contracts.outbox]), true)
  expectEqual('sequencerInbox.isBatchPoster(batchPoster)', await readAddress(clients, step, contracts.sequencerInbox, art.sequencerInbox.abi, 'isBatchPoster', [w.batchPoster]), true)
  // RollupAdminLogic.initialize posts batch 0 (reading the Initialize delayed message): the inbox starts at 1 batch.
  expectEqual('bridge.sequencerMessageCount()', await readAddress(clients, step, contracts.bridge, art.bridge.abi, 'sequencerMessageCount'), 1n)
}
