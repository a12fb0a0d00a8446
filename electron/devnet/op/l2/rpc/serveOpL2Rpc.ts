/**
 * The devnet OP L2's JSON-RPC on 127.0.0.1 — what the app reads as an *untrusted* L2 node (op-geth / op-reth shapes):
 * eth_chainId, net_version, web3_clientVersion, eth_syncing, eth_blockNumber, eth_getBlockByNumber / ByHash (full or
 * hashes), eth_getTransactionByHash, eth_getTransactionReceipt, eth_getLogs (at most MAX_LOG_RANGE blocks),
 * eth_getBalance, eth_getTransactionCount, eth_getProof (EIP-1186, EIP-1898 block parameter), eth_gasPrice,
 * eth_maxPriorityFeePerGas, debug_executionWitness, eth_sendRawTransaction (to the sequencer's pool) and op-node's
 * optimism_outputAtBlock. Transport, batches and size bounds: ../../../serveJsonRpc.ts.
 *
 * Switches (types.ts OpL2Switches, read on every request): `rpcStopped` — the node is gone (connections dropped);
 * `rpcLies` — one lying mode (lies.ts), every other answer honest.
 */
import { getAddress, isAddress, numberToHex, type Hex } from 'viem'
import { z } from 'zod'
import { JsonRpcError, rpcParam as param, serveJsonRpc } from '../../../serveJsonRpc'
import type { OpL2Block, OpL2RoleContext, OpL2RpcOptions, OpL2RpcServer } from '../types'
import { formatBlock, formatLogs, formatOutput, formatReceipt, formatTransaction } from './formatOpL2Rpc'
import { lieAboutHeader, lieAboutProof, lieAboutWitness } from './lies'

/** Default largest eth_getLogs block range (public nodes cap near this). */
export const MAX_LOG_RANGE = 10_000n
/** Most storage slots in one eth_getProof. */
export const MAX_PROOF_SLOTS = 256

const q = (v: bigint | number): Hex => numberToHex(v)
const addressParam = z.string().refine((v) => isAddress(v, { strict: false }), 'expected an address').transform((v) => getAddress(v))
const hashParam = z.string().regex(/^0x[0-9a-fA-F]{64}$/, 'expected a 32-byte hash').transform((v) => v.toLowerCase() as Hex)
const quantityParam = z.string().regex(/^0x[0-9a-fA-F]{1,16}$/, 'expected a hex quantity')
const hexParam = z.string().regex(/^0x([0-9a-fA-F]{2})*$/, 'expected hex bytes').max(2 * 1024 * 1024)
const logFilterSchema = z.object({
  fromBlock: z.unknown().optional(),
  toBlock: z.unknown().optional(),
  blockHash: hashParam.optional(),
  address: z.union([addressParam, z.array(addressParam).max(64)]).optional(),
  topics: z.array(z.union([hashParam, z.null(), z.array(hashParam).max(64)])).max(4).optional(),
})


