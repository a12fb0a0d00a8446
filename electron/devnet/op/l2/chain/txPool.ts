/**
 * The devnet sequencer's txpool: eth_sendRawTransaction input, validated before it is accepted (decoding, chain id,
 * type, signature, nonce, funds, intrinsic gas, block gas limit, size), then handed to the sequencer in nonce order
 * per sender. The executor re-checks every rule when the block is built; a tx it still refuses is evicted there.
 *
 * Censorship happens at selection, not at submission: a censored sender's tx is accepted (as a real sequencer's RPC
 * would answer) and then never included.
 */
import { keccak256, parseTransaction, recoverTransactionAddress, getAddress, type Address, type Hex } from 'viem'
import type { OpL2SubmitResult, OpL2TxRejection } from '../types'

/** A raw tx above this is refused (op-geth's txMaxSize is 128 KiB). */
export const MAX_RAW_TX_BYTES = 128 * 1024
export const MAX_POOL_TXS = 4096

export interface PooledTx {
  raw: Hex
  hash: Hex
  from: Address
  nonce: bigint
  gas: bigint
  maxFeePerGas: bigint
}

export interface PoolAccountView {
  nonce: bigint
  balance: bigint
}

export interface TxPoolRules {
  chainId: number
  blockGasLimit: bigint
  /** The sender's account at the head. */
  account(address: Address): PoolAccountView
}

export interface TxPool {
  submit(raw: Hex, rules: TxPoolRules): Promise<OpL2SubmitResult>
  /** Txs to try in the next block, per sender from the sender's current nonce, skipping `excluded` senders. */
  select(account: (a: Address) => bigint, excluded: (a: Address) => boolean): PooledTx[]
  /** Removes included or refused txs. */
  remove(hashes: Iterable<Hex>): void
  /** Drops txs whose nonce is below the sender's account nonce (replaced or included elsewhere). */
  prune(account: (a: Address) => bigint): void
  readonly size: number
}

export function createTxPool(): TxPool {
  const byHash = new Map<Hex, PooledTx>()
  const reject = (reason: OpL2TxRejection, message: string): OpL2SubmitResult => ({ accepted: false, reason, message })
  return {
    get size() {
      return byHash.size
    },
    async submit(raw, rules) {
      if (!/^0x([0-9a-fA-F]{2})+$/.test(raw)) return reject('malformed', 'the transaction is not hex-encoded bytes')
      if ((raw.length - 2) / 2 > MAX_RAW_TX_BYTES) return reject('malformed', `the transaction is larger than ${MAX_RAW_TX_BYTES} bytes`)
      const hash = keccak256(raw)
      if (byHash.has(hash)) return reject('already-known', 'already known')
      if (byHash.size >= MAX_POOL_TXS) return reject('pool-full', 'txpool is full')
      const typeByte = Number.parseInt(raw.slice(2, 4), 16)
      if (typeByte === 0x7e) return reject('deposit-not-allowed', 'deposit transactions come only from L1 (OptimismPortal.depositTransaction)')
      if (typeByte === 0x03 || typeByte === 0x04) return reject('unsupported-type', `transaction type ${typeByte} is not accepted by this chain`)
      let tx: ReturnType<typeof parseTransaction>
      let from: Address
      try {
        tx = parseTransaction(raw)
        from = getAddress(await recoverTransactionAddress({ serializedTransaction: raw as Parameters<typeof recoverTransactionAddress>[0]['serializedTransaction'] }))
      } catch (e) {
        return reject('malformed', `cannot decode the transaction or its signature: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`)
      }
      if (tx.chainId !== undefined && tx.chainId !== rules.chainId) return reject('wrong-chain-id', `chain id ${tx.chainId}, this chain is ${rules.chainId}`)
      if (tx.chainId === undefined) return reject('wrong-chain-id', 'transactions without a chain id (pre-EIP-155) are refused')
      const gas = tx.gas ?? 0n
      if (gas > rules.blockGasLimit) return reject('gas-limit-exceeds-block', `gas limit ${gas} exceeds the block gas limit ${rules.blockGasLimit}`)
      const intrinsic = intrinsicGas(tx.data ?? '0x', tx.to === undefined || tx.to === null)
      if (gas < intrinsic) return reject('intrinsic-gas', `gas limit ${gas} is below the intrinsic gas ${intrinsic}`)
      const maxFeePerGas = tx.maxFeePerGas ?? tx.gasPrice ?? 0n
      if (maxFeePerGas === 0n) return reject('fee-too-low', 'the fee per gas is zero')
      const account = rules.account(from)
      const nonce = BigInt(tx.nonce ?? 0)
      if (nonce < account.nonce) return reject('nonce-too-low', `nonce ${nonce}, account nonce ${account.nonce}`)
      const cost = gas * maxFeePerGas + (tx.value ?? 0n)
      if (account.balance < cost) return reject('insufficient-funds', `insufficient funds for gas * price + value: balance ${account.balance}, cost ${cost}`)
      for (const p of byHash.values()) if (p.from === from && p.nonce === nonce) byHash.delete(p.hash) // replacement
      byHash.set(hash, { raw, hash, from, nonce, gas, maxFeePerGas })
      return { accepted: true, hash }
    },
    select(account, excluded) {
      const bySender = new Map<Address, PooledTx[]>()
      for (const p of byHash.values()) {
        if (excluded(p.from)) continue
        const list = bySender.get(p.from) ?? []
        list.push(p)
        bySender.set(p.from, list)
      }
      const out: PooledTx[] = []
      for (const [from, list] of bySender) {
        let next = account(from)
        for (const p of list.sort((a, b) => (a.nonce < b.nonce ? -1 : 1))) {
          if (p.nonce !== next) break
          out.push(p)
          next++
        }
      }
      return out
    },
    remove(hashes) {
      for (const h of hashes) byHash.delete(h)
    },
    prune(account) {
      for (const p of [...byHash.values()]) if (p.nonce < account(p.from)) byHash.delete(p.hash)
    },
  }
}

/** 21000 (+32000 for a creation) + 4/16 gas per zero/non-zero calldata byte (+2 per initcode word, EIP-3860). */
function intrinsicGas(data: Hex, creation: boolean): bigint {
  let gas = creation ? 53_000n : 21_000n
  for (let i = 2; i < data.length; i += 2) gas += data.slice(i, i + 2) === '00' ? 4n : 16n
  if (creation) gas += 2n * BigInt(Math.ceil((data.length - 2) / 64))
  return gas
}
