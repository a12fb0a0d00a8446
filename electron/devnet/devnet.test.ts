import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createPublicClient, createWalletClient, fromBlobs, http, parseEther, parseEventLogs, parseGwei, stringToHex, toBlobs, toHex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { optimismPortal2Abi } from '../../contracts-abi/op-stack/OptimismPortal2'
import { inboxAbi } from '../../contracts-abi/arbitrum-nitro/Inbox'
import { bridgeAbi } from '../../contracts-abi/arbitrum-nitro/Bridge'
import { startDevnet, DEVNET_ROLES, type Devnet } from './devnet'
import { loadViemKzg } from '../services/kzg'
import { DevnetManifestError, readDevnetManifest } from './manifest'
import { AnvilPortInUseError } from './anvilErrors'
import { OpDeployError } from './op/errors'

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH'
  }
}

describe('startDevnet (both stacks, real contracts on anvil)', () => {
  let devnet: Devnet
  let stateDir: string

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'devnet-'))
    devnet = await startDevnet({ stacks: ['op', 'arbitrum'], stateDir })
  })
  afterAll(async () => {
    await devnet?.stop()
  })

  const client = () => createPublicClient({ transport: http(devnet.l1.rpcUrl), cacheTime: 0 })
  const wallet = (index: number) =>
    createWalletClient({ account: privateKeyToAccount(devnet.anvil.accounts[index]!.privateKey), transport: http(devnet.l1.rpcUrl) })

  it('writes a manifest that reads back valid and names both stacks', () => {
    expect(devnet.manifestPath).toBe(join(stateDir, 'manifest.json'))
    const manifest = readDevnetManifest(stateDir)
    expect(manifest).toEqual(devnet.manifest)
    expect(manifest.l1).toMatchObject({ rpcUrl: devnet.l1.rpcUrl, beaconUrl: devnet.l1.beaconUrl, chainId: devnet.l1.chainId, hardfork: 'prague' })
    expect(manifest.op?.contracts.optimismPortal).toBe(devnet.op?.contracts.optimismPortal)
    expect(manifest.arbitrum?.network.contracts.inbox).toBe(devnet.arbitrum?.network.contracts.inbox)
    expect(manifest.accounts[DEVNET_ROLES.opBatcher]?.role).toBe('opBatcher')
    expect(manifest.timings.opDeployMs).toBeGreaterThan(0)
  })

  it('carries an OP deposit through OptimismPortal2 (TransactionDeposited)', async () => {
    const user = wallet(DEVNET_ROLES.user1)
    const to = devnet.anvil.accounts[DEVNET_ROLES.user1]!.address
    const hash = await user.writeContract({
      address: devnet.manifest.op!.contracts.optimismPortal,
      abi: optimismPortal2Abi,
      functionName: 'depositTransaction',
      args: [to, parseEther('0.5'), 100_000n, false, '0x'],
      value: parseEther('0.5'),
      chain: null,
    })
    const receipt = await client().waitForTransactionReceipt({ hash })
    const logs = parseEventLogs({ abi: optimismPortal2Abi, logs: receipt.logs, eventName: 'TransactionDeposited' })
    expect(logs).toHaveLength(1)
    expect(logs[0]!.args).toMatchObject({ from: to, to, version: 0n })
    // opaqueData = mint (32) ++ value (32) ++ gasLimit (8) ++ isCreation (1) ++ data (deposits.md §"Deposit event").
    expect(logs[0]!.args.opaqueData).toBe(`0x${toHex(parseEther('0.5'), { size: 32 }).slice(2).repeat(2)}${toHex(100_000n, { size: 8 }).slice(2)}00`)
  })

  it('carries an Arbitrum sendL2Message through the Inbox (MessageDelivered + InboxMessageDelivered)', async () => {
    const user = wallet(DEVNET_ROLES.user2)
    const message = stringToHex('escape hatch devnet: a signed L2 tx would go here')
    const { inbox, bridge } = devnet.manifest.arbitrum!.network.contracts
    const hash = await user.writeContract({ address: inbox, abi: inboxAbi, functionName: 'sendL2Message', args: [message], chain: null })
    const receipt = await client().waitForTransactionReceipt({ hash })
    const delivered = parseEventLogs({ abi: bridgeAbi, logs: receipt.logs, eventName: 'MessageDelivered' })
    const inboxDelivered = parseEventLogs({ abi: inboxAbi, logs: receipt.logs, eventName: 'InboxMessageDelivered' })
    expect(delivered).toHaveLength(1)
    expect(delivered[0]!.address.toLowerCase()).toBe(bridge.toLowerCase())
    expect(delivered[0]!.args.inbox.toLowerCase()).toBe(inbox.toLowerCase())
    expect(delivered[0]!.args.kind).toBe(3) // L2_MSG
    expect(inboxDelivered).toHaveLength(1)
    expect(inboxDelivered[0]!.args.messageNum).toBe(delivered[0]!.args.messageIndex)
    expect(inboxDelivered[0]!.args.data).toBe(message)
  })

  it('carries a blob and serves it on the beacon endpoint', async () => {
    const user = wallet(DEVNET_ROLES.user3)
    const payload = stringToHex('blob through the devnet '.repeat(100))
    const blobs = toBlobs({ data: payload })
    const hash = await user.sendTransaction({ blobs, kzg: loadViemKzg(), maxFeePerBlobGas: parseGwei('30'), to: devnet.manifest.op!.batchInbox, chain: null })
    const receipt = await client().waitForTransactionReceipt({ hash })
    const response = await fetch(`${devnet.l1.beaconUrl}/eth/v1/beacon/blobs/${receipt.blockNumber}`)
    const body = (await response.json()) as { data: `0x${string}`[] }
    expect(body.data).toEqual(blobs)
    expect(fromBlobs({ blobs: body.data })).toBe(payload)
  })

  it('stops with no process left behind', async () => {
    const pid = devnet.anvil.pid
    expect(pidAlive(pid)).toBe(true)
    if (existsSync('/proc/self/stat')) expect(childAnvils()).toEqual([pid])
    await devnet.stop()
    expect(pidAlive(pid)).toBe(false)
    expect(childAnvils()).toEqual([])
    await devnet.stop()
  })
})

