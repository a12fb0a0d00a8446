import {
  decodeAbiParameters,
  decodeFunctionData,
  encodeAbiParameters,
  encodeEventTopics,
  encodeFunctionResult,
  getAddress,
  hexToBigInt,
  isAddress,
  isHex,
  numberToHex,
  parseEther,
  type Address,
  type Hex,
} from 'viem'
import { z } from 'zod'
import { nodeInterfaceAbi } from '../../../../contracts-abi/arbitrum-nitro/NodeInterface'
import { EscapeError } from '../../../../shared/errors/EscapeError'
import { JsonRpcError as RpcError, rpcParam as param, serveJsonRpc } from '../../serveJsonRpc'
import { answerArbRetryableTxCall } from './retryables'
import { ARB_SYS_ADDRESS, ARBSYS_CALL_GAS, L2_BASE_FEE, arbSysAbi, intrinsicGas, sendHashOf } from './l2Chain'
import type { L2Chain } from './l2Chain'
import { sendProofOf, sendRootOf } from './sendMerkleTree'
import type { L2Block, L2Log, L2Transaction } from './l2Types'

/**
 * A minimal Arbitrum-like JSON-RPC for the devnet L2, on 127.0.0.1 only: eth_chainId, net_version, eth_blockNumber,
 * eth_getBalance, eth_getTransactionCount, eth_getBlockByNumber / ByHash (Arbitrum's sendRoot in extraData,
 * sendCount in mixHash[0:8], plus the l1BlockNumber / sendCount / sendRoot fields Nitro adds), eth_getTransactionByHash,
 * eth_getTransactionReceipt, eth_getLogs, eth_sendRawTransaction, eth_gasPrice, eth_maxPriorityFeePerGas,
 * eth_estimateGas, eth_getCode, and eth_call for exactly one thing: Nitro's virtual NodeInterface contract (0xc8)
 * `constructOutboxProof(uint64 size, uint64 leaf) → (send, root, proof)` (notes/arbitrum-nitro.md §3.5), computed from
 * this chain's send list with sendMerkleTree.ts; any other eth_call is a JSON-RPC error, because this L2 has no EVM
 * (see startArbitrumDevnet.ts). The devnet_* control methods are documented in startArbitrumDevnet.ts.
 *
 * Misbehaviour modes make this node answer wrongly while L1 stays honest, for the app's tamper tests:
 * - 'send-list': every L2ToL1Tx log (getLogs and receipts) reports callvalue + 1 wei, with the `hash` topic recomputed
 *   so each log looks self-consistent — the list no longer hashes to the confirmed sendRoot; constructOutboxProof
 *   answers from that same altered list (its send, its root, its proof: a self-consistent lie);
 * - 'balances': eth_getBalance adds 1 ETH;
 * - 'headers': blocks report sendRoot/extraData and sendCount/mixHash of a different size, keeping the real hash;
 * - 'receipts': receipts leave out their L2ToL1Tx logs (eth_getLogs still lists them), as a node hiding a user's
 *   withdrawal to make it look dropped would;
 * - 'no-eth-call': not a lie but a node that refuses eth_call altogether (-32601), as a non-Nitro node or an Orbit
 *   chain's RPC that blocks NodeInterface does, so the app's fallback to the full send list is exercised.
 */
export type LieKind = 'send-list' | 'balances' | 'headers' | 'receipts' | 'no-eth-call'

export const NODE_INTERFACE_ADDRESS: Address = '0x00000000000000000000000000000000000000C8'

export interface L2RpcBackend {
  chainId: number
  /** Catch up with L1 before answering. */
  refresh(): Promise<void>
  chain(): L2Chain
  pendingNonce(address: Address): bigint
  submit(raw: Hex): Promise<Hex>
  lies(): ReadonlySet<LieKind>
  /** devnet_* control methods (another process — a drill, the CLI — steering this devnet); absent = not served. */
  control?: (method: string, params: unknown[]) => Promise<unknown>
}

