import {
  bytesToHex,
  concat,
  getAddress,
  hexToBigInt,
  hexToBytes,
  keccak256,
  numberToHex,
  parseTransaction,
  recoverTransactionAddress,
  toRlp,
  zeroHash,
  type Address,
  type Hex,
} from 'viem'
import { createCustomCommon, Hardfork, Mainnet, type Common } from '@ethereumjs/common'
import { createEVM, EVMError, type EVM, type EVMResult, type ExecResult, type PrecompileInput } from '@ethereumjs/evm'
import { MerkleStateManager } from '@ethereumjs/statemanager'
import { Account as EjsAccount, Address as EjsAddress, bytesToUnprefixedHex } from '@ethereumjs/util'
import { createExecutionKzg } from '../../../services/state/createExecutionKzg'
import { ArbitrumDevnetL2Error } from '../errors'
import { ArbSysEmulator, ARB_SYS_ADDRESS } from './arbSysPrecompile'
import { blockSize, encodeHeader, logsBloom, orBlooms, receiptsRoot, rlpInt, transactionsRoot, uint64Bytes } from './encodeL2Block'
import { L1_MESSAGE_KIND, type L2Block, type L2IncomingMessage, type L2Log, type L2Receipt, type L2Send, type L2Transaction } from './l2Types'
import { SendMerkleAccumulator } from './sendMerkleTree'

export { ARB_SYS_ADDRESS, ARBSYS_CALL_GAS, arbSysAbi } from './arbSysPrecompile'
export { sendHashOf } from './sendHash'

/**
 * The devnet L2's state transition: one inbox message in, one L2 block out (nitro arbos ProduceBlock, reduced to
 * what this devnet supports — see startArbitrumDevnet.ts). Deterministic: the same message stream always gives the
 * same blocks and hashes, so the chain can be rebuilt from L1 at any time.
 *
 * Transactions run on a real EVM (@ethereumjs/evm, Cancun rules) over a Merkle-Patricia state (@ethereumjs/statemanager):
 * contracts deploy and run. Signed legacy / EIP-2930 / EIP-1559 transactions (L2 kind 0x04, and inside 0x03 batches)
 * and ETH deposits (L1 kind 12) are executed; ArbSys (0x64) is emulated as a precompile (arbSysPrecompile.ts).
 * Retryable tickets (L1 kind 9) are handed to the `onRetryable` hook when one is given (without it they produce an
 * empty block); ArbRetryableTx (0x6e) is a hooked precompile (`precompiles`), a redeem's retry runs in `afterTransaction`
 * and expiry in `beforeBlock` — all four wired by retryables.ts (`RetryableTickets.chainOptions`). Everything else
 * (batch posting reports, unsigned/contract L2 messages, invalid txs) produces a block with no transaction. Not ArbOS:
 * no other precompile, no L1 data fee, no gas pool, no Stylus.
 *
 * Arbitrum rules kept: NUMBER inside the EVM is the L1 block number (ArbSys.arbBlockNumber gives the L2 one), PREVRANDAO
 * is 1, priority fees are dropped (effective gas price = base fee). Gas: a fixed base fee (L2_BASE_FEE), the EVM's own
 * metering plus ARBSYS_CALL_GAS per ArbSys send; the fee gasUsed × baseFee is burned.
 */
/** l1pricing.BatchPosterAddress: the poster of every sequencer message. */
export const SEQUENCER_POSTER: Address = '0xA4B000000000000000000073657175656e636572'
/** 0.01 gwei: Arbitrum One's minimum L2 base fee. */
export const L2_BASE_FEE = 10_000_000n
/** Arbitrum's block gas limit field (l2pricing.GethBlockGasLimit). */
export const L2_BLOCK_GAS_LIMIT = 1n << 50n
/** The devnet L2 is not ArbOS: its headers say ArbOS version 0. */
export const DEVNET_ARBOS_VERSION = 0n

const MAX_L2_MESSAGE_BATCH_DEPTH = 16


export interface Account {
  balance: bigint
  nonce: bigint
}

interface ParsedSignedTx {
  tx: L2Transaction
}

/** keccak(0x64 ‖ rlp(chainId, requestId, from, to, value)) — ArbitrumDepositTx (notes §1.1, checked on a real fixture). */
export function depositTransaction(chainId: number, requestId: Hex, from: Address, to: Address, value: bigint): L2Transaction {
  const encoded = concat(['0x64', toRlp([rlpInt(chainId), requestId, from, to, rlpInt(value)])])
  return { hash: keccak256(encoded), kind: 'deposit', typeByte: 0x64, encoded, from, to, value, nonce: 0n, gas: 0n, gasPrice: 0n, input: '0x', chainId, requestId }
}