export async function serveOpL2Rpc(o: Pick<OpL2RpcOptions, 'chain' | 'switches' | 'port'> & { maxLogRange?: bigint }): Promise<OpL2RpcServer> {
  const { chain, switches } = o
  const maxLogRange = o.maxLogRange ?? MAX_LOG_RANGE

  /** A block tag, number or EIP-1898 object → the block (undefined for a number beyond the head). */
  function blockAt(tag: unknown): OpL2Block | undefined {
    if (tag === undefined || tag === 'latest' || tag === 'pending' || tag === 'safe' || tag === 'finalized') return chain.head()
    if (tag === 'earliest') return chain.genesis()
    if (typeof tag === 'string' && /^0x[0-9a-fA-F]{1,16}$/.test(tag)) return chain.block(BigInt(tag))
    if (typeof tag === 'object' && tag !== null) {
      if ('blockHash' in tag) {
        const hash = param(hashParam, [(tag as { blockHash: unknown }).blockHash], 0, 'blockHash')
        const block = chain.blockByHash(hash)
        if (!block) throw new JsonRpcError(-32000, `header for hash ${hash} not found`)
        return block
      }
      if ('blockNumber' in tag) return blockAt((tag as { blockNumber: unknown }).blockNumber)
    }
    throw new JsonRpcError(-32602, 'invalid block parameter: expected a tag, a hex number or {blockHash}')
  }
  const knownBlock = (tag: unknown): OpL2Block => {
    const block = blockAt(tag)
    if (!block) throw new JsonRpcError(-32000, 'header not found')
    return block
  }
  const served = (block: OpL2Block, full: boolean) => formatBlock(block, full, switches.rpcLies === 'wrong-header' ? lieAboutHeader(block.header) : block.header)

  async function handle(method: string, params: unknown[]): Promise<unknown> {
    switch (method) {
      case 'eth_chainId':
        return q(chain.chainId)
      case 'net_version':
        return String(chain.chainId)
      case 'web3_clientVersion':
        return 'escape-hatch-devnet-op-l2 (our OP executor; not op-geth)'
      case 'eth_syncing':
        return false
      case 'eth_blockNumber':
        return q(chain.head().number)
      case 'eth_gasPrice':
        return q(chain.head().header.baseFeePerGas + 1n)
      case 'eth_maxPriorityFeePerGas':
        return '0x1'
      case 'eth_getBlockByNumber': {
        const block = blockAt(params[0])
        return block ? served(block, params[1] === true) : null
      }
      case 'eth_getBlockByHash': {
        const block = chain.blockByHash(param(hashParam, params, 0, 'block hash'))
        return block ? served(block, params[1] === true) : null
      }
      case 'eth_getTransactionByHash': {
        const found = chain.transaction(param(hashParam, params, 0, 'transaction hash'))
        return found ? formatTransaction(found.block, found.tx) : null
      }
      case 'eth_getTransactionReceipt': {
        const found = chain.transaction(param(hashParam, params, 0, 'transaction hash'))
        return found ? formatReceipt(found.block, found.tx) : null
      }
      case 'eth_getLogs':
        return getLogs(params)
      case 'eth_getBalance':
      case 'eth_getTransactionCount': {
        const address = param(addressParam, params, 0, 'address')
        const proof = await chain.proof(address, [], knownBlock(params[1]).number)
        if (!proof) throw new JsonRpcError(-32000, 'missing trie node (state not available)')
        return q(method === 'eth_getBalance' ? proof.balance : proof.nonce)
      }
      case 'eth_getProof': {
        const address = param(addressParam, params, 0, 'address')
        const slots = param(z.array(hashParam).max(MAX_PROOF_SLOTS), params, 1, `storage keys (at most ${MAX_PROOF_SLOTS})`)
        const block = knownBlock(params[2])
        const honest = await chain.proof(address, slots, block.number)
        if (!honest) throw new JsonRpcError(-32000, `missing trie node (state of block ${block.number} not available)`)
        const p = switches.rpcLies === 'wrong-proof' ? lieAboutProof(honest) : honest
        return {
          address: p.address,
          accountProof: p.accountProof,
          balance: q(p.balance),
          nonce: q(p.nonce),
          codeHash: p.codeHash,
          storageHash: p.storageHash,
          storageProof: p.storageProof.map((s) => ({ key: s.key, value: q(s.value), proof: s.proof })),
        }
      }
      case 'debug_executionWitness': {
        const number = BigInt(param(quantityParam, params, 0, 'block number'))
        const honest = number >= 1n ? await chain.executionWitness(number) : undefined
        if (!honest) throw new JsonRpcError(-32000, `no execution witness for block ${number} (unknown block or the genesis)`)
        const parent = chain.block(number - 1n) as OpL2Block
        return switches.rpcLies === 'wrong-witness' ? lieAboutWitness(honest, parent.stateRoot) : honest
      }
      case 'eth_sendRawTransaction': {
        const raw = param(hexParam, params, 0, 'signed transaction') as Hex
        const r = await chain.submitTransaction(raw)
        if (!r.accepted) throw new JsonRpcError(-32000, `${r.reason}: ${r.message}`)
        return r.hash
      }
      case 'optimism_outputAtBlock': {
        const block = chain.block(BigInt(param(quantityParam, params, 0, 'block number')))
        if (!block) throw new JsonRpcError(-32000, 'not found: the block is newer than the head')
        return formatOutput(block)
      }
      default:
        throw new JsonRpcError(-32601, `the method ${method} does not exist/is not available on the devnet OP L2`)
    }
  }

  function getLogs(params: unknown[]): unknown[] {
    const filter = param(logFilterSchema, params, 0, 'filter')
    let blocks: OpL2Block[]
    if (filter.blockHash) {
      const block = chain.blockByHash(filter.blockHash)
      if (!block) throw new JsonRpcError(-32000, 'unknown block')
      blocks = [block]
    } else {
      const from = knownBlock(filter.fromBlock ?? 'latest').number
      const to = knownBlock(filter.toBlock ?? 'latest').number
      if (to >= from && to - from >= maxLogRange) throw new JsonRpcError(-32005, `block range too large: at most ${maxLogRange} blocks per eth_getLogs`)
      blocks = []
      for (let n = from; n <= to; n++) blocks.push(chain.block(n) as OpL2Block)
    }
    const addresses = filter.address === undefined ? undefined : (Array.isArray(filter.address) ? filter.address : [filter.address]).map((a) => a.toLowerCase())
    const out: Record<string, unknown>[] = []
    for (const block of blocks) {
      for (const tx of block.transactions) {
        for (const log of formatLogs(block, tx)) {
          const topics = log.topics as Hex[]
          if (addresses && !addresses.includes((log.address as string).toLowerCase())) continue
          const match = (filter.topics ?? []).every((want, i) => {
            if (want === null) return true
            const have = topics[i]?.toLowerCase()
            return Array.isArray(want) ? want.includes(have as Hex) : want === have
          })
          if (match) out.push(log)
        }
      }
    }
    return out
  }

  const server = await serveJsonRpc({ handle, refuse: () => switches.rpcStopped, ...(o.port !== undefined ? { port: o.port } : {}) })
  return { url: server.url, stop: () => server.close() }
}

/** The L2 JSON-RPC as a role for startOpL2's `roles` list: `roles: [opL2RpcRole({ port: 0 })]`. */
export function opL2RpcRole(o: { port?: number; maxLogRange?: bigint } = {}) {
  return (context: OpL2RoleContext): Promise<OpL2RpcServer> => serveOpL2Rpc({ ...context, ...o })
}