const L2_TO_L1_TX_DATA = [{ type: 'address' }, { type: 'uint256' }, { type: 'uint256' }, { type: 'uint256' }, { type: 'uint256' }, { type: 'bytes' }] as const
const MAX_LOG_RANGE = 100_000n

const q = (n: bigint | number): Hex => numberToHex(n)
const addressParam = z.string().refine((v) => isAddress(v, { strict: false }), 'expected an address').transform((v) => getAddress(v))
const hexParam = z.string().refine((v) => isHex(v), 'expected hex')
const hashParam = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'expected a 32-byte hash')


function blockNumberFor(chain: L2Chain, tag: unknown): bigint {
  const latest = BigInt(chain.blocks.length - 1)
  if (tag === undefined || tag === 'latest' || tag === 'pending' || tag === 'safe' || tag === 'finalized') return latest
  if (tag === 'earliest') return 0n
  if (typeof tag === 'string' && /^0x[0-9a-fA-F]{1,16}$/.test(tag)) return hexToBigInt(tag as Hex)
  if (typeof tag === 'object' && tag !== null && 'blockNumber' in tag) return blockNumberFor(chain, (tag as { blockNumber: unknown }).blockNumber)
  throw new RpcError(-32602, 'invalid block tag')
}

const L2_TO_L1_TX_TOPIC = encodeEventTopics({ abi: arbSysAbi, eventName: 'L2ToL1Tx' })[0]
const isL2ToL1Tx = (log: L2Log): boolean => log.topics[0] === L2_TO_L1_TX_TOPIC && log.address === ARB_SYS_ADDRESS

/** The L2ToL1Tx log as a lying node would serve it: callvalue + 1 wei, hash topic recomputed. */
function lieAboutSend(log: L2Log): L2Log {
  if (!isL2ToL1Tx(log)) return log
  const destination = getAddress(`0x${(log.topics[1] as Hex).slice(26)}`)
  const [caller, arbBlockNum, ethBlockNum, timestamp, callvalue, data] = decodeAbiParameters(L2_TO_L1_TX_DATA, log.data)
  const send = { caller, destination, arbBlockNum, ethBlockNum, timestamp, callvalue: callvalue + 1n, data }
  const hash = sendHashOf(send)
  return {
    ...log,
    topics: [log.topics[0] as Hex, log.topics[1] as Hex, numberToHex(hexToBigInt(hash), { size: 32 }), log.topics[3] as Hex],
    data: encodeAbiParameters(L2_TO_L1_TX_DATA, [send.caller, send.arbBlockNum, send.ethBlockNum, send.timestamp, send.callvalue, send.data]),
  }
}

/**
 * NodeInterface.constructOutboxProof over this chain's sends at the call's block, as Nitro answers it
 * (nitro execution/nodeinterface/node_interface.go:175): the send at `leaf`, the root of the first `size` sends, and
 * the proof of `leaf` in that tree. Errors mirror Nitro's refusals (a leaf past the size, a size past the sends).
 */