/** Intrinsic gas of a transaction (Istanbul calldata pricing, EIP-2930 access lists, contract creation + EIP-3860). */
export function intrinsicGas(tx: Pick<L2Transaction, 'to' | 'input' | 'accessList'>): bigint {
  let gas = tx.to === null ? 53_000n : 21_000n
  const input = hexToBytes(tx.input)
  for (const byte of input) gas += byte === 0 ? 4n : 16n
  // EIP-3860: 2 gas per 32-byte word of init code.
  if (tx.to === null) gas += 2n * BigInt(Math.ceil(input.length / 32))
  for (const entry of tx.accessList ?? []) gas += 2_400n + 1_900n * BigInt(entry.storageKeys.length)
  return gas
}

/** Parse and authenticate one signed transaction; null when it is not a kind this L2 executes. */
export async function parseSignedTransaction(raw: Hex, l2ChainId: number): Promise<ParsedSignedTx | { error: string }> {
  let parsed: ReturnType<typeof parseTransaction>
  try {
    parsed = parseTransaction(raw)
  } catch (e) {
    return { error: `not a valid signed transaction (${e instanceof Error ? e.message.split('\n')[0] : 'parse error'})` }
  }
  const kind = parsed.type === 'legacy' ? 'legacy' : parsed.type === 'eip2930' ? 'eip2930' : parsed.type === 'eip1559' ? 'eip1559' : undefined
  if (!kind) return { error: `transaction type ${parsed.type ?? 'unknown'} is not supported by the devnet L2` }
  if (parsed.chainId !== undefined && parsed.chainId !== l2ChainId) return { error: `wrong chain id ${parsed.chainId} (this L2 is ${l2ChainId})` }
  if (parsed.r === undefined || parsed.s === undefined) return { error: 'transaction is not signed' }
  let from: Address
  try {
    from = await recoverTransactionAddress({ serializedTransaction: raw as Parameters<typeof recoverTransactionAddress>[0]['serializedTransaction'] })
  } catch {
    return { error: 'invalid signature' }
  }
  const tx: L2Transaction = {
    hash: keccak256(raw),
    kind,
    typeByte: kind === 'legacy' ? 0 : kind === 'eip2930' ? 1 : 2,
    encoded: raw,
    from: getAddress(from),
    to: parsed.to ? getAddress(parsed.to) : null,
    value: parsed.value ?? 0n,
    nonce: BigInt(parsed.nonce ?? 0),
    gas: parsed.gas ?? 0n,
    input: parsed.data ?? '0x',
    r: parsed.r,
    s: parsed.s,
  }
  if (parsed.chainId !== undefined) tx.chainId = parsed.chainId
  if (kind === 'eip1559') {
    tx.maxFeePerGas = parsed.maxFeePerGas ?? 0n
    tx.maxPriorityFeePerGas = parsed.maxPriorityFeePerGas ?? 0n
  } else {
    tx.gasPrice = parsed.gasPrice ?? 0n
  }
  if (kind !== 'legacy') {
    tx.accessList = (parsed.accessList ?? []).map((e) => ({ address: getAddress(e.address), storageKeys: e.storageKeys }))
    tx.yParity = parsed.yParity ?? 0
    tx.v = BigInt(parsed.yParity ?? 0)
  } else {
    tx.v = parsed.v ?? 0n
  }
  return { tx }
}

/** Split an L2 message (first byte = L2 kind) into its signed transactions (nitro arbos/parse_l2.go). */
export function signedTransactionsOf(l2Message: Uint8Array, depth = 0): Hex[] {
  if (l2Message.length === 0) return []
  const kind = l2Message[0]
  const body = l2Message.subarray(1)
  if (kind === 4) return [bytesToHex(body)]
  if (kind === 3 && depth < MAX_L2_MESSAGE_BATCH_DEPTH) {
    // Batch: repeated uint64be length ‖ nested message; a truncated entry ends the batch.
    const out: Hex[] = []
    let offset = 0
    while (offset + 8 <= body.length) {
      const length = new DataView(body.buffer, body.byteOffset + offset, 8).getBigUint64(0)
      offset += 8
      if (BigInt(body.length - offset) < length) break
      out.push(...signedTransactionsOf(body.subarray(offset, offset + Number(length)), depth + 1))
      offset += Number(length)
    }
    return out
  }
  return []
}

/** What one EVM execution did (a signed transaction, a hook's internal call, or an eth_call). */
export interface L2CallResult {
  status: L2Receipt['status']
  /** Execution gas only (no intrinsic gas). */
  executionGasUsed: number | bigint
  gasRefund: bigint
  returnData: Hex
  logs: Omit<L2Log, 'logIndex'>[]
  sends: L2Send[]
  contractAddress?: Address
}

export interface L2CallRequest {
  from: Address
  to: Address | null
  value?: bigint
  data?: Hex
  gas?: bigint
}

