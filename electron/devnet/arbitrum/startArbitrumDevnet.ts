/**
 * # The devnet Arbitrum L2 — an EVM with emulated ArbSys, not ArbOS
 *
 * `startArbitrumDevnet` runs a small local L2 next to the real Arbitrum Nitro L1 contracts that `deployArbitrum`
 * created on the devnet L1 (anvil). It exists so drills and tests can exercise the real L1 side of an Arbitrum escape
 * (delayed inbox, forceInclusion, BoLD assertions, Outbox) end to end, offline.
 *
 * **What runs, and what is emulated (it is not ArbOS):**
 * - a real EVM (@ethereumjs/evm, Cancun rules) over a Merkle-Patricia state: signed legacy / EIP-2930 / EIP-1559
 *   transactions for the L2 chain id deploy and run contracts; eth_call, eth_estimateGas, eth_getCode and
 *   eth_getStorageAt run on it (l2/l2Chain.ts);
 * - ArbSys (0x64) emulated as a precompile (l2/arbSysPrecompile.ts): `withdrawEth`, `sendTxToL1` (the value is burned,
 *   the send hash computed exactly as ArbSys does = Outbox.calculateItemHash, appended to the send Merkle accumulator,
 *   `SendMerkleUpdate` / `L2ToL1Tx` emitted; a send inside a reverted call is dropped with it), `arbBlockNumber`,
 *   `arbChainID`, `arbOSVersion` (0); NUMBER inside the EVM is the L1 block number, as on Arbitrum;
 * - L1 ETH deposits (`Inbox.depositEth`, kind 12) and `Inbox.sendL2Message(0x04 ‖ signed tx)` (kind 3); retryable
 *   tickets (kind 9) and ArbRetryableTx (0x6e: redeem, keepalive, getTimeout/getLifetime/getBeneficiary) run through
 *   the chain's hooks, wired by l2/retryables.ts (createDevnetL2Chain);
 * - the token bridge (deployTokenBridge.ts, on request): the real L1/L2 gateway routers and standard gateways of
  @arbitrum/token-bridge-contracts, deposits through them as retryables, withdrawals through ArbSys.sendTxToL1;
- gas: fixed base fee 0.01 gwei, no tips, no L1 data fee; the EVM's own metering plus 50,000 per ArbSys send; the
 *   fee gasUsed × baseFee is burned. Not here: every other ArbOS precompile (ArbGasInfo, ArbAddressTable, …), unsigned
 *   and contract L2 messages, internal transactions, L1/L2 pricing, Stylus.
 *
 * What is real: every batch is posted to the real SequencerInbox in the real format (40-byte header; 0x00 ‖ brotli of
 * RLP segments in calldata, or the same in EIP-4844 blobs behind the 0x50 flag), the L2 state is derived from L1 only
 * (batches + the Bridge's delayed inbox, accumulators checked, delayed messages executed when a batch — sequencer or
 * forceInclusion — reads them, with Nitro's multiplexer rules), and the validator posts and confirms real BoLD
 * assertions whose globalState carries the L2 block hash and sendRoot. Block headers are geth London headers with
 * Arbitrum's HeaderInfo (sendRoot in extraData, sendCount ‖ l1BlockNumber ‖ arbosVersion=0 in mixHash, delayed
 * messages read in nonce); their keccak(RLP) is the blockHash asserted on L1.
 *
 * ## API
 * ```ts
 * const l2 = await startArbitrumDevnet({ l1: anvil, deployment, batchMode: 'calldata' | 'blob', censor?, lying? })
 * l2.l2RpcUrl, l2.l2ChainId
 * await l2.fund(address, wei)           // L2 transfer from the faucet; the faucet is funded by a real L1 depositEth
 * await l2.depositFromL1(key, wei)      // a real Inbox.depositEth by an L1 account, sequenced into the L2
 * l2.setCensored(address, true)         // sequencer refuses its txs and stops at its delayed messages
 * l2.setLying(['send-list' | 'balances' | 'headers' | 'receipts' | 'no-eth-call'])   // the RPC lies; L1 stays honest
 * await l2.postBatchNow({ force?, mode? })               // post pending txs + includable delayed messages now
 * await l2.postAndConfirmAssertionNow()  // assert + confirm (time travel through the confirm period) up to the tip
 * await l2.stop()
 * ```
 * With `autoSequence` (default true) a loop every `pollIntervalMs` follows L1 and posts a batch whenever there are
 * pending transactions or includable delayed messages (other than batch posting reports).
 *
 * The same controls are served over the L2 JSON-RPC (loopback only; `control: false` turns them off), so another
 * process — a drill resuming after a crash, the CLI — can steer a running devnet. Numbers in answers are decimal
 * strings. `devnet_setCensored [address, bool]`, `devnet_setLying [kinds]`, `devnet_setBatchMode [mode]`,
 * `devnet_postBatch [{force?, mode?}?]`, `devnet_postAndConfirmAssertion []`, `devnet_fund [address, wei]`,
 * `devnet_sync []`, `devnet_sends []` (the honest send list).
 *
 * The L2 keeps no state of its own: it is rebuilt from L1 on start (and after an L1 reorg), so restarting it against
 * the same anvil gives the same chain; only the switches (censor, lying, batch mode) must be set again.
 */
