import { createRequire } from 'node:module'
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, keccak256, type Hex } from 'viem'
import type * as CKzg from 'c-kzg'
import { describe, expect, it } from 'vitest'
import { parseRollupConfig, type RollupConfig } from '../../../shared/rollups/op-stack/config/rollupConfig'
import { BlockExecutionError } from '../../../shared/rollups/op-stack/execute/errors'
import { executeBlock } from '../../../shared/rollups/op-stack/execute/executeBlock'
import { buildGenesis } from '../../../shared/rollups/op-stack/genesis/buildGenesis'
import { parseGenesis } from '../../../shared/rollups/op-stack/genesis/parseGenesis'
import type { StateNodeStore } from '../../../shared/rollups/op-stack/state/StateNodeStore'
import { readVectorJson } from '../../../fixtures/vectors'
import { createExecutionKzg } from './createExecutionKzg'
import { serializeTxDeposit } from '../../../shared/eth/TxDeposit'

const base = parseRollupConfig(readVectorJson('op/genesis/op-sepolia-rollup-config.json'))
const t1 = base.genesis.l2Time + 2
const config: RollupConfig = { ...base, forks: { ...base.forks, canyon: t1, delta: t1, ecotone: t1, jovian: undefined, karst: undefined, fjord: undefined, granite: undefined, holocene: undefined, isthmus: undefined } }
const genesis = parseGenesis(readVectorJson('op/genesis/op-sepolia-genesis.json'))

function setup(): { store: StateNodeStore; parent: ReturnType<typeof buildGenesis>['header'] & { hash: Hex } } {
  const map = new Map<string, Uint8Array>()
  const store: StateNodeStore = { get: (h) => map.get(bytesToHex(h)), put: (h, v) => void map.set(bytesToHex(h), v) }
  const g = buildGenesis({ genesis, config, onNode: store.put, onCode: store.put })
  return { store, parent: { ...g.header, hash: g.blockHash } }
}

/** A deposit calling the point-evaluation precompile 0x0a with `input`. */
function callPointEvaluation(input: Uint8Array): Hex {
  return bytesToHex(serializeTxDeposit({
    sourceHash: keccak256('0x0a'), from: `0x${'11'.repeat(20)}`, to: `0x${'00'.repeat(19)}0a`,
    mint: 0n, value: 0n, gas: 200_000n, isSystemTransaction: false, data: input,
  }))
}

function pointEvaluationInput(corrupt: boolean): Uint8Array {
  const kzg = createRequire(import.meta.url)('c-kzg') as typeof CKzg
  try {
    kzg.loadTrustedSetup(0)
  } catch (e) {
    if (!/already loaded/i.test(String(e))) throw e
  }
  const blob = new Uint8Array(kzg.BYTES_PER_BLOB)
  for (let i = 0; i < 4096; i++) blob[i * 32 + 31] = i & 0xff
  const commitment = kzg.blobToKzgCommitment(blob)
  const z = new Uint8Array(32)
  z[31] = 7
  const [proof, y] = kzg.computeKzgProof(blob, z)
  const versioned = sha256(commitment)
  versioned[0] = 1
  const input = new Uint8Array([...versioned, ...z, ...y, ...commitment, ...proof])
  if (corrupt) input[100]! ^= 1
  return input
}

const attributes = (tx: Hex) => ({
  timestamp: BigInt(t1),
  prevRandao: keccak256('0x01'),
  suggestedFeeRecipient: '0x4200000000000000000000000000000000000011' as Hex,
  parentBeaconBlockRoot: keccak256('0x02'),
  transactions: [tx],
  gasLimit: 30_000_000n,
})

describe('point-evaluation precompile during re-execution', () => {
  it('accepts a valid KZG opening and rejects a corrupted one', async () => {
    const kzg = createExecutionKzg()
    const ok = setup()
    const good = await executeBlock({ config, parent: ok.parent, attributes: attributes(callPointEvaluation(pointEvaluationInput(false))), store: ok.store, kzg })
    expect(good.fork).toBe('ecotone')
    expect(good.receipts[0]!.status).toBe(1)
    const bad = setup()
    const r = await executeBlock({ config, parent: bad.parent, attributes: attributes(callPointEvaluation(pointEvaluationInput(true))), store: bad.store, kzg })
    expect(r.receipts[0]!.status).toBe(0)
  }, 60_000)

  it('without KZG the block fails loudly instead of producing a result', async () => {
    const s = setup()
    await expect(executeBlock({ config, parent: s.parent, attributes: attributes(callPointEvaluation(pointEvaluationInput(false))), store: s.store })).rejects.toBeInstanceOf(BlockExecutionError)
  }, 60_000)
})