/**
 * What a hook for an L1 message kind gets while the chain builds one block: the block's context, and the ways to
 * change state and to add transactions. `onRetryable` (retryables.ts, L1 kind 9) is built on it: mint the deposit to
 * the ticket, include the 0x69 ticket tx, run the auto-redeem with `call` and include the 0x68 retry tx.
 */
export interface L2BlockBuilder {
  readonly chainId: number
  readonly number: bigint
  readonly timestamp: bigint
  readonly l1BlockNumber: bigint
  readonly baseFee: bigint
  /** Add wei to an account's balance (ArbOS minting, as for deposits). */
  mint(address: Address, wei: bigint): Promise<void>
  /** Take wei from an account (throws when the balance is short). */
  burn(address: Address, wei: bigint): Promise<void>
  account(address: Address): Promise<Account>
  /** Run one call in the EVM as `from` (no nonce check, no fee; the hook charges what it must). Sends are recorded. */
  call(request: L2CallRequest & { transactionHash: Hex }): Promise<L2CallResult>
  /** Append a transaction and its receipt to the block. */
  include(tx: L2Transaction, status: L2Receipt['status'], gasUsed: bigint, logs: Omit<L2Log, 'logIndex'>[], contractAddress?: Address): void
}

export type L2MessageHook = (message: L2IncomingMessage, block: L2BlockBuilder) => Promise<void>

/** A call that reached a hooked precompile inside the EVM: the calling frame and the block it runs in. */
export interface HookedPrecompileCall {
  caller: Address
  value: bigint
  isStatic: boolean
  data: Hex
  /** The gas the call brought. */
  gasLimit: bigint
  number: bigint
  timestamp: bigint
  l1BlockNumber: bigint
  baseFee: bigint
  /** True inside a block being built; false for eth_call / eth_estimateGas (the hook must change nothing). */
  live: boolean
}

export interface HookedPrecompileResult {
  gasUsed: bigint
  returnData: Hex
  /** Reverts the call (returnData is the revert data). */
  reverted?: boolean
  logs?: Omit<L2Log, 'logIndex'>[]
}

/** An ArbOS precompile served by a hook (ArbRetryableTx at 0x6e, retryables.ts), as ArbSys is by arbSysPrecompile.ts. */
export interface HookedPrecompile {
  address: Address
  run(call: HookedPrecompileCall): HookedPrecompileResult
}

export interface L2ChainOptions {
  /** Executes retryable tickets (L1 kind 9); without it a ticket produces an empty block. */
  onRetryable?: L2MessageHook
  /** Precompiles served by hooks (the devnet's retryables: ArbRetryableTx). */
  precompiles?: readonly HookedPrecompile[]
  /** Runs after each signed transaction, in the same block (a redeem's retry follows it). */
  afterTransaction?: (block: L2BlockBuilder) => Promise<void>
  /** Runs at the start of each block, before its message (expired tickets). */
  beforeBlock?: (block: L2BlockBuilder) => Promise<void>
}

interface PrecompileFrame {
  caller: Address
  value: bigint
  isStatic: boolean
}

/** Where a hooked precompile runs: the EVM's message frames, and the block (undefined between calls). */
interface PrecompileScope {
  frames: PrecompileFrame[]
  block?: { number: bigint; timestamp: bigint; l1BlockNumber: bigint; live: boolean }
}

/** Call gas cap for eth_call / eth_estimateGas (geth's default RPC gas cap). */
export const L2_RPC_GAS_CAP = 50_000_000n
/** Nitro's precompiles have code 0xfe so extcodesize checks pass (nitro arbos/arbosState: installs INVALID at each). */
const PRECOMPILE_CODE = Uint8Array.of(0xfe)

function ejs(address: Address): EjsAddress {
  return new EjsAddress(hexToBytes(address))
}

function toLogs(result: EVMResult): Omit<L2Log, 'logIndex'>[] {
  if (result.execResult.exceptionError !== undefined) return []
  return (result.execResult.logs ?? []).map(([address, topics, data]) => ({
    address: getAddress(bytesToHex(address)),
    topics: topics.map((t) => bytesToHex(t)),
    data: bytesToHex(data),
  }))
}

export class L2Chain {
  private readonly accounts = new Map<string, Account>()
  private sendAccumulator = new SendMerkleAccumulator()
  readonly blocks: L2Block[] = []
  readonly sends: L2Send[] = []
  private readonly txIndex = new Map<string, { block: number; index: number }>()
  /** Account state after each block (the devnet keeps full history; accounts are few). */
  private readonly history: ReadonlyMap<string, Account>[] = []
  /** Every address the EVM or a message touched: the sync `account()` mirror refreshes these after each block. */
  private readonly touched = new Set<string>()
  /** Transactions dropped because the EVM threw while running them (a devnet limitation, never a silent success). */
  readonly executionErrors: { transactionHash: Hex; block: bigint; error: string }[] = []
  private readonly common: Common
  private readonly state = new MerkleStateManager()
  private readonly arbSys = new ArbSysEmulator(() => this.sendAccumulator)
  private evm: EVM | undefined
  /** The live EVM's hooked-precompile scope. */
  private readonly scope: PrecompileScope = { frames: [] }

