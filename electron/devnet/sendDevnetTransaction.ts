import {
  createPublicClient,
  createWalletClient,
  decodeErrorResult,
  defineChain,
  http,
  isHex,
  type Abi,
  type Account,
  type Chain,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
  type Transport,
  type WalletClient,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { EscapeError, type EscapeErrorOptions } from '../../shared/errors/EscapeError'

/** A devnet key pair (anvil's deterministic accounts). */
export interface DevnetKey {
  address: `0x${string}`
  privateKey: `0x${string}`
}

export interface DevnetL1 {
  chain: Chain
  public: PublicClient<Transport, Chain>
  walletFor(key: DevnetKey): WalletClient<Transport, Chain, Account>
  /** The L1 node's liveness (an AnvilHandle); throws its crash error naming the step. */
  node: DevnetL1Node
}

/** What an AnvilHandle offers to tell a dead node from a failing call. */
export interface DevnetL1Node {
  assertRunning(step: string): void
  confirmRunning(step: string): Promise<void>
}

const UNKNOWN_NODE: DevnetL1Node = { assertRunning: () => undefined, confirmRunning: async () => undefined }

/** viem clients for the devnet L1 (loopback anvil); the chain id is read once from the node. */
export async function connectDevnetL1(rpcUrl: string, node: DevnetL1Node = UNKNOWN_NODE): Promise<DevnetL1> {
  const transport = http(rpcUrl, { retryCount: 0, timeout: 60_000 })
  const chainId = await createPublicClient({ transport }).getChainId()
  const chain = defineChain({
    id: chainId,
    name: `devnet L1 (${chainId})`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  })
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 20, cacheTime: 0 })
  const wallets = new Map<string, WalletClient<Transport, Chain, Account>>()
  return {
    chain,
    public: publicClient,
    node,
    walletFor(key) {
      const id = key.address.toLowerCase()
      let wallet = wallets.get(id)
      if (!wallet) {
        const account = privateKeyToAccount(key.privateKey)
        if (account.address.toLowerCase() !== id) throw new EscapeError(`The devnet key for ${key.address} does not belong to that address.`)
        wallet = createWalletClient({ account, chain, transport })
        wallets.set(id, wallet)
      }
      return wallet
    },
  }
}

export type DevnetErrorClass = new (shortMessage: string, options?: EscapeErrorOptions) => EscapeError

/** The revert data carried somewhere in a viem error's cause chain, if any. */
function revertData(error: unknown): Hex | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 10; e = (e as { cause?: unknown }).cause, depth++) {
    const data = (e as { data?: unknown }).data
    if (typeof data === 'string' && isHex(data) && data.length >= 10) return data
    if (data && typeof data === 'object' && typeof (data as { data?: unknown }).data === 'string') return (data as { data: Hex }).data
  }
  return undefined
}

/** "Name(args)" for a revert the ABI knows, the raw selector otherwise, or the node's message. */
export function describeRevert(error: unknown, abi: Abi | undefined): string {
  const data = revertData(error)
  if (data && abi) {
    try {
      const decoded = decodeErrorResult({ abi, data })
      return `${decoded.errorName}(${(decoded.args ?? []).map(String).join(', ')})`
    } catch {
      // not in this ABI; fall through
    }
  }
  const message = error instanceof Error ? ((error as { shortMessage?: string }).shortMessage ?? error.message) : String(error)
  return data ? `${message} (revert data ${data.slice(0, 74)})` : message
}

export interface SendDevnetTransactionParameters {
  l1: DevnetL1
  /** What this transaction does, in words; every error names it. */
  step: string
  ErrorClass: DevnetErrorClass
  /** Used to decode a revert into the contract's custom error. */
  abi?: Abi
  /** What the user can do when it fails; the default fits a deployment (the devnet was not started). */
  steps?: readonly string[]
  send: () => Promise<Hex>
}

const DEPLOYMENT_FAILED_STEPS = ['This is a bug in the devnet deployment or its parameters; the devnet was not started. Report it with the details.']

/**
 * Send one devnet L1 transaction and wait for its receipt. A refusal (a revert found by gas estimation), a missing
 * receipt or a reverted receipt becomes `ErrorClass` naming the step; a dead L1 node becomes its crash error.
 */
export async function sendDevnetTransaction({ l1, step, ErrorClass, abi, steps = DEPLOYMENT_FAILED_STEPS, send }: SendDevnetTransactionParameters): Promise<TransactionReceipt> {
  l1.node.assertRunning(step)
  let hash: Hex
  try {
    hash = await send()
  } catch (cause) {
    await l1.node.confirmRunning(step)
    throw new ErrorClass(`Devnet step failed: ${step}. The L1 transaction was refused: ${describeRevert(cause, abi)}.`, {
      steps,
      details: firstLines(cause),
      cause,
    })
  }
  let receipt: TransactionReceipt
  try {
    receipt = await l1.public.waitForTransactionReceipt({ hash, timeout: 60_000, pollingInterval: 10 })
  } catch (cause) {
    await l1.node.confirmRunning(step)
    throw new ErrorClass(`Devnet step failed: ${step}. No receipt for L1 transaction ${hash}.`, { cause })
  }
  if (receipt.status !== 'success') {
    throw new ErrorClass(`Devnet step failed: ${step}. L1 transaction ${hash} reverted.`, {
      steps,
      details: `block ${receipt.blockNumber}, gas used ${receipt.gasUsed}`,
    })
  }
  return receipt
}

function firstLines(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  return text.split('\n').slice(0, 12).join('\n')
}
