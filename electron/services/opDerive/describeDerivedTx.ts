/**
 * One derived L2 transaction as the window shows it: its kind, sender, recipient and value, and whether it involves
 * the address the user asked about. Deposits (0x7E) carry their `from` in the clear (deposits.md §"The Deposited
 * Transaction Type"); a sequenced transaction's sender is recovered from its signature, never taken from anyone.
 * Decoding is viem's (op-stack parseTransaction for 0x7E, parseTransaction + recoverTransactionAddress otherwise).
 */
import { bytesToHex, getAddress, parseTransaction, recoverTransactionAddress, type Hex } from 'viem'
import { parseTransaction as parseOpTransaction } from 'viem/op-stack'
import type { OpDeriveTxView } from '../../../shared/ipc/opDeriveSchemas'
import { applyL1ToL2Alias } from '../../../shared/rollups/op-stack/derive/deposits'
import { hashTx } from '../../../shared/rollups/op-stack/derive/hashTx'
import { DEPOSIT_TX_TYPE } from '../../../shared/eth/TxDeposit'

export type DerivedTxKind = OpDeriveTxView['kind']

export interface DescribeDerivedTxParameters {
  raw: Uint8Array
  index: number
  /** From the block's position: index 0 is the L1-info deposit; upgrade deposits follow the user deposits. */
  kind: DerivedTxKind
  /** Lower-case; omit when the user gave none. */
  highlight?: `0x${string}`
  /** Recover sequenced txs' senders (costly: one signature recovery each); without it `from` is left out. */
  recoverSender: boolean
}

export async function describeDerivedTx({ raw, index, kind, highlight, recoverSender }: DescribeDerivedTxParameters): Promise<OpDeriveTxView> {
  const hash = hashTx(raw)
  const serialized = bytesToHex(raw)
  const base = { index, hash, kind, involves: [] as OpDeriveTxView['involves'] }
  try {
    let from: Hex | undefined
    let to: Hex | undefined
    let value: bigint
    let mint: bigint | undefined
    if (raw[0] === DEPOSIT_TX_TYPE) {
      const tx = parseOpTransaction(serialized as `0x7e${string}`)
      if (tx.type !== 'deposit') throw new Error(`type ${tx.type} behind a 0x7E byte`)
      from = tx.from
      to = tx.to ?? undefined
      value = tx.value ?? 0n
      mint = tx.mint ?? 0n
    } else {
      const tx = parseTransaction(serialized)
      to = tx.to ?? undefined
      value = tx.value ?? 0n
      if (recoverSender) from = await recoverTransactionAddress({ serializedTransaction: serialized as Parameters<typeof recoverTransactionAddress>[0]['serializedTransaction'] })
    }
    const view: OpDeriveTxView = {
      ...base,
      ...(from ? { from: getAddress(from) } : {}),
      ...(to ? { to: getAddress(to) } : {}),
      value: value.toString(),
      ...(mint !== undefined ? { mint: mint.toString() } : {}),
    }
    if (highlight) view.involves = involvement(highlight, from, to, raw[0] === DEPOSIT_TX_TYPE)
    return view
  } catch (error) {
    // The tx is in the block whatever its bytes (derivation does not execute); say we could not read it.
    return { ...base, value: '0', undecodable: clip(error instanceof Error ? error.message : String(error)) }
  }
}

/** How `highlight` appears in a tx. A deposit from an L1 contract carries the contract's aliased address as `from`. */
export function involvement(highlight: `0x${string}`, from: Hex | undefined, to: Hex | undefined, deposit: boolean): OpDeriveTxView['involves'] {
  const h = highlight.toLowerCase()
  const out: OpDeriveTxView['involves'] = []
  if (from?.toLowerCase() === h) out.push('sender')
  if (to?.toLowerCase() === h) out.push('recipient')
  if (deposit && from && applyL1ToL2Alias(h as `0x${string}`).toLowerCase() === from.toLowerCase()) out.push('aliased-sender')
  return out
}

function clip(text: string, max = 300): string {
  const line = text.split('\n')[0] ?? ''
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`
}
