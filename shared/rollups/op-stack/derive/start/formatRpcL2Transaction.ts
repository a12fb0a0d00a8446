/**
 * The inverse of serializeRpcL2Transaction: EIP-2718 transaction bytes → the JSON an L2 node returns inside
 * eth_getBlockBy*(…, true) (deposit fields for 0x7E; signature and fee fields for the others). For the places that
 * SERVE an L2 JSON-RPC (the devnet OP L2, test nodes built from real vectors); round-trips through the parser.
 */
import { keccak256, numberToHex, parseTransaction, type Hex } from 'viem'
import { DEPOSIT_TX_TYPE, parseTxDeposit } from '../../../../eth/TxDeposit'
import { toHex } from '../../../../eth/bytes'

export interface RpcTransactionContext {
  blockHash: Hex
  blockNumber: bigint
  index: number
}

const q = (v: bigint | number): Hex => numberToHex(v)

export function formatRpcL2Transaction(raw: Uint8Array, at: RpcTransactionContext): Record<string, unknown> {
  const hash = keccak256(raw)
  const position = { hash, blockHash: at.blockHash, blockNumber: q(at.blockNumber), transactionIndex: q(at.index) }
  if (raw[0] === DEPOSIT_TX_TYPE) {
    const d = parseTxDeposit(raw)
    return {
      ...position,
      type: q(DEPOSIT_TX_TYPE),
      sourceHash: d.sourceHash,
      from: d.from,
      to: d.to ?? null,
      mint: q(d.mint),
      value: q(d.value),
      gas: q(d.gas),
      isSystemTx: d.isSystemTransaction,
      input: toHex(d.data),
      nonce: '0x0',
      gasPrice: '0x0',
    }
  }
  const t = parseTransaction(toHex(raw))
  const typeByte = { legacy: 0, eip2930: 1, eip1559: 2, eip4844: 3, eip7702: 4 }[t.type as 'legacy']
  const out: Record<string, unknown> = {
    ...position,
    type: q(typeByte),
    nonce: q(t.nonce ?? 0),
    gas: q(t.gas ?? 0n),
    to: t.to ?? null,
    value: q(t.value ?? 0n),
    input: t.data ?? '0x',
    r: t.r,
    s: t.s,
  }
  if (t.chainId !== undefined) out.chainId = q(t.chainId)
  if (t.type === 'legacy') {
    out.gasPrice = q(t.gasPrice ?? 0n)
    out.v = q(t.v ?? 0n)
    return out
  }
  out.accessList = t.accessList ?? []
  out.yParity = q(t.yParity ?? 0)
  out.v = q(t.yParity ?? 0)
  if (t.type === 'eip2930') out.gasPrice = q(t.gasPrice ?? 0n)
  else {
    out.maxFeePerGas = q(t.maxFeePerGas ?? 0n)
    out.maxPriorityFeePerGas = q(t.maxPriorityFeePerGas ?? 0n)
  }
  if (t.type === 'eip7702') out.authorizationList = (t.authorizationList ?? []).map((a) => ({ chainId: q(a.chainId), address: a.address, nonce: q(a.nonce), yParity: q(a.yParity ?? 0), r: a.r, s: a.s }))
  return out
}