  constructor(
    readonly chainId: number,
    private readonly options: L2ChainOptions = {},
  ) {
    // KZG for the point-evaluation precompile (0x0a): without it a call there would throw instead of executing.
    this.common = createCustomCommon({ chainId, name: `devnet-arbitrum-${chainId}` }, Mainnet, { hardfork: Hardfork.Cancun, customCrypto: { kzg: createExecutionKzg() } })
    this.state = new MerkleStateManager({ common: this.common })
  }

  private async makeEvm(stateManager: MerkleStateManager, arbSys: ArbSysEmulator, scope: PrecompileScope): Promise<EVM> {
    const hooked = (this.options.precompiles ?? []).map((h) => ({ address: h.address, function: hookedPrecompile(h, scope) }))
    const evm = await createEVM({ common: this.common, stateManager, customPrecompiles: [{ address: ARB_SYS_ADDRESS, function: arbSys.precompile }, ...hooked] })
    arbSys.attach(evm)
    if (hooked.length > 0) {
      evm.events.on('beforeMessage', (m) => {
        scope.frames.push({ caller: getAddress(m.caller.toString()), value: m.value, isStatic: m.isStatic })
      })
      evm.events.on('afterMessage', () => {
        scope.frames.pop()
      })
    }
    return evm
  }

  private async liveEvm(): Promise<EVM> {
    if (!this.evm) {
      this.evm = await this.makeEvm(this.state, this.arbSys, this.scope)
      this.evm.events.on('beforeMessage', (m) => {
        this.touched.add(m.caller.toString())
        if (m.to) this.touched.add(m.to.toString())
      })
      this.evm.events.on('afterMessage', (r) => {
        if (r.execResult.exceptionError === undefined && r.createdAddress) this.touched.add(r.createdAddress.toString())
      })
    }
    return this.evm
  }

  /** The account at the tip (balance and nonce), read from the mirror kept after each block. */
  account(address: Address): Account {
    return this.accounts.get(address.toLowerCase()) ?? { balance: 0n, nonce: 0n }
  }

  /** The account as of the end of block `blockNumber`. */
  accountAt(address: Address, blockNumber: bigint): Account {
    const snapshot = this.history[Number(blockNumber)]
    return snapshot?.get(address.toLowerCase()) ?? { balance: 0n, nonce: 0n }
  }

  latest(): L2Block | undefined {
    return this.blocks[this.blocks.length - 1]
  }

  findTransaction(hash: Hex): { block: L2Block; index: number } | undefined {
    const at = this.txIndex.get(hash.toLowerCase())
    if (!at) return undefined
    const block = this.blocks[at.block]
    return block ? { block, index: at.index } : undefined
  }

  /** The state as of the end of `blockNumber` (the trie keeps every root: nodes are never pruned). */
  private async stateAt(blockNumber: bigint): Promise<MerkleStateManager> {
    const block = this.blocks[Number(blockNumber)]
    if (!block) throw new ArbitrumDevnetL2Error(`The devnet L2 has no block ${blockNumber}.`)
    const copy = this.state.shallowCopy(false)
    await copy.setStateRoot(hexToBytes(block.stateRoot))
    return copy
  }

  async codeAt(address: Address, blockNumber: bigint): Promise<Hex> {
    if (this.blocks.length === 0) return '0x'
    return bytesToHex(await (await this.stateAt(blockNumber)).getCode(ejs(address)))
  }

  async storageAt(address: Address, slot: Hex, blockNumber: bigint): Promise<Hex> {
    if (this.blocks.length === 0) return zeroHash
    const value = await (await this.stateAt(blockNumber)).getStorage(ejs(address), hexToBytes(numberToHex(hexToBigInt(slot), { size: 32 })))
    return numberToHex(value.length === 0 ? 0n : hexToBigInt(bytesToHex(value)), { size: 32 })
  }