function constructOutboxProof(chain: L2Chain, params: unknown[], lies: ReadonlySet<LieKind>): Hex {
  const call = param(z.object({ to: addressParam.nullish(), data: hexParam.optional(), input: hexParam.optional() }).passthrough(), params, 0, 'call')
  const refuse = (): never => {
    throw new RpcError(
      -32601,
      `eth_call is served only for NodeInterface.constructOutboxProof at ${NODE_INTERFACE_ADDRESS}: the devnet Arbitrum L2 has no EVM (a simulation of transfers and ArbSys sends only, not ArbOS)`,
    )
  }
  if (call.to !== NODE_INTERFACE_ADDRESS) refuse()
  let decoded
  try {
    decoded = decodeFunctionData({ abi: nodeInterfaceAbi, data: (call.input ?? call.data ?? '0x') as Hex })
  } catch {
    return refuse()
  }
  if (decoded.functionName !== 'constructOutboxProof') return refuse()
  const [size, leaf] = decoded.args
  const sends = chain.sendsUpTo(blockNumberFor(chain, params[1]))
  if (size === 0n || size > BigInt(sends.length)) throw new RpcError(-32000, `size ${size} is not a send count of this chain (${sends.length} sends at that block)`)
  if (leaf >= size) throw new RpcError(-32000, `leaf ${leaf} is newer than root of size ${size}`)
  const served = sends.slice(0, Number(size)).map((s) => (lies.has('send-list') ? sendHashOf({ ...s, callvalue: s.callvalue + 1n }) : s.hash))
  const result = [served[Number(leaf)] as Hex, sendRootOf(served), sendProofOf(served, Number(leaf))] as const
  return encodeFunctionResult({ abi: nodeInterfaceAbi, functionName: 'constructOutboxProof', result })
}

function formatLog(log: L2Log, block: L2Block, txIndex: number, lies: ReadonlySet<LieKind>) {
  const served = lies.has('send-list') ? lieAboutSend(log) : log
  return {
    address: served.address,
    topics: served.topics,
    data: served.data,
    blockNumber: q(block.number),
    blockHash: block.hash,
    transactionHash: (block.transactions[txIndex] as L2Transaction).hash,
    transactionIndex: q(txIndex),
    logIndex: q(served.logIndex),
    removed: false,
  }
}

function formatTransaction(tx: L2Transaction, block: L2Block, index: number) {
  const base: Record<string, unknown> = {
    blockHash: block.hash,
    blockNumber: q(block.number),
    transactionIndex: q(index),
    hash: tx.hash,
    from: tx.from,
    to: tx.to,
    value: q(tx.value),
    nonce: q(tx.nonce),
    gas: q(tx.gas),
    input: tx.input,
    type: q(tx.typeByte),
    gasPrice: q(tx.kind === 'deposit' ? 0n : tx.kind === 'eip1559' ? L2_BASE_FEE : (tx.gasPrice ?? 0n)),
  }
  if (tx.chainId !== undefined) base.chainId = q(tx.chainId)
  if (tx.maxFeePerGas !== undefined) base.maxFeePerGas = q(tx.maxFeePerGas)
  if (tx.maxPriorityFeePerGas !== undefined) base.maxPriorityFeePerGas = q(tx.maxPriorityFeePerGas)
  if (tx.accessList) base.accessList = tx.accessList
  if (tx.kind === 'deposit') {
    base.requestId = tx.requestId
    Object.assign(base, { v: '0x0', r: '0x0', s: '0x0' })
  } else {
    Object.assign(base, { v: q(tx.v ?? 0n), r: tx.r, s: tx.s })
    if (tx.yParity !== undefined) base.yParity = q(tx.yParity)
  }
  return base
}

function formatBlock(block: L2Block, full: boolean, lies: ReadonlySet<LieKind>) {
  let { sendRoot, sendCount, extraData, mixHash } = block
  if (lies.has('headers')) {
    sendCount = block.sendCount + 1n
    sendRoot = `0x${'11'.repeat(32)}`
    extraData = sendRoot
    mixHash = `${numberToHex(sendCount, { size: 8 })}${block.mixHash.slice(18)}` as Hex
  }
  return {
    number: q(block.number),
    hash: block.hash,
    parentHash: block.parentHash,
    nonce: block.nonce,
    sha3Uncles: '0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347',
    logsBloom: block.logsBloom,
    transactionsRoot: block.transactionsRoot,
    stateRoot: block.stateRoot,
    receiptsRoot: block.receiptsRoot,
    miner: block.miner,
    difficulty: q(block.difficulty),
    totalDifficulty: q(block.number + 1n),
    extraData,
    size: q(block.size),
    gasLimit: q(block.gasLimit),
    gasUsed: q(block.gasUsed),
    timestamp: q(block.timestamp),
    transactions: full ? block.transactions.map((tx, i) => formatTransaction(tx, block, i)) : block.transactions.map((tx) => tx.hash),
    uncles: [],
    baseFeePerGas: q(block.baseFeePerGas),
    mixHash,
    l1BlockNumber: q(block.l1BlockNumber),
    sendCount: q(sendCount),
    sendRoot,
  }
}

