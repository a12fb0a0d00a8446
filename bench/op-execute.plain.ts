/**
 * The op-execute bench's baseline: plain @ethereumjs/evm over @ethereumjs/statemanager (trie-backed, the same
 * witness), running the block's transactions with runCall (decode + sender recovery + execution + final state root;
 * no OP fee logic, receipts or header). Also used to record which state the transactions touch (op-execute.edr.ts).
 */
import { createCustomCommon, Hardfork, Mainnet } from '@ethereumjs/common'
import { createEVM } from '@ethereumjs/evm'
import { createMPT } from '@ethereumjs/mpt'
import { Caches } from '@ethereumjs/statemanager'
import { createTxFromRLP, type TypedTransaction } from '@ethereumjs/tx'
import { Address, ValueEncoding } from '@ethereumjs/util'
import { hexToBytes } from 'viem'
import type { ExecutorVector } from '../shared/rollups/op-stack/execute/parseExecutorVector'
import { createWitnessStore } from '../shared/rollups/op-stack/state/createWitnessStore'
import { createMptDatabase } from '../shared/rollups/op-stack/state/StateNodeStore'
import { OpStateManager } from '../shared/rollups/op-stack/state/OpStateManager'
import { parseTxDeposit } from '../shared/eth/TxDeposit'

/** A trie-backed state manager over the vector's witness, at the parent state. */
export async function plainStateManager(v: ExecutorVector) {
  const store = createWitnessStore({ blockNumber: v.blockNumber, witness: v.witness })
  const common = createCustomCommon({ chainId: v.config.l2ChainId }, Mainnet, { hardfork: Hardfork.Cancun })
  const db = createMptDatabase(store, () => {
    throw new Error('missing node')
  })
  const trie = await createMPT({ db, root: hexToBytes(v.parent.stateRoot), useKeyHashing: true, valueEncoding: ValueEncoding.Bytes })
  return { common, stateManager: new OpStateManager({ trie, common, prefixCodeHashes: false, caches: new Caches() }) }
}

/** Runs the block's transactions; `instrument` may wrap the state manager's methods first. */
export async function plainEvm(v: ExecutorVector, instrument?: (stateManager: OpStateManager) => void): Promise<void> {
  const { common, stateManager } = await plainStateManager(v)
  instrument?.(stateManager)
  await stateManager.checkpoint()
  const evm = await createEVM({ common, stateManager })
  const block = {
    header: {
      number: v.blockNumber,
      coinbase: new Address(hexToBytes(v.attributes.suggestedFeeRecipient)),
      timestamp: v.attributes.timestamp,
      difficulty: 0n,
      prevRandao: hexToBytes(v.attributes.prevRandao),
      gasLimit: v.attributes.gasLimit,
      baseFeePerGas: 0n,
      getBlobGasPrice: () => 1n,
    },
  }
  for (const hex of v.attributes.transactions) {
    const raw = hexToBytes(hex)
    if (raw[0] === 0x7e) {
      const d = parseTxDeposit(raw)
      await evm.runCall({ block: block as never, caller: new Address(hexToBytes(d.from)), to: d.to ? new Address(hexToBytes(d.to)) : undefined, value: d.value, data: d.data, gasLimit: d.gas - 21_000n, skipBalance: true })
    } else {
      const tx = createTxFromRLP(raw, { common }) as TypedTransaction
      await evm.runCall({ block: block as never, caller: tx.getSenderAddress(), to: tx.to, value: tx.value, data: tx.data, gasLimit: tx.gasLimit - tx.getIntrinsicGas(), skipBalance: true })
    }
    await evm.journal.cleanup()
  }
  await stateManager.commit()
  await stateManager.getStateRoot()
}