  /** eth_call: run `request` on a copy of the state at `blockNumber`; nothing is kept. */
  async callAt(request: L2CallRequest, blockNumber: bigint): Promise<L2CallResult> {
    const block = this.blocks[Number(blockNumber)]
    if (!block) throw new ArbitrumDevnetL2Error(`The devnet L2 has no block ${blockNumber}.`)
    const state = await this.stateAt(blockNumber)
    const arbSys = new ArbSysEmulator(() => this.sendAccumulator)
    const evm = await this.makeEvm(state, arbSys, { frames: [], block: { number: block.number, timestamp: block.timestamp, l1BlockNumber: block.l1BlockNumber, live: false } })
    arbSys.begin({ number: block.number, l1BlockNumber: block.l1BlockNumber, timestamp: block.timestamp, chainId: this.chainId, arbOSVersion: DEVNET_ARBOS_VERSION, transactionHash: zeroHash })
    const result = await evm.runCall({
      block: this.blockContext(block.l1BlockNumber, block.timestamp) as never,
      gasPrice: 0n,
      caller: ejs(request.from),
      origin: ejs(request.from),
      gasLimit: request.gas ?? L2_RPC_GAS_CAP,
      ...(request.to ? { to: ejs(request.to) } : {}),
      value: request.value ?? 0n,
      data: hexToBytes(request.data ?? '0x'),
      skipBalance: true,
    } as never)
    return this.describe(result, arbSys.finish())
  }

  /** eth_estimateGas: the least gas limit (intrinsic included) with which the call succeeds at the tip (binary search). */
  async estimateGas(request: L2CallRequest): Promise<bigint> {
    const tip = BigInt(this.blocks.length - 1)
    const intrinsic = intrinsicGas({ to: request.to, input: request.data ?? '0x' })
    const ok = async (gas: bigint): Promise<L2CallResult> => this.callAt({ ...request, gas: gas - intrinsic }, tip)
    const first = await ok(L2_RPC_GAS_CAP)
    if (first.status !== 'success') {
      throw new ArbitrumDevnetL2Error(`The call reverts on the devnet L2${first.returnData !== '0x' ? ` (revert data ${first.returnData.slice(0, 138)})` : ''}.`)
    }
    let lo = intrinsic + BigInt(first.executionGasUsed) - 1n
    let hi = L2_RPC_GAS_CAP
    if ((await ok(lo + 1n)).status === 'success') return lo + 1n
    while (hi - lo > 1n) {
      const mid = (lo + hi) / 2n
      if ((await ok(mid)).status === 'success') hi = mid
      else lo = mid
    }
    return hi
  }

  private blockContext(l1BlockNumber: bigint, timestamp: bigint) {
    // Arbitrum: NUMBER is the L1 block number, DIFFICULTY/PREVRANDAO is 1, the coinbase is the batch poster.
    return {
      header: {
        number: l1BlockNumber,
        coinbase: ejs(SEQUENCER_POSTER),
        timestamp,
        difficulty: 1n,
        prevRandao: hexToBytes(numberToHex(1n, { size: 32 })),
        gasLimit: L2_BLOCK_GAS_LIMIT,
        baseFeePerGas: L2_BASE_FEE,
        getBlobGasPrice: () => 1n,
      },
    }
  }

  private describe(result: EVMResult, sends: L2Send[]): L2CallResult {
    const ok = result.execResult.exceptionError === undefined
    const out: L2CallResult = {
      status: ok ? 'success' : 'reverted',
      executionGasUsed: result.execResult.executionGasUsed,
      gasRefund: result.execResult.gasRefund ?? 0n,
      returnData: bytesToHex(result.execResult.returnValue),
      logs: toLogs(result),
      sends: ok ? sends : [],
    }
    if (ok && result.createdAddress) out.contractAddress = getAddress(result.createdAddress.toString())
    return out
  }

  private async readAccount(address: Address): Promise<Account> {
    const a = await this.state.getAccount(ejs(address))
    return { balance: a?.balance ?? 0n, nonce: a?.nonce ?? 0n }
  }

  private async addBalance(evm: EVM, address: Address, delta: bigint): Promise<void> {
    this.touched.add(address.toLowerCase())
    const at = ejs(address)
    const account = (await this.state.getAccount(at)) ?? new EjsAccount()
    if (account.balance + delta < 0n) throw new ArbitrumDevnetL2Error(`The devnet L2 account ${address} cannot pay ${-delta} wei.`)
    account.balance += delta
    await evm.journal.putAccount(at, account)
  }

  /** Open state checkpoints (an exception inside the EVM can leave its own checkpoints open). */
  private checkpointDepth(): number {
    return (this.state as unknown as { _checkpointCount: number })._checkpointCount
  }

  /** Undo everything since `depth` checkpoints were open, and the sends made since then. */
  private async rollback(evm: EVM, depth: number, accumulator: SendMerkleAccumulator, sendCount: number): Promise<void> {
    while (this.checkpointDepth() > depth) await this.state.revert()
    await evm.journal.cleanup()
    this.arbSys.finish()
    this.sendAccumulator = accumulator
    this.sends.length = sendCount
  }

  /** Record the sends of a finished execution: append them to the accumulator, in order. */
  private commitSends(sends: readonly L2Send[]): void {
    for (const send of sends) {
      this.sendAccumulator.append(send.hash)
      this.sends.push(send)
    }
  }

