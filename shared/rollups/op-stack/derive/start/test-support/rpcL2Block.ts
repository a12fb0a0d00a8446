/**
 * Test-only: the JSON an op-geth node returns for eth_getBlockBy*(…, true) and eth_getProof, built from header fields
 * and EIP-2718 transaction bytes (so tests can serve real blocks from a loopback fake L2 node, and check that
 * parseRpcL2Block re-serialises them byte for byte).
 */
import { bytesToHex, keccak256, numberToHex, type Hex } from 'viem'
import { parseTransaction } from 'viem'
import { parseTxDeposit } from '../../../../../eth/TxDeposit'
import { type BlockHeader } from '../../../../../eth/header'

const q = (v: bigint | number): Hex => numberToHex(v)

export function toRpcTransaction(raw: Uint8Array, blockHash: Hex, blockNumber: bigint, index: number): Record<string, unknown> {
  const hash = keccak256(raw)
  const common = { hash, blockHash, blockNumber: q(blockNumber), transactionIndex: q(index) }
  if (raw[0] === 0x7e) {
    const d = parseTxDeposit(raw)
    return {
      ...common, type: '0x7e', sourceHash: d.sourceHash, from: d.from, to: d.to ?? null, mint: q(d.mint), value: q(d.value), gas: q(d.gas),
      isSystemTx: d.isSystemTransaction, input: bytesToHex(d.data), nonce: '0x0', gasPrice: '0x0', v: '0x0', r: '0x0', s: '0x0',
    }
  }
  const t = parseTransaction(bytesToHex(raw)) as Record<string, unknown> & { type: string }
  const typeHex = { legacy: '0x0', eip2930: '0x1', eip1559: '0x2', eip7702: '0x4' }[t.type]
  if (!typeHex) throw new Error(`test helper: unsupported type ${t.type}`)
  const out: Record<string, unknown> = { ...common, type: typeHex, input: (t.data as Hex | undefined) ?? '0x', to: t.to ?? null, from: '0x0000000000000000000000000000000000000000' }
  for (const k of ['nonce', 'gas', 'gasPrice', 'maxFeePerGas', 'maxPriorityFeePerGas', 'value', 'chainId', 'v']) {
    const v = t[k]
    if (v !== undefined) out[k] = q(v as bigint | number)
  }
  if (t.yParity !== undefined) out.yParity = q(t.yParity as number)
  out.r = t.r
  out.s = t.s
  if (t.accessList) out.accessList = t.accessList
  if (t.authorizationList) {
    out.authorizationList = (t.authorizationList as { address: Hex; chainId: number; nonce: number; r: Hex; s: Hex; yParity: number }[]).map((a) => ({
      address: a.address, chainId: q(a.chainId), nonce: q(a.nonce), r: a.r, s: a.s, yParity: q(a.yParity),
    }))
  }
  if (out.v === undefined && t.yParity !== undefined) out.v = q(t.yParity as number)
  if (out.value === undefined) out.value = '0x0'
  if (out.nonce === undefined) out.nonce = '0x0'
  return out
}

export function toRpcBlock(header: BlockHeader & { hash: Hex }, transactions: readonly Uint8Array[]): Record<string, unknown> {
  const h = header
  const out: Record<string, unknown> = {
    hash: h.hash, parentHash: h.parentHash, sha3Uncles: h.sha3Uncles, miner: h.miner, stateRoot: h.stateRoot, transactionsRoot: h.transactionsRoot,
    receiptsRoot: h.receiptsRoot, logsBloom: h.logsBloom, difficulty: q(h.difficulty), number: q(h.number), gasLimit: q(h.gasLimit), gasUsed: q(h.gasUsed),
    timestamp: q(h.timestamp), extraData: h.extraData, mixHash: h.mixHash, nonce: h.nonce, baseFeePerGas: q(h.baseFeePerGas), size: '0x0', uncles: [],
    transactions: transactions.map((t, i) => toRpcTransaction(t, h.hash, h.number, i)),
  }
  if (h.withdrawalsRoot !== undefined) Object.assign(out, { withdrawalsRoot: h.withdrawalsRoot, withdrawals: [] })
  if (h.blobGasUsed !== undefined) out.blobGasUsed = q(h.blobGasUsed)
  if (h.excessBlobGas !== undefined) out.excessBlobGas = q(h.excessBlobGas)
  if (h.parentBeaconBlockRoot !== undefined) out.parentBeaconBlockRoot = h.parentBeaconBlockRoot
  if (h.requestsHash !== undefined) out.requestsHash = h.requestsHash
  return out
}
