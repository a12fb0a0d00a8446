/**
 * OP executor benchmark (issue 5): executeBlock on the 4 real OP Sepolia blocks (witness replay, all OP rules,
 * receipts, tx/receipt roots, header) against plain @ethereumjs/evm running the same transactions over the same
 * witness state (decode + sender recovery + runCall + final state root; no OP fee logic, receipts or header).
 * Goal ≤ 1.3×. Min of 3 interleaved runs per block.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createCustomCommon, Hardfork, Mainnet } from '@ethereumjs/common'
import { createEVM } from '@ethereumjs/evm'
import { createMPT } from '@ethereumjs/mpt'
import { Caches } from '@ethereumjs/statemanager'
import { createTxFromRLP, type TypedTransaction } from '@ethereumjs/tx'
import { Address, ValueEncoding } from '@ethereumjs/util'
import { hexToBytes } from 'viem'
import { executeBlock } from '../shared/rollups/op-stack/execute/executeBlock'
import { parseExecutorVector, type ExecutorVector } from '../shared/rollups/op-stack/execute/parseExecutorVector'
import { createWitnessStore } from '../shared/rollups/op-stack/state/createWitnessStore'
import { createMptDatabase } from '../shared/rollups/op-stack/state/StateNodeStore'
import { OpStateManager } from '../shared/rollups/op-stack/state/OpStateManager'
import { VECTORS_DIR } from '../fixtures/vectors'
import type { BenchRow } from './types'
import { parseTxDeposit } from '../shared/eth/TxDeposit'

async function plainEvm(v: ExecutorVector): Promise<void> {
  const store = createWitnessStore({ blockNumber: v.blockNumber, witness: v.witness })
  const common = createCustomCommon({ chainId: v.config.l2ChainId }, Mainnet, { hardfork: Hardfork.Cancun })
  const db = createMptDatabase(store, () => {
    throw new Error('missing node')
  })
  const trie = await createMPT({ db, root: hexToBytes(v.parent.stateRoot), useKeyHashing: true, valueEncoding: ValueEncoding.Bytes })
  const stateManager = new OpStateManager({ trie, common, prefixCodeHashes: false, caches: new Caches() })
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

export default async function (): Promise<BenchRow[]> {
  const dir = join(VECTORS_DIR, 'op/executor')
  const vectors = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => parseExecutorVector(JSON.parse(readFileSync(join(dir, f), 'utf8'))))
  let ours = 0
  let plain = 0
  let txs = 0
  for (const v of vectors) {
    let bestOurs = Infinity
    let bestPlain = Infinity
    for (let round = 0; round < 3; round++) {
      let t = performance.now()
      const r = await executeBlock({ config: v.config, parent: v.parent, attributes: v.attributes, store: createWitnessStore({ blockNumber: v.blockNumber, witness: v.witness }) })
      bestOurs = Math.min(bestOurs, performance.now() - t)
      if (r.blockHash !== v.expectedBlockHash) throw new Error(`block ${v.blockNumber} does not replay`)
      t = performance.now()
      await plainEvm(v)
      bestPlain = Math.min(bestPlain, performance.now() - t)
    }
    ours += bestOurs
    plain += bestPlain
    txs += v.attributes.transactions.length
  }
  const ratio = ours / plain
  return [
    { name: `OP executor, 4 real OP Sepolia blocks (${txs} txs)`, value: Math.round(ours), unit: 'ms', note: 'witness load + execution + roots + header' },
    { name: 'plain @ethereumjs/evm, same txs and witness state', value: Math.round(plain), unit: 'ms', note: 'witness load + decode + runCall + state root' },
    { name: 'OP executor vs plain @ethereumjs/evm', value: Number(ratio.toFixed(2)), unit: 'x', goal: '≤ 1.3×', met: ratio <= 1.3 },
    { name: 'throughput', value: Math.round((txs / ours) * 1000), unit: 'tx/s' },
    { name: 'peak RSS (process)', value: Math.round(process.resourceUsage().maxRSS / 1024), unit: 'MB', note: 'whole bench process' },
  ]
}
