import { RLP } from '@ethereumjs/rlp'
import { bytesToHex, hexToBytes, keccak256 } from 'viem'
import { describe, expect, it } from 'vitest'
import { readVectorJson } from '../../../../fixtures/vectors'
import { parseRollupConfig } from '../config/rollupConfig'
import type { PayloadAttributes } from '../derive/l2Types'
import { buildGenesis } from '../genesis/buildGenesis'
import { parseGenesis } from '../genesis/parseGenesis'
import type { StateNodeStore } from '../state/StateNodeStore'
import { createExecutionOracle } from './createExecutionOracle'
import { BlockExecutionError } from './errors'
import { encodeHeader } from '../../../eth/header'

const config = parseRollupConfig(readVectorJson('op/genesis/op-sepolia-rollup-config.json'))
const genesis = parseGenesis(readVectorJson('op/genesis/op-sepolia-genesis.json'))

function setup() {
  const map = new Map<string, Uint8Array>()
  const store: StateNodeStore = { get: (h) => map.get(bytesToHex(h)), put: (h, v) => void map.set(bytesToHex(h), v) }
  const g = buildGenesis({ genesis, config, onNode: store.put, onCode: store.put })
  store.put(hexToBytes(g.blockHash), encodeHeader(g.header))
  const ref = { number: 0, hash: g.blockHash, timestamp: config.genesis.l2Time, l1Origin: config.genesis.l1, sequenceNumber: 0 }
  return { store, ref }
}

const depositTx = (seed: number): Uint8Array =>
  new Uint8Array([0x7e, ...RLP.encode([hexToBytes(keccak256(`0x${seed.toString(16).padStart(2, '0')}`)), hexToBytes(`0x${'11'.repeat(20)}`), hexToBytes(`0x${'22'.repeat(20)}`), Uint8Array.of(1), new Uint8Array(0), Uint8Array.of(0xc3, 0x50), new Uint8Array(0), new Uint8Array(0)])])

const attrs = (n: number, transactions: Uint8Array[]): PayloadAttributes => ({
  timestamp: config.genesis.l2Time + 2 * n,
  prevRandao: keccak256('0x01'),
  suggestedFeeRecipient: '0x4200000000000000000000000000000000000011',
  gasLimit: 30_000_000n,
  noTxPool: true,
  transactions,
})

describe('ExecutionOracle for exact derivation', () => {
  it('executes a chain of derived payloads by parent hash', async () => {
    const { store, ref } = setup()
    const oracle = createExecutionOracle({ config, store })
    const one = await oracle.execute(ref, attrs(1, [depositTx(1)]))
    expect(one.status).toBe('valid')
    const two = await oracle.execute({ ...ref, number: 1, hash: one.status === 'valid' ? one.blockHash : undefined, timestamp: ref.timestamp + 2 }, attrs(2, [depositTx(2)]))
    expect(two.status).toBe('valid')
  })

  it('reports a payload with an invalid transaction as invalid (engine INVALID)', async () => {
    const { store, ref } = setup()
    const r = await createExecutionOracle({ config, store }).execute(ref, attrs(1, [depositTx(1), Uint8Array.of(0x02, 0xc0)]))
    expect(r.status).toBe('invalid')
  })

  it('throws (never "invalid") when the parent state is not available', async () => {
    const { store, ref } = setup()
    await expect(createExecutionOracle({ config, store }).execute({ ...ref, hash: keccak256('0x99') }, attrs(1, []))).rejects.toBeInstanceOf(BlockExecutionError)
  })
})