/** anvil processes whose parent is this test process (Linux /proc; elsewhere the check is skipped). */
function childAnvils(): number[] {
  if (!existsSync('/proc/self/stat')) return []
  return readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .filter((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
        return stat.includes('(anvil)') && Number(fields[1]) === process.pid
      } catch {
        return false
      }
    })
    .map(Number)
}

describe('startDevnet failures', () => {
  it('reports a reverting deployment tx by step, writes no manifest and leaves no anvil running', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'devnet-fail-'))
    const error = await startDevnet({ stacks: ['op', 'arbitrum'], stateDir, opOverrides: { splitDepth: 80, maxGameDepth: 73 } }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OpDeployError)
    expect((error as OpDeployError).shortMessage).toBe(
      'Devnet step failed: deploy the FaultDisputeGame implementation (game type 0). The L1 transaction was refused: InvalidSplitDepth().',
    )
    expect(existsSync(join(stateDir, 'manifest.json'))).toBe(false)
    expect(childAnvils()).toEqual([])
  })

  it('reports a taken port before deploying anything', async () => {
    const server = createServer()
    await new Promise<void>((resolve) => server.listen({ host: '127.0.0.1', port: 0 }, resolve))
    try {
      const port = (server.address() as { port: number }).port
      await expect(startDevnet({ stacks: ['op'], port })).rejects.toBeInstanceOf(AnvilPortInUseError)
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
    expect(childAnvils()).toEqual([])
  })
})

describe('devnet manifest', () => {
  it('refuses a tampered manifest with a clear error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'devnet-bad-'))
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ version: 1, l1: { rpcUrl: 'not a url' } }))
    expect(() => readDevnetManifest(dir)).toThrow(DevnetManifestError)
    expect(() => readDevnetManifest(dir)).toThrow(/is not a valid devnet manifest/)
    writeFileSync(join(dir, 'manifest.json'), '{')
    expect(() => readDevnetManifest(dir)).toThrow(/is not JSON/)
    expect(() => readDevnetManifest(join(dir, 'missing'))).toThrow(/Cannot read the devnet manifest/)
    expect(readFileSync(join(dir, 'manifest.json'), 'utf8')).toBe('{')
  })
})
