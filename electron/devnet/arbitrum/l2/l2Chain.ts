import {
  bytesToHex,
  concat,
  decodeFunctionData,
  encodeAbiParameters,
  encodeEventTopics,
  getAddress,
  hexToBigInt,
  hexToBytes,
  keccak256,
  numberToHex,
  parseAbi,
  parseTransaction,
  recoverTransactionAddress,
  toRlp,
  zeroHash,
  type Address,
  type Hex,
} from 'viem'
import { ArbitrumDevnetL2Error } from '../errors'
import { blockSize, encodeHeader, logsBloom, orBlooms, receiptsRoot, rlpInt, stateRoot, transactionsRoot, uint64Bytes } from './encodeL2Block'
import { L1_MESSAGE_KIND, type L2Block, type L2IncomingMessage, type L2Log, type L2Receipt, type L2Send, type L2Transaction } from './l2Types'
import { SendMerkleAccumulator } from './sendMerkleTree'
import { RetryableTickets } from './retryables'
import { ARB_RETRYABLE_TX_ADDRESS } from '../../../../shared/rollups/arbitrum-nitro/retryables/redeemAttempt'

/**
 * The devnet L2's state transition: one inbox message in, one L2 block out (nitro arbos ProduceBlock, reduced to
 * what this simulation supports — see startArbitrumDevnet.ts). Deterministic: the same message stream always gives
 * the same blocks and hashes, so the chain can be rebuilt from L1 at any time.
 *
 * Supported: signed legacy / EIP-2930 / EIP-1559 transactions (L2 kind 0x04, and inside 0x03 batches) that transfer
 * ETH or call ArbSys (0x64) `withdrawEth` / `sendTxToL1`; ETH deposits (L1 kind 12); retryable tickets (L1 kind 9) and
 * ArbRetryableTx (0x6e) redeem / keepalive (retryables.ts). Everything else produces a block with no transaction
 * (Initialize, batch posting reports, unsigned/contract L2 messages, invalid txs).
 *
 * Gas: a fixed base fee (L2_BASE_FEE), no tips (Arbitrum drops priority fees), no L1 data fee; gasUsed = intrinsic gas
 * (21000 + calldata + access list) plus ARBSYS_CALL_GAS for an ArbSys call; the fee gasUsed × baseFee is burned.
 */
export const ARB_SYS_ADDRESS: Address = '0x0000000000000000000000000000000000000064'
/** l1pricing.BatchPosterAddress: the poster of every sequencer message. */
export const SEQUENCER_POSTER: Address = '0xA4B000000000000000000073657175656e636572'
/** 0.01 gwei: Arbitrum One's minimum L2 base fee. */
export const L2_BASE_FEE = 10_000_000n
/** Arbitrum's block gas limit field (l2pricing.GethBlockGasLimit). */
export const L2_BLOCK_GAS_LIMIT = 1n << 50n
/** Fixed execution gas charged for an ArbSys call (a devnet constant, not ArbOS's metering). */
export const ARBSYS_CALL_GAS = 50_000n
/** The devnet L2 is not ArbOS: its headers say ArbOS version 0. */
export const DEVNET_ARBOS_VERSION = 0n

const MAX_L2_MESSAGE_BATCH_DEPTH = 16

export const arbSysAbi = parseAbi([
  'function withdrawEth(address destination) payable returns (uint256)',
  'function sendTxToL1(address destination, bytes data) payable returns (uint256)',
  'event L2ToL1Tx(address caller, address indexed destination, uint256 indexed hash, uint256 indexed position, uint256 arbBlockNum, uint256 ethBlockNum, uint256 timestamp, uint256 callvalue, bytes data)',
  'event SendMerkleUpdate(uint256 indexed reserved, bytes32 indexed hash, uint256 indexed position)',
])