  /** One EVM call at depth 0 in the block being built; the sends it made are committed when it succeeds. */
  private async runInBlock(
    evm: EVM,
    ctx: { number: bigint; timestamp: bigint; l1BlockNumber: bigint },
    request: L2CallRequest & { transactionHash: Hex; gasPrice: bigint; skipNonce: boolean },
  ): Promise<L2CallResult> {
    const caller = ejs(request.from)
    evm.journal.addAlwaysWarmAddress(bytesToUnprefixedHex(caller.bytes))
    if (request.to) evm.journal.addAlwaysWarmAddress(bytesToUnprefixedHex(ejs(request.to).bytes))
    for (const [address] of evm.precompiles) evm.journal.addAlwaysWarmAddress(address)
    this.arbSys.begin({ number: ctx.number, l1BlockNumber: ctx.l1BlockNumber, timestamp: ctx.timestamp, chainId: this.chainId, arbOSVersion: DEVNET_ARBOS_VERSION, transactionHash: request.transactionHash })
    this.scope.frames = []
    this.scope.block = { ...ctx, live: true }
    let result: EVMResult
    try {
      result = await evm.runCall({
        block: this.blockContext(ctx.l1BlockNumber, ctx.timestamp) as never,
        gasPrice: request.gasPrice,
        caller,
        origin: caller,
        gasLimit: request.gas ?? L2_RPC_GAS_CAP,
        ...(request.to ? { to: ejs(request.to) } : {}),
        value: request.value ?? 0n,
        data: hexToBytes(request.data ?? '0x'),
        skipNonceIncrement: request.skipNonce,
      })
    } catch (e) {
      // finish() is also the reset: an exception inside the EVM must not leave frames behind for the next call.
      this.arbSys.finish()
      throw e
    } finally {
      this.scope.frames = []
      delete this.scope.block
    }
    const sends = this.arbSys.finish()
    const described = this.describe(result, sends)
    this.commitSends(described.sends)
    // Self-destruct (EIP-6780) and touched-empty-account (EIP-161) cleanup, per-tx caches.
    const destructed = result.execResult.selfdestruct
    if (destructed) {
      for (const addressHex of destructed.keys()) {
        if (!result.execResult.createdAddresses?.has(addressHex)) continue
        await evm.journal.deleteAccount(new EjsAddress(hexToBytes(addressHex as Hex)))
      }
    }
    await evm.journal.cleanup()
    this.state.originalStorageCache.clear()
    return described
  }