import { encodeFunctionData, getAddress, isAddress, parseEther, parseGwei, type Address, type Hex, type Kzg } from 'viem'
import { z } from 'zod'
import { privateKeyToAccount } from 'viem/accounts'
import { loadViemKzg } from '../../services/kzg'
import type { ArbitrumNetwork } from '../../../shared/rollups/arbitrum-nitro/network'
import type { ArbitrumDevnetDeployment } from './deploy'
import { ArbitrumDevnetL2Error } from './errors'
import { L1InboxFollower } from './l2/followL1Inbox'
import type { L2Chain } from './l2/l2Chain'
import { L2_BASE_FEE } from './l2/l2Chain'
import type { L2Send } from './l2/l2Types'
import { ArbitrumSequencer, type BatchMode, type PostedBatch } from './l2/sequencer'
import { serveL2Rpc, type L2RpcServer, type LieKind } from './l2/serveL2Rpc'
import { ArbitrumValidator, type ConfirmedAssertion } from './l2/validator'
import { inboxAbi } from '../../../contracts-abi/arbitrum-nitro/Inbox'
import { createL1Clients, sendL1Transaction, type DevnetKey } from './sendL1Transaction'

export const DEVNET_L2_DESCRIPTION =
  'The Arbitrum devnet L2 is not ArbOS: it runs a real EVM (contracts deploy and run) with only ArbSys (withdrawEth, sendTxToL1, ' +
  'arbBlockNumber) emulated, and retryable tickets (ArbRetryableTx) only as far as its retryables module emulates them; no other ArbOS ' +
  'precompile, no L1 data fee, fixed simple gas. Batches, delayed messages, forceInclusion and BoLD assertions on L1 are real.'

/** How much the faucet deposits from L1 the first time fund() is called. */
export const FAUCET_DEPOSIT = parseEther('1000')

/**
 * What the L2 needs from a deployment: an ArbitrumDevnetDeployment fits, and so does a devnet manifest's `arbitrum`
 * entry (another process attaching to a running devnet).
 */
export type ArbitrumDevnetL2Deployment = Pick<ArbitrumDevnetDeployment, 'network' | 'roles' | 'createdAtBlock'> & {
  /** rollupEventInbox and stakeToken are required (checked at start); optional here so a manifest's record fits. */
  extraContracts: { rollupEventInbox?: Address; stakeToken?: Address }
}

export interface StartArbitrumDevnetParameters {
  /** The devnet L1: an AnvilHandle works (rpcUrl, beaconUrl, accounts). */
  l1: { rpcUrl: string; beaconUrl?: string; accounts?: readonly DevnetKey[] }
  deployment: ArbitrumDevnetL2Deployment
  /** Keys for the deployment's roles; looked up in l1.accounts by address when omitted. Faucet defaults to the owner. */
  keys?: { batchPoster?: DevnetKey; validator?: DevnetKey; faucet?: DevnetKey }
  batchMode?: BatchMode
  censor?: readonly Address[]
  lying?: readonly LieKind[]
  autoSequence?: boolean
  pollIntervalMs?: number
  /** L2 RPC port on 127.0.0.1; default a free port. */
  port?: number
  /** Serve the devnet_* control methods on the L2 RPC (default true). */
  control?: boolean
}

