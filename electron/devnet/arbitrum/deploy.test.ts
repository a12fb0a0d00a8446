import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPublicClient, encodeFunctionData, http, parseAbi, zeroHash } from 'viem'
import { startAnvil, type AnvilHandle } from '../anvil'
import { DEVNET_ARBITRUM_PARAMETERS, deployArbitrum, type ArbitrumDevnetDeployment } from './deploy'
import { ArbitrumDeployError } from './errors'
import { createL1Clients, sendL1Transaction } from './sendL1Transaction'
import { arbitrumNetworkSchema } from '../../../shared/rollups/arbitrum-nitro/network'

describe('deployArbitrum (real RollupCreator on anvil)', () => {
  let anvil: AnvilHandle
  let deployment: ArbitrumDevnetDeployment

  beforeAll(async () => {
    anvil = await startAnvil()
    const [deployer, validator, batchPoster] = anvil.accounts
    if (!deployer || !validator || !batchPoster) throw new Error('anvil accounts missing')
    const started = performance.now()
    deployment = await deployArbitrum({ rpcUrl: anvil.rpcUrl, deployer, validator, batchPoster })
    console.info(`Arbitrum deployment took ${Math.round(performance.now() - started)} ms`)
  })
  afterAll(async () => {
    await anvil?.stop()
  })

  it('creates a rollup whose wiring reads back from L1', async () => {
    expect(arbitrumNetworkSchema.parse(deployment.network)).toEqual(deployment.network)
    expect(deployment.network.l1StartBlock).toBe(deployment.createdAtBlock)
    expect(deployment.network.l2GenesisBlock).toBe(0)
    const client = createPublicClient({ transport: http(anvil.rpcUrl) })
    const { contracts } = deployment.network
    const rollupAbi = parseAbi([
      'function bridge() view returns (address)',
      'function inbox() view returns (address)',
      'function sequencerInbox() view returns (address)',
      'function outbox() view returns (address)',
      'function isValidator(address) view returns (bool)',
      'function getValidators() view returns (address[])',
      'function confirmPeriodBlocks() view returns (uint64)',
      'function wasmModuleRoot() view returns (bytes32)',
      'function chainId() view returns (uint256)',
    ])
    const read = (functionName: 'bridge' | 'inbox' | 'sequencerInbox' | 'outbox') =>
      client.readContract({ address: contracts.rollup, abi: rollupAbi, functionName })
    expect(await read('bridge')).toBe(contracts.bridge)
    expect(await read('inbox')).toBe(contracts.inbox)
    expect(await read('sequencerInbox')).toBe(contracts.sequencerInbox)
    expect(await read('outbox')).toBe(contracts.outbox)
    expect(await client.readContract({ address: contracts.rollup, abi: rollupAbi, functionName: 'getValidators' })).toEqual([deployment.roles.validator])
    expect(await client.readContract({ address: contracts.rollup, abi: rollupAbi, functionName: 'isValidator', args: [deployment.roles.batchPoster] })).toBe(false)
    expect(await client.readContract({ address: contracts.rollup, abi: rollupAbi, functionName: 'confirmPeriodBlocks' })).toBe(
      BigInt(DEVNET_ARBITRUM_PARAMETERS.confirmPeriodBlocks),
    )
    expect(await client.readContract({ address: contracts.rollup, abi: rollupAbi, functionName: 'wasmModuleRoot' })).toBe(deployment.wasmModuleRoot)
    expect(await client.readContract({ address: contracts.rollup, abi: rollupAbi, functionName: 'chainId' })).toBe(BigInt(deployment.network.l2ChainId))

    const seqAbi = parseAbi([
      'function isBatchPoster(address) view returns (bool)',
      'function maxTimeVariation() view returns (uint256, uint256, uint256, uint256)',
      'function isDelayBufferable() view returns (bool)',
      'function bridge() view returns (address)',
    ])
    expect(await client.readContract({ address: contracts.sequencerInbox, abi: seqAbi, functionName: 'isBatchPoster', args: [deployment.roles.batchPoster] })).toBe(true)
    expect(await client.readContract({ address: contracts.sequencerInbox, abi: seqAbi, functionName: 'isBatchPoster', args: [deployment.roles.validator] })).toBe(false)
    const p = DEVNET_ARBITRUM_PARAMETERS
    expect(await client.readContract({ address: contracts.sequencerInbox, abi: seqAbi, functionName: 'maxTimeVariation' })).toEqual([
      BigInt(p.delayBlocks),
      BigInt(p.futureBlocks),
      BigInt(p.delaySeconds),
      BigInt(p.futureSeconds),
    ])
    expect(await client.readContract({ address: contracts.sequencerInbox, abi: seqAbi, functionName: 'bridge' })).toBe(contracts.bridge)

    const bridgeAbi = parseAbi([
      'function allowedDelayedInboxes(address) view returns (bool)',
      'function allowedOutboxes(address) view returns (bool)',
      'function delayedMessageCount() view returns (uint256)',
    ])
    expect(await client.readContract({ address: contracts.bridge, abi: bridgeAbi, functionName: 'allowedDelayedInboxes', args: [contracts.inbox] })).toBe(true)
    expect(await client.readContract({ address: contracts.bridge, abi: bridgeAbi, functionName: 'allowedOutboxes', args: [contracts.outbox] })).toBe(true)
    // The Initialize message (kind 11) from RollupEventInbox is delayed message 0.
    expect(await client.readContract({ address: contracts.bridge, abi: bridgeAbi, functionName: 'delayedMessageCount' })).toBe(1n)
    // The rollup is real BoLD code, not RollupMock: the user logic answers BoLD-only views.
    const code = await client.getCode({ address: contracts.challengeManager! })
    expect(code && code.length > 2).toBe(true)
  })

  it('names the step when a deployment transaction cannot be sent', async () => {
    const [deployer, validator, batchPoster] = anvil.accounts
    if (!deployer || !validator || !batchPoster) throw new Error('anvil accounts missing')
    // A key that does not match its address is refused before anything is sent.
    const wrongKey = { address: deployer.address, privateKey: validator.privateKey }
    await expect(deployArbitrum({ rpcUrl: anvil.rpcUrl, deployer: wrongKey, validator, batchPoster })).rejects.toThrow(/does not belong/)
    // An L1 that is gone: the first step fails with an ArbitrumDeployError naming it.
    const error = await deployArbitrum({ rpcUrl: 'http://127.0.0.1:9', deployer, validator, batchPoster }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ArbitrumDeployError)
    expect((error as ArbitrumDeployError).shortMessage).toMatch(/connect to the L1 node/)
  })

  it('turns a reverting deployment-time transaction into an error naming the step', async () => {
    const [deployer] = anvil.accounts
    if (!deployer) throw new Error('anvil accounts missing')
    const clients = await createL1Clients(anvil.rpcUrl)
    const wallet = clients.walletFor(deployer)
    // Only an allowed delayed inbox may enqueue into the Bridge: a direct call reverts (NotDelayedInbox).
    const data = encodeFunctionData({
      abi: parseAbi(['function enqueueDelayedMessage(uint8 kind, address sender, bytes32 messageDataHash) payable returns (uint256)']),
      functionName: 'enqueueDelayedMessage',
      args: [3, deployer.address, zeroHash],
    })
    const error = await sendL1Transaction(clients, 'enqueue into the bridge directly', ArbitrumDeployError, () =>
      wallet.sendTransaction({ to: deployment.network.contracts.bridge, data }),
    ).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ArbitrumDeployError)
    expect((error as ArbitrumDeployError).shortMessage).toMatch(/^Devnet step failed: enqueue into the bridge directly\. The L1 transaction was refused: /)
    expect((error as ArbitrumDeployError).steps[0]).toMatch(/devnet L1 \(anvil\) is running/)
    expect((error as ArbitrumDeployError).details).toMatch(/NotDelayedInbox|revert/i)
  })
})
