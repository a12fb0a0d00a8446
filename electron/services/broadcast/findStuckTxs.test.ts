// findStuckTxs and readL1Fees against a real local L1 (anvil told a high base fee) and the real JournalStore.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseEther, parseGwei, type PublicClient } from 'viem'
import { startAnvil, type AnvilHandle } from '../../devnet/anvil'
import { mine } from '../../devnet/timeTravel'
import { JournalStore } from '../journal/JournalStore'
import { DrillKeySigner } from '../signers/drill-key/DrillKeySigner'
import { createEndpointClients } from '../l1/endpointClients'
import { findStuckTxs } from './findStuckTxs'
import { readL1Fees } from './readL1Fees'
import { devnetPublicClient } from '../../devnet/devnetClients'

let anvil: AnvilHandle
let client: PublicClient
let dir: string
let store: JournalStore
const signer = new DrillKeySigner({ devnetChainId: 31337 })
const rpc = (method: string, params: unknown[] = []) => client.request({ method: method as never, params: params as never })

beforeAll(async () => {
  anvil = await startAnvil()
  client = devnetPublicClient(anvil.rpcUrl)
  dir = mkdtempSync(join(tmpdir(), 'eh-stuck-'))
  store = await JournalStore.open(dir)
})
afterAll(async () => {
  store?.close()
  await anvil?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

describe('findStuckTxs / readL1Fees', () => {
  it('a journaled tx is stuck only after N blocks above its fee cap with its nonce free; never once mined', async () => {
    const endpoints = createEndpointClients([anvil.rpcUrl, 'http://127.0.0.1:1'])
    await mine(anvil.rpcUrl, 12) // a chain old enough for a 10-block fee history
    const path = "44'/60'/0'/0/1"
    const from = signer.addressAt(path)
    const request = { type: 'eip1559', chainId: 31337, nonce: await client.getTransactionCount({ address: from }), gas: 21_000n, maxFeePerGas: parseGwei('3'), maxPriorityFeePerGas: parseGwei('1'), to: from, value: parseEther('0.001'), data: '0x' } as const
    const signed = await signer.signTransaction({ path, request })
    const job = await store.createJob({ kind: 'test-stuck', title: 'stuck', params: {} })
    await store.append(job.id, { type: 'tx.signed', step: 'send', chainId: 31337, from, nonce: request.nonce, hash: signed.hash, raw: signed.raw })
    const stuckNow = async (afterBlocks = 10) => findStuckTxs({ state: (await store.load(job.id)).state, endpoints, afterBlocks })

    expect(await stuckNow()).toEqual([]) // base fee ≈ 1 gwei or less: it can be mined
    await rpc('anvil_setNextBlockBaseFeePerGas', [`0x${parseGwei('40').toString(16)}`])
    await mine(anvil.rpcUrl, 5, 12)
    expect(await stuckNow()).toEqual([]) // above its cap for 5 blocks only
    expect(await stuckNow(4)).toEqual([expect.objectContaining({ hash: signed.hash, blocks: 4 })])
    await mine(anvil.rpcUrl, 6, 12)
    const [stuck] = await stuckNow()
    expect(stuck).toMatchObject({ hash: signed.hash, step: 'send', nonce: request.nonce, maxFeePerGas: parseGwei('3'), blocks: 10 })
    expect(stuck!.baseFee).toBeGreaterThan(parseGwei('3'))

    // The fees an endpoint quotes: the next block's base fee (what the stuck check reported) and a tip; a dead endpoint is skipped.
    const quote = await readL1Fees(endpoints, 31337)
    expect(quote).toMatchObject({ nextBaseFee: stuck!.baseFee, priorityFee: parseGwei('1'), answered: [anvil.rpcUrl] })
    await expect(readL1Fees(endpoints, 1)).rejects.toThrow(/No L1 endpoint could be reached/)

    // Fees fall and it is mined: the nonce is used, nothing is stuck any more (before and after the journal knows).
    await rpc('anvil_setNextBlockBaseFeePerGas', [`0x${parseGwei('0.5').toString(16)}`])
    await rpc('evm_mine')
    await rpc('eth_sendRawTransaction', [signed.raw])
    const receipt = await client.waitForTransactionReceipt({ hash: signed.hash })
    await rpc('anvil_setNextBlockBaseFeePerGas', [`0x${parseGwei('40').toString(16)}`])
    await mine(anvil.rpcUrl, 11, 12)
    expect(await stuckNow()).toEqual([])
    await store.append(job.id, { type: 'tx.mined', hash: signed.hash, blockNumber: receipt.blockNumber.toString(), status: 'success' })
    expect(await stuckNow()).toEqual([])
  })
})
