import { createClient, http, numberToHex, type Client } from 'viem'
import { DevnetRpcError } from './anvilErrors'

/**
 * Time travel and mining on the devnet (anvil's evm_* / anvil_* JSON-RPC methods). Drills and tests use these to
 * move through proof maturity, game clocks and confirm periods. Each takes a viem client or an RPC URL.
 */
export type DevnetTarget = Client | string

type LooseRequest = (args: { method: string; params?: unknown[] }) => Promise<unknown>

const clients = new Map<string, Client>()

function requestFn(target: DevnetTarget): LooseRequest {
  let client: Client
  if (typeof target === 'string') {
    client = clients.get(target) ?? createClient({ transport: http(target, { retryCount: 0, timeout: 30_000 }) })
    clients.set(target, client)
  } else {
    client = target
  }
  return client.request as unknown as LooseRequest
}

async function call(target: DevnetTarget, step: string, method: string, params: unknown[]): Promise<unknown> {
  try {
    return await requestFn(target)({ method, params })
  } catch (cause) {
    throw new DevnetRpcError(`The devnet did not do "${step}" (${method} failed).`, {
      steps: ['Check that the devnet is still running (`escape-hatch devnet up`); a stopped or crashed anvil shows here.'],
      cause,
    })
  }
}

async function latestTimestamp(target: DevnetTarget, step: string): Promise<bigint> {
  const block = (await call(target, step, 'eth_getBlockByNumber', ['latest', false])) as { timestamp?: string } | null
  if (!block?.timestamp) throw new DevnetRpcError(`The devnet returned no latest block during "${step}".`)
  return BigInt(block.timestamp)
}

/**
 * Move the chain's clock forward by `seconds` and mine one block, so calls against `latest` see the new time.
 * Returns the new latest block timestamp.
 */
export async function increaseTime(target: DevnetTarget, seconds: number | bigint): Promise<bigint> {
  const step = `increase time by ${seconds} s`
  if (BigInt(seconds) < 0n) throw new DevnetRpcError(`Cannot ${step}: time only moves forward.`, { kind: 'critical' })
  await call(target, step, 'evm_increaseTime', [numberToHex(BigInt(seconds))])
  await call(target, step, 'evm_mine', [])
  return latestTimestamp(target, step)
}

/** Mine `blocks` blocks, `intervalSeconds` apart (default 1 s). Returns the new latest block timestamp. */
export async function mine(target: DevnetTarget, blocks: number | bigint = 1, intervalSeconds: number | bigint = 1): Promise<bigint> {
  const step = `mine ${blocks} block(s)`
  if (BigInt(blocks) < 1n) throw new DevnetRpcError(`Cannot ${step}: mine at least one block.`, { kind: 'critical' })
  await call(target, step, 'anvil_mine', [numberToHex(BigInt(blocks)), numberToHex(BigInt(intervalSeconds))])
  return latestTimestamp(target, step)
}

/** Fix the timestamp of the next mined block (must be later than the latest block's). */
export async function setNextBlockTimestamp(target: DevnetTarget, timestamp: number | bigint): Promise<void> {
  await call(target, `set the next block timestamp to ${timestamp}`, 'evm_setNextBlockTimestamp', [numberToHex(BigInt(timestamp))])
}

/** Take a snapshot of the whole chain state; pass the id to revert(). */
export async function snapshot(target: DevnetTarget): Promise<`0x${string}`> {
  const id = await call(target, 'take a snapshot', 'evm_snapshot', [])
  if (typeof id !== 'string' || !id.startsWith('0x')) throw new DevnetRpcError(`The devnet returned a malformed snapshot id: ${String(id)}.`)
  return id as `0x${string}`
}

/** Return the chain to a snapshot. A snapshot can be reverted to once (anvil drops it after use). */
export async function revert(target: DevnetTarget, snapshotId: `0x${string}`): Promise<void> {
  const step = `revert to snapshot ${snapshotId}`
  const ok = await call(target, step, 'evm_revert', [snapshotId])
  if (ok !== true) {
    throw new DevnetRpcError(`The devnet could not ${step}: unknown or already used snapshot.`, {
      kind: 'critical',
      steps: ['Take a new snapshot after each revert; anvil forgets a snapshot once it is used.'],
    })
  }
}
