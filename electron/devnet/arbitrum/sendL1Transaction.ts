import {
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  type Account,
  type Chain,
  type Hex,
  type PublicClient,
  type TransactionReceipt,
  type WalletClient,
  type Transport,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { EscapeError, type EscapeErrorOptions } from '../../../shared/errors/EscapeError'

/** A devnet key pair, as the orchestrator hands them out (anvil's deterministic accounts). */
export interface DevnetKey {
  address: `0x${string}`
  privateKey: `0x${string}`
}

export interface L1Clients {
  chain: Chain
  public: PublicClient<Transport, Chain>
  walletFor(key: DevnetKey): WalletClient<Transport, Chain, Account>
}

/** viem clients for the devnet L1 (loopback anvil), with the chain id read once from the node. */
export async function createL1Clients(rpcUrl: string): Promise<L1Clients> {
  const transport = http(rpcUrl, { retryCount: 0, timeout: 60_000 })
  const probe = createPublicClient({ transport })
  const chainId = await probe.getChainId()
  const chain = defineChain({
    id: chainId,
    name: `devnet L1 (${chainId})`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  })
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 50 })
  const wallets = new Map<string, WalletClient<Transport, Chain, Account>>()
  return {
    chain,
    public: publicClient,
    walletFor(key) {
      let wallet = wallets.get(key.address.toLowerCase())
      if (!wallet) {
        const account = privateKeyToAccount(key.privateKey)
        if (account.address.toLowerCase() !== key.address.toLowerCase()) {
          throw new EscapeError(`The devnet key for ${key.address} does not belong to that address.`, { kind: 'critical' })
        }
        wallet = createWalletClient({ account, chain, transport })
        wallets.set(key.address.toLowerCase(), wallet)
      }
      return wallet
    },
  }
}

type ErrorClass = new (shortMessage: string, options?: EscapeErrorOptions) => EscapeError

/**
 * Sends one L1 transaction and waits for its receipt; a failure to send (e.g. a revert found by gas estimation) or a
 * reverted receipt becomes `ErrorClass` naming `step`, so a devnet failure says which step broke.
 */
export async function sendL1Transaction(
  clients: L1Clients,
  step: string,
  ErrorClass: ErrorClass,
  send: () => Promise<Hex>,
): Promise<TransactionReceipt> {
  let hash: Hex
  try {
    hash = await send()
  } catch (cause) {
    throw new ErrorClass(`Devnet step failed: ${step} (the L1 transaction was refused or reverted).`, {
      steps: ['Check that the devnet L1 (anvil) is running and was not reset, then start the devnet again.'],
      details: firstLines(cause),
      cause,
    })
  }
  let receipt: TransactionReceipt
  try {
    receipt = await clients.public.waitForTransactionReceipt({ hash, timeout: 60_000, pollingInterval: 20 })
  } catch (cause) {
    throw new ErrorClass(`Devnet step failed: ${step} (no receipt for L1 transaction ${hash}).`, { cause })
  }
  if (receipt.status !== 'success') {
    throw new ErrorClass(`Devnet step failed: ${step} (L1 transaction ${hash} reverted).`, {
      details: `block ${receipt.blockNumber}, gas used ${receipt.gasUsed}`,
    })
  }
  return receipt
}

function firstLines(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error)
  return text.split('\n').slice(0, 12).join('\n')
}