function formatReceipt(block: L2Block, index: number, lies: ReadonlySet<LieKind>) {
  const tx = block.transactions[index] as L2Transaction
  const r = block.receipts[index]
  if (!r) throw new RpcError(-32603, 'receipt missing')
  return {
    transactionHash: tx.hash,
    transactionIndex: q(index),
    blockHash: block.hash,
    blockNumber: q(block.number),
    from: tx.from,
    to: tx.to,
    cumulativeGasUsed: q(r.cumulativeGasUsed),
    gasUsed: q(r.gasUsed),
    effectiveGasPrice: q(r.effectiveGasPrice),
    contractAddress: null,
    logs: r.logs.filter((log) => !(lies.has('receipts') && isL2ToL1Tx(log))).map((log) => formatLog(log, block, index, lies)),
    logsBloom: r.logsBloom,
    status: r.status === 'success' ? '0x1' : '0x0',
    type: q(tx.typeByte),
    gasUsedForL1: '0x0',
    l1BlockNumber: q(block.l1BlockNumber),
  }
}

const logFilterSchema = z.object({
  fromBlock: z.unknown().optional(),
  toBlock: z.unknown().optional(),
  blockHash: hashParam.optional(),
  address: z.union([addressParam, z.array(addressParam).max(64)]).optional(),
  topics: z.array(z.union([hashParam, z.null(), z.array(hashParam).max(64)])).max(4).optional(),
})

