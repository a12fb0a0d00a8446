// The broadcaster against a real local L1 (anvil) and the real JournalStore.
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseEther, parseGwei, type Hex, type PublicClient } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { startAnvil, type AnvilHandle } from '../../devnet/anvil'
import { JournalStore } from '../journal/JournalStore'
import { BroadcastRejectedError, FeeBumpRefusedError, NonceTakenError } from '../../../shared/signing/broadcastErrors'
import { planFeeBump } from '../../../shared/signing/planFeeBump'
import type { UnsignedTxRequest } from '../../../shared/signing/unsignedTxRequest'
import { DrillKeySigner } from '../signers/drill-key/DrillKeySigner'
import { bumpFeeJournaled, recordFeeBumpConsent } from './bumpFeeJournaled'
import { resumeJournaled } from './resumeJournaled'
import { sendJournaled } from './sendJournaled'
import type { BroadcastProgress } from './watchJournaledTx'
import { devnetPublicClient, devnetWalletClient } from '../../devnet/devnetClients'

const PATH0 = "44'/60'/0'/0/0"
const recipient = '0x000000000000000000000000000000000000bEEF'
let anvil: AnvilHandle
let client: PublicClient
let dir: string
let store: JournalStore
let deadEndpoint: string
const signer = new DrillKeySigner({ devnetChainId: 31337 })
const fast = { pollIntervalMs: 50, unreachableTimeoutMs: 5_000 }