  /** Apply one inbox message and append the block it produces. */
  async applyMessage(message: L2IncomingMessage): Promise<L2Block> {
    const evm = await this.liveEvm()
    const parent = this.latest()
    const number = BigInt(this.blocks.length)
    // Block timestamps and L1 block numbers never go backwards (nitro arbos/block_processor.go).
    const timestamp = parent && parent.timestamp > message.timestamp ? parent.timestamp : message.timestamp
    const l1BlockNumber = parent && parent.l1BlockNumber > message.l1BlockNumber ? parent.l1BlockNumber : message.l1BlockNumber
    const ctx = { number, timestamp, l1BlockNumber }
    const transactions: L2Transaction[] = []
    const receipts: L2Receipt[] = []
    let cumulativeGas = 0n
    let logIndex = 0
    const include = (tx: L2Transaction, status: L2Receipt['status'], gasUsed: bigint, logs: Omit<L2Log, 'logIndex'>[], contractAddress?: Address): void => {
      cumulativeGas += gasUsed
      const indexed = logs.map((l) => ({ ...l, logIndex: logIndex++ }))
      transactions.push(tx)
      const receipt: L2Receipt = {
        status,
        gasUsed,
        cumulativeGasUsed: cumulativeGas,
        effectiveGasPrice: tx.kind === 'deposit' ? 0n : L2_BASE_FEE,
        logs: indexed,
        logsBloom: logsBloom(indexed),
      }
      if (contractAddress) receipt.contractAddress = contractAddress
      receipts.push(receipt)
      this.touched.add(tx.from.toLowerCase())
      if (tx.to) this.touched.add(tx.to.toLowerCase())
    }

    // The whole block is one state checkpoint: an error inside the EVM (a bug, not a failed transaction) leaves the
    // chain exactly as it was, so the follower can apply the same message again.
    const accumulatorBefore = this.sendAccumulator.clone()
    const sendsBefore = this.sends.length
    const depth = this.checkpointDepth()
    await this.state.checkpoint()
    const builder: L2BlockBuilder = {
      chainId: this.chainId,
      number,
      timestamp,
      l1BlockNumber,
      baseFee: L2_BASE_FEE,
      mint: (address, wei) => this.addBalance(evm, address, wei),
      burn: (address, wei) => this.addBalance(evm, address, -wei),
      account: (address) => this.readAccount(address),
      call: (request) => this.runInBlock(evm, ctx, { ...request, gasPrice: L2_BASE_FEE, skipNonce: true }),
      include,
    }
    try {
      await this.options.beforeBlock?.(builder)
      if (message.kind === L1_MESSAGE_KIND.Initialize && number === 0n) {
        // chainId(32) ‖ version(1) ‖ dataCost(32) ‖ chainConfig (AbsRollupEventInbox.rollupInitialized)
        const initChainId = message.data.length >= 32 ? hexToBigInt(bytesToHex(message.data.subarray(0, 32))) : -1n
        if (initChainId !== BigInt(this.chainId)) {
          throw new ArbitrumDevnetL2Error(`The rollup's Initialize message is for L2 chain ${initChainId}, but this devnet L2 is chain ${this.chainId}.`, {
            steps: ['Start the devnet L2 with the deployment it belongs to.'],
          })
        }
        await this.state.putCode(ejs(ARB_SYS_ADDRESS), PRECOMPILE_CODE)
        for (const h of this.options.precompiles ?? []) await this.state.putCode(ejs(h.address), PRECOMPILE_CODE)
      } else if (message.kind === L1_MESSAGE_KIND.Initialize) {
        // Only message 0 may initialize the chain; a later one is ignored like any unsupported message.
      } else if (message.kind === L1_MESSAGE_KIND.EthDeposit && message.requestId) {
        // dest(20) ‖ value(32) (Inbox.depositEth); a short payload is an invalid message.
        if (message.data.length >= 52) {
          const to = getAddress(bytesToHex(message.data.subarray(0, 20)))
          const value = hexToBigInt(bytesToHex(message.data.subarray(20, 52)))
          await this.addBalance(evm, to, value)
          include(depositTransaction(this.chainId, message.requestId, getAddress(message.poster), to, value), 'success', 0n, [])
        }
      } else if (message.kind === L1_MESSAGE_KIND.SubmitRetryable && this.options.onRetryable) {
        await this.options.onRetryable(message, builder)
      } else if (message.kind === L1_MESSAGE_KIND.L2Message) {
        for (const raw of signedTransactionsOf(message.data)) {
          const parsed = await parseSignedTransaction(raw, this.chainId)
          if ('error' in parsed) continue
          if (this.txIndex.has(parsed.tx.hash.toLowerCase())) continue
          // An exception inside the EVM (not a failed transaction: a case this devnet does not model) drops only
          // this transaction, with everything it changed, instead of wedging the chain; it is kept for diagnosis.
          const txAccumulator = this.sendAccumulator.clone()
          const txSends = this.sends.length
          const txDepth = this.checkpointDepth()
          await this.state.checkpoint()
          let outcome: Awaited<ReturnType<L2Chain['executeSigned']>>
          try {
            outcome = await this.executeSigned(evm, parsed.tx, ctx)
            await this.state.commit()
          } catch (e) {
            await this.rollback(evm, txDepth, txAccumulator, txSends)
            this.executionErrors.push({ transactionHash: parsed.tx.hash, block: number, error: e instanceof Error ? e.message : String(e) })
            outcome = null
          }
          if (outcome) include(parsed.tx, outcome.status, outcome.gasUsed, outcome.logs, outcome.contractAddress)
          // A redeem's retry runs right after it, in the same block.
          await this.options.afterTransaction?.(builder)
        }
      }
      await this.state.commit()
    } catch (e) {
      await this.rollback(evm, depth, accumulatorBefore, sendsBefore)
      throw e
    }

    const stateRoot = bytesToHex(await this.state.getStateRoot())
    for (const key of this.touched) this.accounts.set(key.toLowerCase(), await this.readAccount(key as Address))
    const sendRoot = this.sendAccumulator.root()
    const sendCount = BigInt(this.sendAccumulator.size)
    const header = {
      parentHash: parent?.hash ?? zeroHash,
      miner: message.kind === L1_MESSAGE_KIND.L2Message && message.requestId === null ? SEQUENCER_POSTER : getAddress(message.poster),
      stateRoot,
      transactionsRoot: await transactionsRoot(transactions),
      receiptsRoot: await receiptsRoot(transactions, receipts),
      logsBloom: orBlooms(receipts.map((r) => r.logsBloom)),
      difficulty: 1n,
      number,
      gasLimit: L2_BLOCK_GAS_LIMIT,
      gasUsed: cumulativeGas,
      timestamp,
      extraData: sendRoot,
      mixHash: concat([uint64Bytes(sendCount), uint64Bytes(l1BlockNumber), uint64Bytes(DEVNET_ARBOS_VERSION), uint64Bytes(0n)]),
      nonce: uint64Bytes(message.delayedMessagesRead),
      baseFeePerGas: L2_BASE_FEE,
    }
    const { rlp, hash } = encodeHeader(header)
    const block: L2Block = {
      ...header,
      hash,
      headerRlp: rlp,
      size: blockSize(rlp, transactions),
      sendCount,
      sendRoot,
      delayedMessagesRead: message.delayedMessagesRead,
      l1BlockNumber,
      transactions,
      receipts,
      messageKind: message.kind,
    }
    this.blocks.push(block)
    this.history.push(new Map([...this.accounts].map(([k, v]) => [k, { ...v }])))
    transactions.forEach((tx, index) => this.txIndex.set(tx.hash.toLowerCase(), { block: Number(number), index }))
    return block
  }

