/**
 * The fee bump on an OP Stack escape job (the Arbitrum one is covered through the CLI, jobs-bump-fee.test.ts, and the
 * app, e2e/feeBump.test.ts): the job's forced-withdrawal deposit is a real L1 transaction sent to anvil while it does
 * not mine, then L1 fees jump above its cap; bumpFee reads the OP job's parameters (network file, saved endpoints,
 * signer), asks for consent, signs the same transaction at the approved fees and the replacement is mined, once.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseGwei, parseTransaction, type Hex, type TransactionSerialized } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { opNetworkEntry } from '../../../shared/networks/buildNetworkEntry'
import { customOpSupport } from '../../../shared/networks/supportFacts'
import { builtinRollupConfig, OP_SEPOLIA_ROLLUP_JSON } from '../../../shared/rollups/op-stack/config/builtinRollupConfigs'
import { startAnvil, type AnvilHandle } from '../../devnet/anvil'
import { devnetPublicClient } from '../../devnet/devnetClients'
import { mine } from '../../devnet/timeTravel'
import { createOpEscapeJob, opEscapeNetworkParam } from '../flows/op/opEscapeJob'
import { JournalStore } from '../journal/JournalStore'
import { DrillKeySigner } from '../signers/drill-key/DrillKeySigner'
import { bumpFee, type BumpFeeHints } from './bumpFee'
import type { FeeBumpProposal } from './bumpFeeProposal'

let anvil: AnvilHandle
let dir: string
let store: JournalStore
const L2_CHAIN_ID = OP_SEPOLIA_ROLLUP_JSON.l2_chain_id
const PATH = "m/44'/60'/0'/0/6"
const hints: BumpFeeHints = { showJob: 'show', resumeJob: 'resume', giveL1Rpc: 'give', bumpFee: (h) => `bump ${h}` }

beforeAll(async () => {
  anvil = await startAnvil()
  dir = await mkdtemp(join(tmpdir(), 'eh-bump-op-'))
  store = await JournalStore.open(join(dir, 'jobs'))
}, 60_000)

afterAll(async () => {
  store?.close()
  await anvil?.stop()
  await rm(dir, { recursive: true, force: true })
})

describe('bumpFee on an OP Stack escape job', () => {
  it('replaces its stuck L1 transaction at the approved fees; the replacement is mined and the nonce moves once', async () => {
    const l1 = devnetPublicClient(anvil.rpcUrl)
    const request = (method: string, params: unknown[] = []) => l1.request({ method: method as never, params: params as never })
    const user = anvil.accounts[6]!.address
    const portal = '0x4200000000000000000000000000000000000042'
    // The network as a devnet's file: OP Sepolia's rollup config settling on this anvil.
    const entry = opNetworkEntry({ id: 'devnet-op-bump', name: 'Devnet OP', source: 'file', rollupConfig: { ...builtinRollupConfig('op-sepolia'), l1ChainId: anvil.chainId }, support: customOpSupport(false) })
    const jobId = await createOpEscapeJob(store, {
      network: opEscapeNetworkParam(entry),
      account: user,
      signerPath: PATH,
      destination: user,
      assets: [{ kind: 'eth', amountWei: '100000000000000000' }],
      source: { kind: 'l2-node' },
      l1Endpoints: [anvil.rpcUrl],
      signer: { kind: 'drill-key', devnetChainIds: [anvil.chainId, L2_CHAIN_ID] },
    })

    // Its deposit, signed at today's fees and sent while anvil does not mine; then fees jump above its cap.
    const nonce = await l1.getTransactionCount({ address: user })
    const signer = new DrillKeySigner({ devnetChainId: anvil.chainId })
    const original = await signer.signTransaction({
      path: PATH,
      request: { type: 'eip1559', chainId: anvil.chainId, nonce, gas: 100_000n, to: portal, value: 0n, data: '0x', maxFeePerGas: parseGwei('3'), maxPriorityFeePerGas: parseGwei('1') },
      expectedFrom: user,
    })
    await store.append(jobId, { type: 'step.started', step: 'send-forced-withdrawal' })
    await store.append(jobId, { type: 'tx.signed', step: 'send-forced-withdrawal', chainId: anvil.chainId, from: user, nonce, hash: original.hash, raw: original.raw })
    await request('evm_setAutomine', [false])
    await request('eth_sendRawTransaction', [original.raw])
    await store.append(jobId, { type: 'tx.sent', hash: original.hash, endpoints: [anvil.rpcUrl] })
    await request('anvil_setNextBlockBaseFeePerGas', [`0x${parseGwei('60').toString(16)}`])
    await mine(anvil.rpcUrl, 12, 12)
    expect(await l1.getTransactionCount({ address: user })).toBe(nonce) // stuck
    await request('evm_setAutomine', [true])

    const shown: FeeBumpProposal[] = []
    const outcome = await bumpFee({
      store,
      jobId,
      device: { devnetChainIds: [anvil.chainId, L2_CHAIN_ID] },
      defaultExportDir: join(dir, 'exports'),
      consent: async (proposal) => (shown.push(proposal), { approved: true, asked: true }),
      pollMs: 100,
      hints,
      signal: AbortSignal.timeout(60_000),
    })

    expect(outcome.outcome).toBe('mined')
    if (outcome.outcome !== 'mined') return
    expect(outcome.mined).toBe('replacement')
    expect(shown).toHaveLength(1)
    const approved = shown[0]!.next
    expect(approved.type === 'eip1559' && approved.maxFeePerGas > parseGwei('3')).toBe(true)
    const { state } = await store.load(jobId)
    const [first, replacement] = state.txs
    expect(first).toMatchObject({ hash: original.hash, status: 'replaced', replacedBy: outcome.replacement })
    expect(replacement).toMatchObject({ hash: outcome.replacement, replaces: original.hash, status: 'mined', nonce })
    expect(state.prompts[`replace:${original.hash}`]).toBeDefined()
    // Exactly the approved request, signed.
    const signed = parseTransaction(replacement!.raw as TransactionSerialized)
    expect(signed).toMatchObject({ nonce, to: portal, gas: 100_000n, maxFeePerGas: approved.type === 'eip1559' ? approved.maxFeePerGas : -1n, maxPriorityFeePerGas: approved.type === 'eip1559' ? approved.maxPriorityFeePerGas : -1n })
    expect((await l1.getTransactionReceipt({ hash: outcome.replacement as Hex })).status).toBe('success')
    expect(await l1.getTransactionCount({ address: user })).toBe(nonce + 1)
  }, 120_000)
})
