/**
 * An L2 node's eth_getBlockBy{Number,Hash}(…, true) answer → an UntrustedL2Block: header fields and every transaction
 * re-serialised to its EIP-2718 bytes (deposits 0x7E from their JSON fields, typed/legacy txs with their signatures;
 * viem's serializer). The shape is validated (zod); the *content* is not trusted here: verifyL2Block re-hashes the
 * header and rebuilds transactionsRoot from these bytes, so a wrong field or a re-serialisation we get wrong can only
 * make verification fail, never pass.
 */
import { formatTransaction, hexToBytes, keccak256, serializeTransaction, type Hex, type RpcTransaction } from 'viem'
import { z } from 'zod'
import { UntrustedL2DataError } from './errors'
import type { UntrustedAccountProof, UntrustedL2Block } from './L2BlockSource'
import { serializeTxDeposit } from '../../../../eth/TxDeposit'
import { hexBytes } from '../../../../eth/bytes'

const hex = z.string().regex(/^0x[0-9a-fA-F]*$/)
const hash32 = z.string().regex(/^0x[0-9a-fA-F]{64}$/)
const quantity = z.string().regex(/^0x[0-9a-fA-F]{1,64}$/)
const address = z.string().regex(/^0x[0-9a-fA-F]{40}$/)

const rpcBlockSchema = z.object({
  hash: hash32,
  parentHash: hash32,
  sha3Uncles: hash32,
  miner: address,
  stateRoot: hash32,
  transactionsRoot: hash32,
  receiptsRoot: hash32,
  logsBloom: z.string().regex(/^0x[0-9a-fA-F]{512}$/),
  difficulty: quantity,
  number: quantity,
  gasLimit: quantity,
  gasUsed: quantity,
  timestamp: quantity,
  extraData: hex,
  mixHash: hash32,
  nonce: z.string().regex(/^0x[0-9a-fA-F]{16}$/),
  baseFeePerGas: quantity.optional(),
  withdrawalsRoot: hash32.optional(),
  blobGasUsed: quantity.optional(),
  excessBlobGas: quantity.optional(),
  parentBeaconBlockRoot: hash32.optional(),
  requestsHash: hash32.optional(),
  transactions: z.array(z.looseObject({ type: quantity, hash: hash32 })),
})

const depositSchema = z.object({
  sourceHash: hash32,
  from: address,
  to: address.nullish(),
  mint: quantity.nullish(),
  value: quantity,
  gas: quantity,
  isSystemTx: z.boolean().nullish(),
  input: hex,
})

const accountProofSchema = z.object({
  address,
  accountProof: z.array(hex).max(130),
  nonce: quantity,
  balance: quantity,
  codeHash: hash32,
  storageHash: hash32,
})

const big = (q: string | undefined | null): bigint => (q ? BigInt(q) : 0n)

export function parseRpcL2Block(json: unknown, node: string): UntrustedL2Block {
  const parsed = rpcBlockSchema.safeParse(json)
  if (!parsed.success) {
    throw new UntrustedL2DataError('malformed', 'The L2 node sent a block that is not a valid block with transactions.', { node, details: parsed.error.message.slice(0, 500) })
  }
  const b = parsed.data
  const transactions = b.transactions.map((t, i) => {
    try {
      return serializeRpcL2Transaction(t)
    } catch (cause) {
      throw new UntrustedL2DataError('malformed', `The L2 node sent a transaction that cannot be serialised (block ${BigInt(b.number)}, index ${i}).`, { node, details: `${t.hash}: ${(cause as Error).message}`, cause })
    }
  })
  return {
    header: {
      hash: b.hash as Hex,
      parentHash: b.parentHash as Hex,
      sha3Uncles: b.sha3Uncles as Hex,
      miner: b.miner as Hex,
      stateRoot: b.stateRoot as Hex,
      transactionsRoot: b.transactionsRoot as Hex,
      receiptsRoot: b.receiptsRoot as Hex,
      logsBloom: b.logsBloom as Hex,
      difficulty: BigInt(b.difficulty),
      number: BigInt(b.number),
      gasLimit: BigInt(b.gasLimit),
      gasUsed: BigInt(b.gasUsed),
      timestamp: BigInt(b.timestamp),
      extraData: b.extraData as Hex,
      mixHash: b.mixHash as Hex,
      nonce: b.nonce as Hex,
      baseFeePerGas: big(b.baseFeePerGas),
      withdrawalsRoot: b.withdrawalsRoot as Hex | undefined,
      blobGasUsed: b.blobGasUsed === undefined ? undefined : BigInt(b.blobGasUsed),
      excessBlobGas: b.excessBlobGas === undefined ? undefined : BigInt(b.excessBlobGas),
      parentBeaconBlockRoot: b.parentBeaconBlockRoot as Hex | undefined,
      requestsHash: b.requestsHash as Hex | undefined,
    },
    transactions,
  }
}

/** One transaction of an eth_getBlockBy* answer → EIP-2718 bytes, checked against the hash the node gave for it. */
export function serializeRpcL2Transaction(t: { type: string; hash: string } & Record<string, unknown>): Uint8Array {
  let raw: Uint8Array
  if (BigInt(t.type) === 0x7en) {
    const d = depositSchema.parse(t)
    raw = serializeTxDeposit({
      sourceHash: d.sourceHash as Hex,
      from: d.from as Hex,
      to: (d.to ?? undefined) as Hex | undefined,
      mint: big(d.mint),
      value: BigInt(d.value),
      gas: BigInt(d.gas),
      isSystemTransaction: d.isSystemTx === true,
      data: hexBytes(d.input),
    })
  } else {
    const f = formatTransaction(t as unknown as RpcTransaction) as Parameters<typeof serializeTransaction>[0] & { r: Hex; s: Hex; v?: bigint; yParity?: number; input: Hex; type: string }
    if (f.type === 'eip4844') throw new Error('blob transactions do not exist on L2')
    // viem's formatter keeps the calldata as `input`; its serializer reads `data`. A pre-EIP-155 legacy tx has no chainId.
    const g = { ...f, data: f.input }
    const signature = f.type !== 'legacy' && f.yParity !== undefined ? { r: f.r, s: f.s, yParity: f.yParity } : { r: f.r, s: f.s, v: f.v as bigint }
    raw = hexToBytes(serializeTransaction(g as never, signature as never))
  }
  const h = keccak256(raw)
  if (h !== t.hash.toLowerCase()) throw new Error(`its fields serialise to a transaction with hash ${h}`)
  return raw
}

export function parseRpcAccountProof(json: unknown, node: string): UntrustedAccountProof {
  const p = accountProofSchema.safeParse(json)
  if (!p.success) throw new UntrustedL2DataError('malformed', 'The L2 node sent an account proof that is not valid eth_getProof output.', { node, details: p.error.message.slice(0, 500) })
  return {
    address: p.data.address as Hex,
    accountProof: p.data.accountProof as Hex[],
    nonce: BigInt(p.data.nonce),
    balance: BigInt(p.data.balance),
    codeHash: p.data.codeHash as Hex,
    storageHash: p.data.storageHash as Hex,
  }
}