  /**
   * Execute one authenticated signed transaction (geth's pre-checks, then the EVM). Returns null when the transaction
   * is invalid at this point (wrong nonce, fee cap, funds, a sender with code): it is dropped, as ArbOS drops it.
   */
  private async executeSigned(
    evm: EVM,
    tx: L2Transaction,
    ctx: { number: bigint; timestamp: bigint; l1BlockNumber: bigint },
  ): Promise<{ status: L2Receipt['status']; gasUsed: bigint; logs: Omit<L2Log, 'logIndex'>[]; contractAddress?: Address } | null> {
    const sender = await this.state.getAccount(ejs(tx.from))
    if (tx.nonce !== (sender?.nonce ?? 0n)) return null
    if (sender && sender.isContract()) return null // EIP-3607
    const intrinsic = intrinsicGas(tx)
    if (tx.gas < intrinsic) return null
    if (tx.to === null && hexToBytes(tx.input).length > 49_152) return null // EIP-3860 init code limit
    const feeCap = tx.maxFeePerGas ?? tx.gasPrice ?? 0n
    if (feeCap < L2_BASE_FEE) return null
    if (tx.maxPriorityFeePerGas !== undefined && tx.maxPriorityFeePerGas > feeCap) return null
    if ((sender?.balance ?? 0n) < tx.gas * feeCap + tx.value) return null

    await evm.journal.cleanup()
    // Buy all the gas at the base fee (Arbitrum drops tips), refund what is left after execution.
    await this.addBalance(evm, tx.from, -(tx.gas * L2_BASE_FEE))
    if (tx.accessList) {
      for (const entry of tx.accessList) {
        const a = entry.address.slice(2).toLowerCase()
        evm.journal.addAlwaysWarmAddress(a, true)
        for (const key of entry.storageKeys) evm.journal.addAlwaysWarmSlot(a, key.slice(2).toLowerCase(), true)
      }
    }
    const result = await this.runInBlock(evm, ctx, {
      from: tx.from,
      to: tx.to,
      value: tx.value,
      data: tx.input,
      gas: tx.gas - intrinsic,
      transactionHash: tx.hash,
      gasPrice: L2_BASE_FEE,
      skipNonce: false,
    })
    let gasUsed = intrinsic + BigInt(result.executionGasUsed)
    const maxRefund = gasUsed / 5n // EIP-3529
    gasUsed -= result.gasRefund < maxRefund ? result.gasRefund : maxRefund
    await this.addBalance(evm, tx.from, (tx.gas - gasUsed) * L2_BASE_FEE)
    await evm.journal.cleanup()
    return { status: result.status, gasUsed, logs: result.logs, ...(result.contractAddress ? { contractAddress: result.contractAddress } : {}) }
  }

  /** All sends made up to and including `blockNumber`. */
  sendsUpTo(blockNumber: bigint): L2Send[] {
    return this.sends.filter((s) => s.arbBlockNum <= blockNumber)
  }
}

/** A hooked precompile as an @ethereumjs/evm precompile: the hook sees the calling frame (followed in `scope`). */
function hookedPrecompile(hook: HookedPrecompile, scope: PrecompileScope): (input: PrecompileInput) => ExecResult {
  return (input) => {
    const frame = scope.frames[scope.frames.length - 1]
    const block = scope.block
    if (!frame || !block) return { returnValue: new Uint8Array(0), executionGasUsed: input.gasLimit, exceptionError: new EVMError(EVMError.errorMessages.REVERT) }
    const r = hook.run({ ...frame, ...block, data: bytesToHex(input.data), gasLimit: input.gasLimit, baseFee: L2_BASE_FEE })
    const gasUsed = r.gasUsed < input.gasLimit ? r.gasUsed : input.gasLimit
    if (r.reverted) return { returnValue: hexToBytes(r.returnData), executionGasUsed: gasUsed, exceptionError: new EVMError(EVMError.errorMessages.REVERT) }
    return {
      returnValue: hexToBytes(r.returnData),
      executionGasUsed: gasUsed,
      logs: (r.logs ?? []).map((l) => [hexToBytes(l.address), l.topics.map((t) => hexToBytes(t)), hexToBytes(l.data)] as [Uint8Array, Uint8Array[], Uint8Array]),
    }
  }
}