beforeAll(async () => {
  anvil = await startAnvil()
  client = devnetPublicClient(anvil.rpcUrl)
  dir = mkdtempSync(join(tmpdir(), 'eh-broadcast-'))
  store = await JournalStore.open(dir)
  // A port nobody listens on: an endpoint that is down.
  const server = createServer().listen(0, '127.0.0.1')
  await new Promise((r) => server.once('listening', r))
  deadEndpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`
  await new Promise((r) => server.close(r))
})

afterAll(async () => {
  store?.close()
  await anvil?.stop()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

async function transfer(overrides: Partial<UnsignedTxRequest> = {}, path = PATH0): Promise<UnsignedTxRequest> {
  const from = signer.addressAt(path)
  const nonce = await client.getTransactionCount({ address: from, blockTag: 'pending' })
  return { type: 'eip1559', chainId: 31337, nonce, gas: 21_000n, maxFeePerGas: parseGwei('20'), maxPriorityFeePerGas: parseGwei('1'), to: recipient, value: parseEther('0.01'), data: '0x', ...overrides } as UnsignedTxRequest
}

async function newJob(title: string) {
  return store.createJob({ kind: 'test-broadcast', title, params: {} })
}

describe('sendJournaled', () => {
  it('journals tx.signed before sending, sends to every endpoint (one down), journals tx.sent and tx.mined', async () => {
    const job = await newJob('happy path')
    const signed = await signer.signTransaction({ path: PATH0, request: await transfer() })
    const progress: BroadcastProgress['phase'][] = []
    let journaledBeforeSend = false
    const result = await sendJournaled({
      store, jobId: job.id, step: 'send', signed, endpoints: [deadEndpoint, `${anvil.rpcUrl}/?apikey=secret`], ...fast,
      onProgress: (p) => progress.push(p.phase),
      hooks: {
        afterJournal: async () => {
          const { state } = await store.load(job.id)
          journaledBeforeSend = state.txs.some((t) => t.hash === signed.hash && t.status === 'signed')
          expect(await client.getTransaction({ hash: signed.hash }).catch(() => null)).toBeNull()
        },
      },
    })
    expect(journaledBeforeSend).toBe(true)
    expect(result).toMatchObject({ hash: signed.hash, status: 'success' })
    expect((await client.getTransactionReceipt({ hash: signed.hash })).blockNumber).toBe(result.blockNumber)
    const { records, state } = await store.load(job.id)
    expect(records.map((r) => r.type)).toEqual(['job.created', 'tx.signed', 'tx.sent', 'tx.mined'])
    // Only the endpoint that took it, and without its path (API keys live there).
    expect(state.txs[0]).toMatchObject({ status: 'mined', sentTo: [anvil.rpcUrl], raw: signed.raw })
    expect(progress).toEqual(expect.arrayContaining(['journaled', 'sent', 'mined']))
  })

  it('is idempotent for the same signed tx, and resume returns the journaled outcome without sending', async () => {
    const job = await newJob('idempotent')
    const signed = await signer.signTransaction({ path: PATH0, request: await transfer() })
    await sendJournaled({ store, jobId: job.id, step: 'send', signed, endpoints: [anvil.rpcUrl], ...fast })
    await sendJournaled({ store, jobId: job.id, step: 'send', signed, endpoints: [anvil.rpcUrl], ...fast })
    const { records } = await store.load(job.id)
    expect(records.filter((r) => r.type === 'tx.signed')).toHaveLength(1)
    expect(await resumeJournaled({ store, jobId: job.id, step: 'send', endpoints: [deadEndpoint], ...fast })).toMatchObject({ hash: signed.hash, status: 'success' })
    expect(await resumeJournaled({ store, jobId: job.id, step: 'never-signed', endpoints: [anvil.rpcUrl], ...fast })).toBeNull()
  })

  it('detects a nonce taken by another transaction, journals tx.dropped and stops with a clear error', async () => {
    const job = await newJob('nonce taken')
    const path = "44'/60'/0'/0/3"
    const ours = await signer.signTransaction({ path, request: await transfer({}, path) })
    // The same account sends something else with that nonce first (another wallet, say).
    const wallet = devnetWalletClient(anvil.rpcUrl, privateKeyToAccount(anvil.accounts[3]!.privateKey))
    const theirs = await wallet.sendTransaction({ chain: null, to: anvil.accounts[4]!.address, value: 1n })
    await client.waitForTransactionReceipt({ hash: theirs })
    const error = await sendJournaled({ store, jobId: job.id, step: 'send', signed: ours, endpoints: [anvil.rpcUrl], ...fast }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NonceTakenError)
    expect((error as NonceTakenError).shortMessage).toMatch(/used nonce \d+ before ours was mined/)
    const { state } = await store.load(job.id)
    expect(state.txs[0]).toMatchObject({ hash: ours.hash, status: 'dropped' })
    // After a drop there is nothing live to resume: the flow must build and sign anew.
    expect(await resumeJournaled({ store, jobId: job.id, step: 'send', endpoints: [anvil.rpcUrl], ...fast })).toBeNull()
  })

  it('refuses with clear errors when the account cannot pay or the endpoint is on another chain', async () => {
    const job = await newJob('rejections')
    const unfunded = "44'/60'/0'/0/99"
    const broke = await signer.signTransaction({ path: unfunded, request: await transfer({}, unfunded) })
    await expect(sendJournaled({ store, jobId: job.id, step: 'broke', signed: broke, endpoints: [anvil.rpcUrl], ...fast })).rejects.toBeInstanceOf(BroadcastRejectedError)
    const anyChain = new DrillKeySigner({ devnetChainId: 31337, allowAnyChain: true })
    const mainnet = await anyChain.signTransaction({ path: PATH0, request: await transfer({ chainId: 1 }) })
    const error = await sendJournaled({ store, jobId: job.id, step: 'mainnet', signed: mainnet, endpoints: [anvil.rpcUrl], ...fast }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(BroadcastRejectedError)
    expect((error as BroadcastRejectedError).shortMessage).toMatch(/different chain/)
  })

  it('bumps fees by replacement only with recorded consent and ≥10% higher fees; the replacement is mined once', async () => {
    const job = await newJob('fee bump')
    await client.request({ method: 'evm_setAutomine' as never, params: [false] as never })
    try {
      const path = "44'/60'/0'/0/5"
      const request = await transfer({ maxFeePerGas: parseGwei('3'), maxPriorityFeePerGas: parseGwei('1') }, path)
      const original = await signer.signTransaction({ path, request })
      const controller = new AbortController()
      const first = sendJournaled({ store, jobId: job.id, step: 'send', signed: original, endpoints: [anvil.rpcUrl], ...fast, signal: controller.signal, onProgress: (p) => p.phase === 'waiting' && controller.abort() })
      await expect(first).rejects.toThrow()

      const bumped = await signer.signTransaction({ path, request: planFeeBump(request) })
      const args = { store, jobId: job.id, step: 'send', replaces: original.hash, signed: bumped, endpoints: [anvil.rpcUrl], ...fast }
      await expect(bumpFeeJournaled(args)).rejects.toBeInstanceOf(FeeBumpRefusedError) // no consent yet
      await recordFeeBumpConsent({ store, jobId: job.id, replaces: original.hash, approved: true })
      const tooSmall = await signer.signTransaction({ path, request: { ...request, maxFeePerGas: parseGwei('3.1'), maxPriorityFeePerGas: parseGwei('1.05') } as UnsignedTxRequest })
      await expect(bumpFeeJournaled({ ...args, signed: tooSmall })).rejects.toThrow(/at least 10% higher/)

      const mined = bumpFeeJournaled(args)
      setTimeout(() => void client.request({ method: 'evm_mine' as never }), 200)
      expect(await mined).toMatchObject({ hash: bumped.hash, status: 'success' })
      expect(await client.getTransaction({ hash: original.hash }).catch(() => null)).toBeNull()
      const { state } = await store.load(job.id)
      expect(state.txs.map((t) => [t.hash, t.status])).toEqual([[original.hash, 'replaced'], [bumped.hash, 'mined']])
      expect(await resumeJournaled({ store, jobId: job.id, step: 'send', endpoints: [anvil.rpcUrl], ...fast })).toMatchObject({ hash: bumped.hash as Hex })
    } finally {
      await client.request({ method: 'evm_setAutomine' as never, params: [true] as never })
    }
  })

  it('a replacement must do the same thing: another value or recipient is refused even with consent', async () => {
    const job = await newJob('fee bump, other action')
    const path = "44'/60'/0'/0/6"
    const request = await transfer({}, path)
    const original = await signer.signTransaction({ path, request })
    await store.append(job.id, { type: 'tx.signed', step: 'send', chainId: 31337, from: original.from, nonce: request.nonce, hash: original.hash, raw: original.raw })
    await recordFeeBumpConsent({ store, jobId: job.id, replaces: original.hash, approved: true })
    const args = { store, jobId: job.id, step: 'send', replaces: original.hash, endpoints: [anvil.rpcUrl], ...fast }
    const more = await signer.signTransaction({ path, request: { ...planFeeBump(request), value: parseEther('5') } })
    await expect(bumpFeeJournaled({ ...args, signed: more })).rejects.toThrow(/does not do exactly what the original does/)
    const elsewhere = await signer.signTransaction({ path, request: { ...planFeeBump(request), to: anvil.accounts[2]!.address } })
    await expect(bumpFeeJournaled({ ...args, signed: elsewhere })).rejects.toThrow(/does not do exactly what the original does/)
    expect((await store.load(job.id)).state.txs.map((t) => t.status)).toEqual(['signed'])
  })

  it('the original mined after the bump was sent (a race): the job follows the original, the replacement is dropped', async () => {
    const job = await newJob('fee bump race')
    await client.request({ method: 'evm_setAutomine' as never, params: [false] as never })
    try {
      const path = "44'/60'/0'/0/7"
      const request = await transfer({ maxFeePerGas: parseGwei('3'), maxPriorityFeePerGas: parseGwei('1') }, path)
      const original = await signer.signTransaction({ path, request })
      const controller = new AbortController()
      await expect(sendJournaled({ store, jobId: job.id, step: 'send', signed: original, endpoints: [anvil.rpcUrl], ...fast, signal: controller.signal, onProgress: (p) => p.phase === 'waiting' && controller.abort() })).rejects.toThrow()
      await recordFeeBumpConsent({ store, jobId: job.id, replaces: original.hash, approved: true })
      const bumped = await signer.signTransaction({ path, request: planFeeBump(request) })
      const watching = bumpFeeJournaled({ store, jobId: job.id, step: 'send', replaces: original.hash, signed: bumped, endpoints: [anvil.rpcUrl], ...fast })
      // The replacement reached the pool; then it is lost and the original comes back and is mined.
      for (let i = 0; i < 200 && (await client.getTransaction({ hash: bumped.hash }).catch(() => null)) === null; i++) await new Promise((r) => setTimeout(r, 20))
      await client.request({ method: 'anvil_dropTransaction' as never, params: [bumped.hash] as never })
      await client.request({ method: 'eth_sendRawTransaction', params: [original.raw] })
      await client.request({ method: 'evm_mine' as never })
      expect(await watching).toMatchObject({ hash: original.hash, status: 'success' })
      const { state } = await store.load(job.id)
      expect(state.txs.map((t) => [t.hash, t.status])).toEqual([[original.hash, 'mined'], [bumped.hash, 'dropped']])
      expect(state.txs[1]!.droppedReason).toMatch(new RegExp(`not needed: nonce ${request.nonce} was used by ${original.hash}`))
      expect(await resumeJournaled({ store, jobId: job.id, step: 'send', endpoints: [anvil.rpcUrl], ...fast })).toMatchObject({ hash: original.hash })
      expect(await client.getTransactionCount({ address: original.from })).toBe(request.nonce + 1)
    } finally {
      await client.request({ method: 'evm_setAutomine' as never, params: [true] as never })
    }
  })
})