async function handle(backend: L2RpcBackend, method: string, params: unknown[]): Promise<unknown> {
  const lies = backend.lies()
  if (method.startsWith('devnet_') && backend.control) {
    try {
      return await backend.control(method, params)
    } catch (e) {
      if (e instanceof EscapeError) throw new RpcError(-32000, e.shortMessage)
      throw new RpcError(-32000, e instanceof Error ? (e.message.split('\n')[0] ?? 'failed') : 'failed')
    }
  }
  switch (method) {
    case 'eth_call':
      if (lies.has('no-eth-call')) throw new RpcError(-32601, 'the method eth_call does not exist/is not available')
      break
    case 'eth_chainId':
      return q(backend.chainId)
    case 'net_version':
      return String(backend.chainId)
    case 'web3_clientVersion':
      return 'escape-hatch-devnet-arbitrum-l2 (simulated L2, not ArbOS)'
    case 'eth_syncing':
      return false
    case 'eth_gasPrice':
      return q(L2_BASE_FEE)
    case 'eth_maxPriorityFeePerGas':
      return '0x0'
    case 'eth_sendRawTransaction': {
      const raw = param(hexParam, params, 0, 'transaction') as Hex
      try {
        return await backend.submit(raw)
      } catch (e) {
        if (e instanceof EscapeError) throw new RpcError(-32000, e.shortMessage)
        throw e
      }
    }
    case 'eth_estimateGas': {
      const call = param(z.object({ to: addressParam.nullish(), data: hexParam.optional(), input: hexParam.optional() }).passthrough(), params, 0, 'call')
      const input = (call.input ?? call.data ?? '0x') as Hex
      const to = call.to ?? null
      const gas = intrinsicGas({ to, input }) + (to && to === ARB_SYS_ADDRESS ? ARBSYS_CALL_GAS : 0n)
      return q(gas)
    }
  }
  await backend.refresh()
  const chain = backend.chain()
  switch (method) {
    case 'eth_blockNumber':
      return q(chain.blocks.length - 1)
    case 'eth_getBalance': {
      const address = param(addressParam, params, 0, 'address')
      const balance = chain.accountAt(address, blockNumberFor(chain, params[1])).balance
      return q(lies.has('balances') ? balance + parseEther('1') : balance)
    }
    case 'eth_getTransactionCount': {
      const address = param(addressParam, params, 0, 'address')
      if (params[1] === 'pending') return q(backend.pendingNonce(address))
      return q(chain.accountAt(address, blockNumberFor(chain, params[1])).nonce)
    }
    case 'eth_getCode': {
      const address = param(addressParam, params, 0, 'address')
      return address === ARB_SYS_ADDRESS ? '0xfe' : '0x'
    }
    case 'eth_getBlockByNumber': {
      const block = chain.blocks[Number(blockNumberFor(chain, params[0]))]
      return block ? formatBlock(block, params[1] === true, lies) : null
    }
    case 'eth_getBlockByHash': {
      const hash = param(hashParam, params, 0, 'block hash').toLowerCase()
      const block = chain.blocks.find((b) => b.hash === hash)
      return block ? formatBlock(block, params[1] === true, lies) : null
    }
    case 'eth_getTransactionByHash': {
      const found = chain.findTransaction(param(hashParam, params, 0, 'transaction hash') as Hex)
      return found ? formatTransaction(found.block.transactions[found.index] as L2Transaction, found.block, found.index) : null
    }
    case 'eth_getTransactionReceipt': {
      const found = chain.findTransaction(param(hashParam, params, 0, 'transaction hash') as Hex)
      return found ? formatReceipt(found.block, found.index, lies) : null
    }
    case 'eth_call':
      return answerArbRetryableTxCall(chain, params) ?? constructOutboxProof(chain, params, lies)
    case 'eth_getLogs': {
      const filter = param(logFilterSchema, params, 0, 'filter')
      let blocks: L2Block[]
      if (filter.blockHash) {
        const block = chain.blocks.find((b) => b.hash === filter.blockHash?.toLowerCase())
        blocks = block ? [block] : []
      } else {
        const from = blockNumberFor(chain, filter.fromBlock ?? 'latest')
        const to = blockNumberFor(chain, filter.toBlock ?? 'latest')
        if (to >= from && to - from > MAX_LOG_RANGE) throw new RpcError(-32005, `block range too large (max ${MAX_LOG_RANGE})`)
        blocks = chain.blocks.slice(Number(from), Number(to) + 1)
      }
      const addresses = filter.address === undefined ? undefined : (Array.isArray(filter.address) ? filter.address : [filter.address]).map((a) => a.toLowerCase())
      const out: unknown[] = []
      for (const block of blocks) {
        block.receipts.forEach((receipt, txIndex) => {
          for (const log of receipt.logs) {
            if (addresses && !addresses.includes(log.address.toLowerCase())) continue
            const served = formatLog(log, block, txIndex, lies)
            const topicsMatch = (filter.topics ?? []).every((want, i) => {
              if (want === null) return true
              const have = served.topics[i]?.toLowerCase()
              return Array.isArray(want) ? want.some((w) => w.toLowerCase() === have) : want.toLowerCase() === have
            })
            if (topicsMatch) out.push(served)
          }
        })
      }
      return out
    }
    default:
      throw new RpcError(-32601, `method ${method} is not supported by the devnet Arbitrum L2 (a simulation of transfers and ArbSys sends only, not ArbOS)`)
  }
}

export interface L2RpcServer {
  url: string
  close(): Promise<void>
}

/** Serve the devnet L2's JSON-RPC on 127.0.0.1 (port 0 = a free port). */
export async function serveL2Rpc(backend: L2RpcBackend, options: { port?: number } = {}): Promise<L2RpcServer> {
  return serveJsonRpc({ handle: (method, params) => handle(backend, method, params), ...(options.port !== undefined ? { port: options.port } : {}) })
}