export interface ArbitrumDevnet {
  l2RpcUrl: string
  l2ChainId: number
  /** The deployment's network record with this L2's RPC URL filled in. */
  network: ArbitrumNetwork
  /** Send `wei` to `address` on L2 from the faucet (an L2 transfer, sequenced and posted). Returns the L2 tx hash. */
  fund(address: Address, wei: bigint): Promise<Hex>
  /** A real L1 `Inbox.depositEth` from `from` (credited to the same address on L2), sequenced now. Returns the L1 tx hash. */
  depositFromL1(from: DevnetKey, wei: bigint): Promise<Hex>
  setCensored(address: Address, on: boolean): void
  setLying(kinds: readonly LieKind[]): void
  setBatchMode(mode: BatchMode): void
  postBatchNow(options?: { force?: boolean; mode?: BatchMode }): Promise<PostedBatch | null>
  postAndConfirmAssertionNow(): Promise<ConfirmedAssertion>
  /** Catch up with L1 now (batches, delayed messages). */
  sync(): Promise<void>
  /** The honest L2 chain (for tests and the drill's report). */
  chain(): L2Chain
  /** The honest send list (every ArbSys send so far). */
  sends(): readonly L2Send[]
  follower: L1InboxFollower
  /** The last error of the background loop, if any (the loop keeps running). */
  lastLoopError(): unknown
  stop(): Promise<void>
}

function keyFor(role: string, address: Address, given: DevnetKey | undefined, accounts: readonly DevnetKey[] | undefined): DevnetKey {
  const key = given ?? accounts?.find((a) => a.address.toLowerCase() === address.toLowerCase())
  if (!key) throw new ArbitrumDevnetL2Error(`The devnet Arbitrum L2 needs the ${role} key (${address}); pass keys.${role} or the L1's accounts.`)
  if (privateKeyToAccount(key.privateKey).address.toLowerCase() !== address.toLowerCase()) {
    throw new ArbitrumDevnetL2Error(`The ${role} key given to the devnet Arbitrum L2 is not for ${address}.`)
  }
  return key
}