interface Account {
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

/** ArbSys send hash = Outbox.calculateItemHash (notes §3.1). */
export function sendHashOf(s: Pick<L2Send, 'caller' | 'destination' | 'arbBlockNum' | 'ethBlockNum' | 'timestamp' | 'callvalue' | 'data'>): Hex {
  return keccak256(
    concat([
      s.caller,
      s.destination,
      numberToHex(s.arbBlockNum, { size: 32 }),
      numberToHex(s.ethBlockNum, { size: 32 }),
      numberToHex(s.timestamp, { size: 32 }),
      numberToHex(s.callvalue, { size: 32 }),
      s.data,
    ]),
  )
}

/** Intrinsic gas of a transaction (Istanbul calldata pricing, EIP-2930 access lists, contract creation). */
export function intrinsicGas(tx: Pick<L2Transaction, 'to' | 'input' | 'accessList'>): bigint {
  let gas = tx.to === null ? 53_000n : 21_000n
  for (const byte of hexToBytes(tx.input)) gas += byte === 0 ? 4n : 16n
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

export class L2Chain {
  private readonly accounts = new Map<string, Account>()
  private readonly sendAccumulator = new SendMerkleAccumulator()
  readonly blocks: L2Block[] = []
  readonly sends: L2Send[] = []
  private readonly txIndex = new Map<string, { block: number; index: number }>()
  /** Account state after each block (the devnet keeps full history; accounts are few). */
  private readonly history: ReadonlyMap<string, Account>[] = []

  /** Retryable tickets (L1 kind 9) and ArbRetryableTx (0x6e). */
  readonly retryables: RetryableTickets

  constructor(readonly chainId: number) {
    this.retryables = new RetryableTickets({ chainId, account: (a) => this.mutable(a) })
  }

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

  private mutable(address: Address): Account {
    const key = address.toLowerCase()
    let account = this.accounts.get(key)
    if (!account) {
      account = { balance: 0n, nonce: 0n }
      this.accounts.set(key, account)
    }
    return account
  }

  /** Apply one inbox message and append the block it produces. */
  async applyMessage(message: L2IncomingMessage): Promise<L2Block> {
    const parent = this.latest()
    const number = BigInt(this.blocks.length)
    // Block timestamps and L1 block numbers never go backwards (nitro arbos/block_processor.go).
    const timestamp = parent && parent.timestamp > message.timestamp ? parent.timestamp : message.timestamp
    const l1BlockNumber = parent && parent.l1BlockNumber > message.l1BlockNumber ? parent.l1BlockNumber : message.l1BlockNumber
    const ctx = { number, timestamp, l1BlockNumber, baseFee: L2_BASE_FEE }
    this.retryables.reapExpired(timestamp)
    const transactions: L2Transaction[] = []
    const receipts: L2Receipt[] = []
    let cumulativeGas = 0n
    let logIndex = 0
    const include = (tx: L2Transaction, status: L2Receipt['status'], gasUsed: bigint, logs: Omit<L2Log, 'logIndex'>[]): void => {
      cumulativeGas += gasUsed
      const indexed = logs.map((l) => ({ ...l, logIndex: logIndex++ }))
      transactions.push(tx)
      receipts.push({
        status,
        gasUsed,
        cumulativeGasUsed: cumulativeGas,
        effectiveGasPrice: tx.kind === 'deposit' ? 0n : L2_BASE_FEE,
        logs: indexed,
        logsBloom: logsBloom(indexed),
      })
    }

    if (message.kind === L1_MESSAGE_KIND.Initialize && number === 0n) {
      // chainId(32) ‖ version(1) ‖ dataCost(32) ‖ chainConfig (AbsRollupEventInbox.rollupInitialized)
      const initChainId = message.data.length >= 32 ? hexToBigInt(bytesToHex(message.data.subarray(0, 32))) : -1n
      if (initChainId !== BigInt(this.chainId)) {
        throw new ArbitrumDevnetL2Error(`The rollup's Initialize message is for L2 chain ${initChainId}, but this devnet L2 is chain ${this.chainId}.`, {
          steps: ['Start the devnet L2 with the deployment it belongs to.'],
        })
      }
    } else if (message.kind === L1_MESSAGE_KIND.Initialize) {
      // Only message 0 may initialize the chain; a later one is ignored like any unsupported message.
    } else if (message.kind === L1_MESSAGE_KIND.EthDeposit && message.requestId) {
      // dest(20) ‖ value(32) (Inbox.depositEth); a short payload is an invalid message.
      if (message.data.length >= 52) {
        const to = getAddress(bytesToHex(message.data.subarray(0, 20)))
        const value = hexToBigInt(bytesToHex(message.data.subarray(20, 52)))
        this.mutable(to).balance += value
        include(depositTransaction(this.chainId, message.requestId, getAddress(message.poster), to, value), 'success', 0n, [])
      }
    } else if (message.kind === L1_MESSAGE_KIND.SubmitRetryable && message.requestId) {
      for (const r of this.retryables.submit(message, ctx)) include(r.tx, r.status, r.gasUsed, r.logs)
    } else if (message.kind === L1_MESSAGE_KIND.L2Message) {
      for (const raw of signedTransactionsOf(message.data)) {
        const parsed = await parseSignedTransaction(raw, this.chainId)
        if ('error' in parsed) continue
        if (this.txIndex.has(parsed.tx.hash.toLowerCase())) continue
        const outcome = this.execute(parsed.tx, ctx, transactions.length)
        if (outcome) include(parsed.tx, outcome.status, outcome.gasUsed, outcome.logs)
        // A redeem's retry runs right after it, in the same block.
        for (const r of this.retryables.runScheduled(ctx)) include(r.tx, r.status, r.gasUsed, r.logs)
      }
    }

    const sendRoot = this.sendAccumulator.root()
    const sendCount = BigInt(this.sendAccumulator.size)
    const header = {
      parentHash: parent?.hash ?? zeroHash,
      miner: message.kind === L1_MESSAGE_KIND.L2Message && message.requestId === null ? SEQUENCER_POSTER : getAddress(message.poster),
      stateRoot: await stateRoot(this.accounts),
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
   * Execute one authenticated signed transaction against the state (geth's pre-checks, then our two call kinds).
   * Returns null when the transaction is invalid at this point (wrong nonce, fee cap, funds): it is dropped.
   */
  private execute(
    tx: L2Transaction,
    ctx: { number: bigint; timestamp: bigint; l1BlockNumber: bigint },
    _index: number,
  ): { status: L2Receipt['status']; gasUsed: bigint; logs: Omit<L2Log, 'logIndex'>[] } | null {
    const sender = this.account(tx.from)
    if (tx.nonce !== sender.nonce) return null
    const intrinsic = intrinsicGas(tx)
    if (tx.gas < intrinsic) return null
    const feeCap = tx.maxFeePerGas ?? tx.gasPrice ?? 0n
    if (feeCap < L2_BASE_FEE) return null
    if (tx.maxPriorityFeePerGas !== undefined && tx.maxPriorityFeePerGas > feeCap) return null
    if (sender.balance < tx.gas * feeCap + tx.value) return null

    const from = this.mutable(tx.from)
    from.nonce += 1n
    let status: L2Receipt['status'] = 'success'
    let gasUsed = intrinsic
    let logs: Omit<L2Log, 'logIndex'>[] = []

    if (tx.to === null) {
      // Contract creation is not simulated: it fails like an exceptional halt and consumes all its gas.
      status = 'reverted'
      gasUsed = tx.gas
    } else if (tx.to.toLowerCase() === ARB_RETRYABLE_TX_ADDRESS.toLowerCase()) {
      ;({ status, gasUsed, logs } = this.retryables.callPrecompile(tx, intrinsic, { ...ctx, baseFee: L2_BASE_FEE }))
    } else if (tx.to.toLowerCase() === ARB_SYS_ADDRESS.toLowerCase()) {
      const needed = intrinsic + ARBSYS_CALL_GAS
      const call = decodeArbSysCall(tx.input)
      if (tx.gas < needed) {
        status = 'reverted'
        gasUsed = tx.gas
      } else if (!call) {
        status = 'reverted'
        gasUsed = needed
      } else {
        gasUsed = needed
        // ArbSys burns the call value and records the send (nitro precompiles/ArbSys.go SendTxToL1).
        from.balance -= tx.value
        const send: L2Send = {
          hash: zeroHash,
          position: BigInt(this.sendAccumulator.size),
          caller: tx.from,
          destination: call.destination,
          arbBlockNum: ctx.number,
          ethBlockNum: ctx.l1BlockNumber,
          timestamp: ctx.timestamp,
          callvalue: tx.value,
          data: call.data,
          transactionHash: tx.hash,
        }
        send.hash = sendHashOf(send)
        for (const event of this.sendAccumulator.append(send.hash)) {
          logs.push({
            address: ARB_SYS_ADDRESS,
            topics: encodeEventTopics({
              abi: arbSysAbi,
              eventName: 'SendMerkleUpdate',
              args: { reserved: 0n, hash: event.hash, position: (BigInt(event.level) << 192n) | BigInt(event.leaf) },
            }) as Hex[],
            data: '0x',
          })
        }
        logs.push({
          address: ARB_SYS_ADDRESS,
          topics: encodeEventTopics({
            abi: arbSysAbi,
            eventName: 'L2ToL1Tx',
            args: { destination: send.destination, hash: hexToBigInt(send.hash), position: send.position },
          }) as Hex[],
          data: encodeAbiParameters(
            [{ type: 'address' }, { type: 'uint256' }, { type: 'uint256' }, { type: 'uint256' }, { type: 'uint256' }, { type: 'bytes' }],
            [send.caller, send.arbBlockNum, send.ethBlockNum, send.timestamp, send.callvalue, send.data],
          ),
        })
        this.sends.push(send)
      }
    } else {
      // No contract code exists on this L2 except ArbSys: every other call is a plain value transfer.
      from.balance -= tx.value
      this.mutable(tx.to).balance += tx.value
    }
    from.balance -= gasUsed * L2_BASE_FEE
    return { status, gasUsed, logs }
  }

  /** All sends made up to and including `blockNumber`. */
  sendsUpTo(blockNumber: bigint): L2Send[] {
    return this.sends.filter((s) => s.arbBlockNum <= blockNumber)
  }
}

function decodeArbSysCall(input: Hex): { destination: Address; data: Hex } | null {
  try {
    const call = decodeFunctionData({ abi: arbSysAbi, data: input })
    if (call.functionName === 'withdrawEth') return { destination: getAddress(call.args[0]), data: '0x' }
    if (call.functionName === 'sendTxToL1') return { destination: getAddress(call.args[0]), data: call.args[1] }
    return null
  } catch {
    return null
  }
}
