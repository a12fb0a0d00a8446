import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPublicClient, createWalletClient, http, parseEther, parseEventLogs, zeroAddress } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { optimismPortal2Abi } from '../../../contracts-abi/op-stack/OptimismPortal2'
import { disputeGameFactoryAbi } from '../../../contracts-abi/op-stack/DisputeGameFactory'
import { faultDisputeGameAbi } from '../../../contracts-abi/op-stack/FaultDisputeGame'
import { increaseTime } from '../timeTravel'
import { startAnvil, type AnvilHandle } from '../anvil'
import { AnvilCrashedError } from '../anvilErrors'
import { deployOpStack, DEVNET_OP_PARAMETERS, type OpStackDevnetDeployment } from './deploy'
import { OpDeployError } from './errors'

let anvil: AnvilHandle
let deployment: OpStackDevnetDeployment
let deployMs = 0

beforeAll(async () => {
  anvil = await startAnvil({ chainId: 900 })
  const [deployer, batcher, proposer, challenger] = anvil.accounts
  const t0 = performance.now()
  deployment = await deployOpStack({ rpcUrl: anvil.rpcUrl, deployer: deployer!, batcher: batcher!, proposer: proposer!, challenger: challenger!, l1Node: anvil })
  deployMs = performance.now() - t0
})
afterAll(async () => {
  await anvil?.stop()
})

describe('deployOpStack', () => {
  it('deploys the npm v1.4.0 fault-proof system and records it', () => {
    expect(deployment.versions).toMatchObject({ OptimismPortal2: '3.10.0', DisputeGameFactory: '1.0.0', FaultDisputeGame: '1.2.0', AnchorStateRegistry: '1.0.0' })
    expect(deployment.l1ChainId).toBe(900)
    expect(deployment.l2ChainId).toBe(DEVNET_OP_PARAMETERS.l2ChainId)
    expect(deployment.batchInbox.toLowerCase()).toBe('0xff00000000000000000000000000000000000901')
    expect(deployment.startBlock).toBeGreaterThan(deployment.deployedFromBlock)
    expect(deployMs).toBeGreaterThan(0)
  })

  it('takes a deposit through OptimismPortal2 and emits TransactionDeposited', async () => {
    const user = privateKeyToAccount(anvil.accounts[6]!.privateKey)
    const wallet = createWalletClient({ account: user, transport: http(anvil.rpcUrl) })
    const client = createPublicClient({ transport: http(anvil.rpcUrl) })
    const hash = await wallet.writeContract({
      address: deployment.contracts.optimismPortal,
      abi: optimismPortal2Abi,
      functionName: 'depositTransaction',
      args: [user.address, parseEther('1'), 100_000n, false, '0x'],
      value: parseEther('1'),
      chain: null,
    })
    const receipt = await client.waitForTransactionReceipt({ hash })
    const [log] = parseEventLogs({ abi: optimismPortal2Abi, logs: receipt.logs, eventName: 'TransactionDeposited' })
    expect(log?.args.from).toBe(user.address)
    expect(log?.args.to).toBe(user.address)
    expect(await client.getBalance({ address: deployment.contracts.optimismPortal })).toBe(parseEther('1'))
  })

  it('lets anyone create a permissionless game above the anchor, which resolves after the devnet game clock', async () => {
    const user = privateKeyToAccount(anvil.accounts[7]!.privateKey)
    const wallet = createWalletClient({ account: user, transport: http(anvil.rpcUrl) })
    const client = createPublicClient({ transport: http(anvil.rpcUrl) })
    const hash = await wallet.writeContract({
      address: deployment.contracts.disputeGameFactory,
      abi: disputeGameFactoryAbi,
      functionName: 'create',
      args: [0, `0x${'11'.repeat(32)}`, `0x${'00'.repeat(31)}05`],
      value: DEVNET_OP_PARAMETERS.initBond,
      chain: null,
    })
    const receipt = await client.waitForTransactionReceipt({ hash })
    expect(receipt.status).toBe('success')
    const [created] = parseEventLogs({ abi: disputeGameFactoryAbi, logs: receipt.logs, eventName: 'DisputeGameCreated' })
    expect(created?.args.disputeProxy).not.toBe(zeroAddress)

    // Time travel through the devnet game clock: an unchallenged game resolves DEFENDER_WINS after maxClockDuration.
    const game = created!.args.disputeProxy
    const resolveClaim = () => wallet.writeContract({ address: game, abi: faultDisputeGameAbi, functionName: 'resolveClaim', args: [0n, 0n], chain: null })
    await expect(resolveClaim()).rejects.toThrow(/ClockNotExpired/)
    await increaseTime(anvil.rpcUrl, DEVNET_OP_PARAMETERS.maxClockDuration + 1)
    await client.waitForTransactionReceipt({ hash: await resolveClaim() })
    await client.waitForTransactionReceipt({ hash: await wallet.writeContract({ address: game, abi: faultDisputeGameAbi, functionName: 'resolve', chain: null }) })
    expect(await client.readContract({ address: game, abi: faultDisputeGameAbi, functionName: 'status' })).toBe(2) // DEFENDER_WINS
    expect(await client.readContract({ address: game, abi: faultDisputeGameAbi, functionName: 'l2BlockNumber' })).toBe(5n)
  })
})

describe('deployOpStack failures', () => {
  it('names the step when a deployment transaction reverts, and returns no deployment', async () => {
    const a = await startAnvil()
    try {
      const [deployer, batcher, proposer, challenger] = a.accounts
      // The real FaultDisputeGame constructor refuses a clock extension longer than the clock.
      const error = await deployOpStack({
        rpcUrl: a.rpcUrl,
        deployer: deployer!,
        batcher: batcher!,
        proposer: proposer!,
        challenger: challenger!,
        overrides: { clockExtension: 400, maxClockDuration: 300 },
        l1Node: a,
      }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(OpDeployError)
      expect((error as OpDeployError).shortMessage).toMatch(/^Devnet step failed: deploy the FaultDisputeGame implementation \(game type 0\)\. The L1 transaction was refused: InvalidClockExtension\(\)\.$/)
    } finally {
      await a.stop()
    }
  })

  it('names the step when anvil dies during the deployment', async () => {
    const a = await startAnvil()
    const [deployer, batcher, proposer, challenger] = a.accounts
    let steps = 0
    const error = await deployOpStack({
      rpcUrl: a.rpcUrl,
      deployer: deployer!,
      batcher: batcher!,
      proposer: proposer!,
      challenger: challenger!,
      l1Node: {
        assertRunning: (step) => {
          if (++steps === 5) process.kill(a.pid, 'SIGKILL')
          a.assertRunning(step)
        },
        confirmRunning: (step) => a.confirmRunning(step),
      },
    }).catch((e: unknown) => e)
    await a.stop()
    expect(error).toBeInstanceOf(AnvilCrashedError)
    expect((error as AnvilCrashedError).shortMessage).toMatch(/stopped unexpectedly .*; failed step: /)
  })
})