/** Start the devnet Arbitrum L2 (sequencer, batch poster, L1 follower, validator, JSON-RPC). See the module comment. */
export async function startArbitrumDevnet(params: StartArbitrumDevnetParameters): Promise<ArbitrumDevnet> {
  const { deployment } = params
  const roles = deployment.roles
  const batchPoster = keyFor('batchPoster', roles.batchPoster, params.keys?.batchPoster, params.l1.accounts)
  const validatorKey = keyFor('validator', roles.validator, params.keys?.validator, params.l1.accounts)
  const faucet = keyFor('faucet', params.keys?.faucet?.address ?? roles.owner, params.keys?.faucet, params.l1.accounts)
  const clients = await createL1Clients(params.l1.rpcUrl)
  if (clients.chain.id !== deployment.network.l1ChainId) {
    throw new ArbitrumDevnetL2Error(`The L1 at ${params.l1.rpcUrl} is chain ${clients.chain.id}, but the deployment is on chain ${deployment.network.l1ChainId}.`)
  }
  let kzg: Kzg | undefined
  const getKzg = (): Kzg => (kzg ??= loadViemKzg())
  const contracts = deployment.network.contracts
  const { rollupEventInbox, stakeToken } = deployment.extraContracts
  if (!rollupEventInbox || !stakeToken) throw new ArbitrumDevnetL2Error('The Arbitrum deployment given to the devnet L2 lacks the rollupEventInbox or stakeToken address.')
  const follower = new L1InboxFollower({
    clients,
    contracts: { bridge: contracts.bridge, inbox: contracts.inbox, sequencerInbox: contracts.sequencerInbox, rollupEventInbox },
    fromBlock: BigInt(deployment.createdAtBlock),
    l2ChainId: deployment.network.l2ChainId,
    beaconUrl: params.l1.beaconUrl ?? params.l1.rpcUrl,
    kzg: getKzg,
  })
  const sequencer = new ArbitrumSequencer({
    clients,
    follower,
    sequencerInbox: contracts.sequencerInbox,
    bridge: contracts.bridge,
    batchPoster,
    l2ChainId: deployment.network.l2ChainId,
    batchMode: params.batchMode ?? 'calldata',
    kzg: getKzg,
  })
  for (const address of params.censor ?? []) sequencer.setCensored(address, true)
  let lies = new Set<LieKind>(params.lying ?? [])

  // One queue for everything that reads or writes L1, so batches, assertions and syncs never interleave.
  let queue: Promise<unknown> = Promise.resolve()
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn)
    queue = run.catch(() => undefined)
    return run
  }

  const validator = new ArbitrumValidator({
    clients,
    follower,
    rollup: contracts.rollup,
    bridge: contracts.bridge,
    stakeToken,
    validator: validatorKey,
    fromBlock: BigInt(deployment.createdAtBlock),
    postBatch: () => sequencer.postBatch({ force: true }),
  })

  await serial(() => follower.sync())
  // The control methods are served by the same object this function returns (set below, before any request can arrive).
  const ref: { api?: ArbitrumDevnet } = {}
  const control = async (method: string, rpcParams: unknown[]): Promise<unknown> => {
    const api = ref.api
    if (!api) throw new ArbitrumDevnetL2Error('The devnet L2 is still starting.')
    const p = controlSchemas[method as keyof typeof controlSchemas]
    if (!p) throw new ArbitrumDevnetL2Error(`Unknown devnet control method ${method}.`)
    const parsed = p.safeParse(rpcParams)
    if (!parsed.success) throw new ArbitrumDevnetL2Error(`Bad parameters for ${method}: ${parsed.error.issues[0]?.message ?? 'invalid'}.`)
    const args = parsed.data as unknown[]
    switch (method) {
      case 'devnet_setCensored':
        api.setCensored(args[0] as Address, args[1] as boolean)
        return null
      case 'devnet_setLying':
        api.setLying(args[0] as LieKind[])
        return null
      case 'devnet_setBatchMode':
        api.setBatchMode(args[0] as BatchMode)
        return null
      case 'devnet_postBatch':
        return toJson(await api.postBatchNow((args[0] as { force?: boolean; mode?: BatchMode } | undefined) ?? {}))
      case 'devnet_postAndConfirmAssertion':
        return toJson(await api.postAndConfirmAssertionNow())
      case 'devnet_fund':
        return await api.fund(args[0] as Address, args[1] as bigint)
      case 'devnet_sync':
        await api.sync()
        return String(follower.chain.blocks.length - 1)
      case 'devnet_sends':
        return toJson(follower.chain.sends)
    }
    return null
  }
  const server: L2RpcServer = await serveL2Rpc(
    {
      chainId: deployment.network.l2ChainId,
      refresh: () => serial(() => follower.sync()).then(() => undefined),
      chain: () => follower.chain,
      pendingNonce: (address) => sequencer.pendingNonce(address),
      submit: async (raw) => {
        const hash = await serial(() => sequencer.submit(raw))
        kick()
        return hash
      },
      lies: () => lies,
      ...(params.control === false ? {} : { control }),
    },
    { port: params.port },
  )

  const autoSequence = params.autoSequence ?? true
  const pollIntervalMs = params.pollIntervalMs ?? 200
  let stopped = false
  let timer: NodeJS.Timeout | undefined
  let loopError: unknown
  const tick = async (): Promise<void> => {
    timer = undefined
    if (stopped) return
    try {
      await serial(async () => {
        await follower.sync()
        if (autoSequence && (await sequencer.hasWork())) await sequencer.postBatch()
      })
      loopError = undefined
    } catch (e) {
      loopError = e
    }
    if (!stopped) timer = setTimeout(() => void tick(), pollIntervalMs)
  }
  const kick = (): void => {
    if (stopped || !autoSequence) return
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => void tick(), 0)
  }
  timer = setTimeout(() => void tick(), pollIntervalMs)

  let faucetFunded = false
  const depositFromL1 = async (from: DevnetKey, wei: bigint): Promise<Hex> => {
    const wallet = clients.walletFor(from)
    const receipt = await sendL1Transaction(clients, `deposit ${wei} wei from ${from.address} through Inbox.depositEth`, ArbitrumDevnetL2Error, () =>
      wallet.sendTransaction({ to: contracts.inbox, value: wei, data: encodeFunctionData({ abi: inboxAbi, functionName: 'depositEth' }) }),
    )
    await serial(() => sequencer.postBatch())
    return receipt.transactionHash
  }

  const api: ArbitrumDevnet = {
    l2RpcUrl: server.url,
    l2ChainId: deployment.network.l2ChainId,
    network: { ...deployment.network, l2RpcUrl: server.url },
    follower,
    async fund(address, wei) {
      if (!faucetFunded || follower.chain.account(faucet.address).balance < wei + parseEther('1')) {
        await depositFromL1(faucet, wei > FAUCET_DEPOSIT ? wei + FAUCET_DEPOSIT : FAUCET_DEPOSIT)
        faucetFunded = true
      }
      const account = privateKeyToAccount(faucet.privateKey)
      const raw = await account.signTransaction({
        type: 'eip1559',
        chainId: deployment.network.l2ChainId,
        nonce: Number(sequencer.pendingNonce(faucet.address)),
        to: getAddress(address),
        value: wei,
        gas: 21_000n,
        maxFeePerGas: L2_BASE_FEE * 2n > parseGwei('0.1') ? L2_BASE_FEE * 2n : parseGwei('0.1'),
        maxPriorityFeePerGas: 0n,
      })
      const hash = await serial(() => sequencer.submit(raw))
      await serial(() => sequencer.postBatch())
      if (!follower.chain.findTransaction(hash)) throw new ArbitrumDevnetL2Error(`The devnet L2 did not include the funding transfer ${hash}.`)
      return hash
    },
    depositFromL1,
    setCensored: (address, on) => sequencer.setCensored(address, on),
    setLying: (kinds) => {
      lies = new Set(kinds)
    },
    setBatchMode: (mode) => {
      sequencer.batchMode = mode
    },
    postBatchNow: (options) => serial(() => sequencer.postBatch(options)),
    postAndConfirmAssertionNow: () => serial(() => validator.postAndConfirmNow()),
    sync: () => serial(() => follower.sync()).then(() => undefined),
    chain: () => follower.chain,
    sends: () => follower.chain.sends,
    lastLoopError: () => loopError,
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      await server.close()
      await queue
    },
  }
  ref.api = api
  return api
}

const addressSchema = z.string().refine((v) => isAddress(v, { strict: false }), 'expected an address').transform((v) => getAddress(v))
const weiSchema = z.union([z.string().regex(/^(0x[0-9a-fA-F]{1,64}|[0-9]{1,78})$/), z.number().int().nonnegative()]).transform((v) => BigInt(v))
const modeSchema = z.enum(['calldata', 'blob'])
const controlSchemas = {
  devnet_setCensored: z.tuple([addressSchema, z.boolean()]),
  devnet_setLying: z.tuple([z.array(z.enum(['send-list', 'balances', 'headers', 'receipts', 'no-eth-call'])).max(5)]),
  devnet_setBatchMode: z.tuple([modeSchema]),
  devnet_postBatch: z.union([z.tuple([]), z.tuple([z.object({ force: z.boolean().optional(), mode: modeSchema.optional() }).strict()])]),
  devnet_postAndConfirmAssertion: z.tuple([]),
  devnet_fund: z.tuple([addressSchema, weiSchema]),
  devnet_sync: z.tuple([]),
  devnet_sends: z.tuple([]),
} as const

/** JSON for control answers: bigints as decimal strings. */
function toJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)))
}
