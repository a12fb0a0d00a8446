/**
 * The OP escape with the air-gapped signer (the file signer Arbitrum jobs use): every L1 transaction of the job — the
 * forced-withdrawal deposit, the game it creates with its own output root (rebuild source; no proposer game exists),
 * the proof, the game's resolution and the finalization — is exported as an unsigned file, signed "offline" with
 * `escape-hatch sign-file` and the software key (nothing of the key on the job's side), and imported back with the
 * job's next run (`--signed`), which checks the signed file against the request before sending it. Each file is
 * decoded from its bytes on the offline side without --blind (the devnet network file names the contracts), the
 * job ends with the user's L1 balance up by the amount minus what the job paid, and no transaction is signed twice.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseEther, type Address, type Hex } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { toNetworkFile } from '../../../../shared/networks/networkFile'
import { parseUnsignedTxFile } from '../../../../shared/signing/buildUnsignedTxFile'
import { main } from '../../../cli/main'
import { DEVNET_ROLES } from '../../../devnet/devnet'
import { increaseTime, mine } from '../../../devnet/timeTravel'
import { opJobSignerParams } from '../../jobs/jobSignerParams'
import { openJobSigner } from '../../jobs/openJobSigner'
import { JobPausedError } from '../../journal/JobPausedError'
import { JournalStore } from '../../journal/JournalStore'
import { createNodeDecompressor } from '../../l1/createNodeDecompressor'
import { signedNameFor } from '../../signers/file/FileSigner'
import { createInProcessRebuildSource } from './createRebuildSource'
import type { OpEscapeResult, OpEscapeWaiters } from './opEscapeDeps'
import { createOpEscapeJob, opEscapeNetworkParam, type OpEscapeParams } from './opEscapeJob'
import { runOpEscape } from './runOpEscape'
import { devnetOpNetworkEntry, startOpEscapeDevnet, type OpEscapeDevnet } from './test-support/opEscapeDevnet'

let d: OpEscapeDevnet
const dir = mkdtempSync(join(tmpdir(), 'eh-op-airgap-'))
const account = DEVNET_ROLES.user3
const path = `44'/60'/0'/0/${account}`

beforeAll(async () => {
  d = await startOpEscapeDevnet()
}, 300_000)
afterAll(async () => {
  await d?.stop()
  rmSync(dir, { recursive: true, force: true })
})

/** Moves the devnet on: L1 blocks, the L2 chain and its batches (the proposer posts nothing: the job creates its game). */
async function advance(blocks: number | bigint): Promise<void> {
  await mine(d.anvil.rpcUrl, blocks, 12)
  await d.l2.tick()
  await d.batcher.flush()
}

const waiters: OpEscapeWaiters = {
  async waitForL1Block(block) {
    const head = await d.gateway.getBlockNumber()
    if (head < block) await advance(block - head)
  },
  async waitForL1Time(timestamp) {
    const head = await d.gateway.getBlock({})
    if (head.timestamp < timestamp) await increaseTime(d.anvil.rpcUrl, timestamp - head.timestamp)
    await advance(1)
  },
  pause: () => advance(1),
}

/**
 * What the user does on the offline machine: `escape-hatch sign-file` with the software key, the devnet's contracts
 * named. A call to a dispute game is refused unless --blind (the offline side cannot know the game's address): the
 * user reads the decoded call and signs it blind; every other call is signed without --blind.
 */
async function signOffline(unsigned: string, networkFile: string): Promise<{ signed: string; shown: string; blind: boolean }> {
  const signed = signedNameFor(unsigned)
  const signFile = async (...extra: string[]) => {
    let stderr = ''
    const argv = ['sign-file', unsigned, '--out', signed, '--signer', 'drill-key', '--devnet-chain-id', String(d.anvil.chainId), '--path', path, '--network', networkFile, ...extra]
    const code = await main(argv, { stdout: () => undefined, stderr: (t) => (stderr += t), env: { ESCAPE_HATCH_HOME: join(dir, 'offline-home') } }, new AbortController().signal)
    return { code, stderr }
  }
  const first = await signFile()
  if (first.code === 0) return { signed, shown: first.stderr, blind: false }
  expect(first.stderr).toMatch(/Function: FaultDisputeGame\.resolve(Claim)?\n/)
  const blind = await signFile('--blind')
  expect(blind.code, blind.stderr).toBe(0)
  return { signed, shown: blind.stderr, blind: true }
}

describe('OP escape with the air-gapped file signer', () => {
  it('exports each L1 transaction (deposit, create-game, prove, resolve, finalize), signs it offline and imports it; the job finishes', async () => {
    const user = d.anvil.accounts[account]!.address as Address
    const amount = parseEther('0.7')
    const networkFile = join(dir, 'devnet-op.json')
    writeFileSync(networkFile, JSON.stringify(toNetworkFile(devnetOpNetworkEntry(d), { pid: process.pid, startedAt: new Date().toISOString() })))
    const exportDir = join(dir, 'exports')
    const params: OpEscapeParams = {
      network: opEscapeNetworkParam(devnetOpNetworkEntry(d)),
      account: user,
      signerPath: path,
      destination: user,
      assets: [{ kind: 'eth', amountWei: amount.toString(), mintWei: amount.toString() }],
      source: { kind: 'rebuild', genesisPath: join(dir, 'unused-genesis.json') },
      l1Endpoints: [d.anvil.rpcUrl],
      signer: { kind: 'file', exportDir },
    }
    const store = await JournalStore.open(join(dir, 'jobs'))
    const before = await d.gateway.getBalance({ address: user })
    const rebuild = createInProcessRebuildSource({ stateDir: join(dir, 'state'), config: d.devnet.genesis.rollupConfig, genesis: d.devnet.genesis.genesis, l1: d.gateway.source, decompressor: createNodeDecompressor(), checkpointEvery: 50 })
    try {
      const jobId = await createOpEscapeJob(store, params)
      const exported: { file: string; step: string; functionName: string | undefined; to: Address; shown: string; blind: boolean }[] = []
      let signedFile: string | undefined
      let result: OpEscapeResult | undefined
      for (let run = 0; run < 16 && !result; run++) {
        const { signer, release } = await openJobSigner({
          kind: 'file', store, jobId, params: opJobSignerParams(params), defaultExportDir: exportDir, ...(signedFile ? { signedFile } : {}),
          resumeCommand: (s) => `escape-hatch jobs resume ${jobId}${s ? ` --signed ${s}` : ''}`,
        })
        try {
          result = await runOpEscape(jobId, { store, signer, l1: d.gateway, ...waiters, rebuild, broadcast: { pollIntervalMs: 50 } })
        } catch (e) {
          if (!(e instanceof JobPausedError) || e.reason !== 'signature') throw e
          const file = e.files[0]!
          expect(e.steps.at(-1)).toBe(`Then run: escape-hatch jobs resume ${jobId} --signed ${signedNameFor(file)}`)
          const { file: unsigned, request } = parseUnsignedTxFile(readFileSync(file, 'utf8'))
          expect(unsigned.from).toBe(user)
          // The key never was on this side: the file carries the request only.
          expect(readFileSync(file, 'utf8')).not.toMatch(/privateKey|mnemonic/i)
          const { signed, shown, blind } = await signOffline(file, networkFile)
          exported.push({ file, step: (await store.load(jobId)).state.steps.at(-1)?.name ?? '', functionName: shown.match(/Function: ([A-Za-z.]+)/)?.[1], to: request.to as Address, shown, blind })
          signedFile = signed
        } finally {
          await release()
        }
      }
      expect(result, 'the job did not finish in 16 runs').toBeDefined()
      expect(result!.game.createdByUs).toBe(true)
      const calls = exported.map((x) => x.functionName)
      expect(calls).toEqual(['OptimismPortal.depositTransaction', 'DisputeGameFactory.create', 'OptimismPortal.proveWithdrawalTransaction', 'FaultDisputeGame.resolveClaim', 'FaultDisputeGame.resolve', 'OptimismPortal.finalizeWithdrawalTransaction'])
      // Only the game's own calls are blind (its address is not in any registry); the rest are decoded and known.
      expect(exported.map((x) => x.blind)).toEqual([false, false, false, true, true, false])
      expect(exported[1]!.shown).toMatch(/Bond: 0\.08 ETH/)

      const { state } = await store.load(jobId)
      expect(state.status).toBe('succeeded')
      // Every export is journaled with its hash; every signed transaction was sent once.
      expect(state.files.map((f) => f.path)).toEqual(exported.map((x) => x.file))
      expect(new Set(state.txs.map((t) => t.hash)).size).toBe(exported.length)
      let spent = 0n
      for (const t of state.txs) {
        const r = await d.gateway.getTransactionReceipt({ hash: t.hash as Hex })
        const tx = await d.l1.public.getTransaction({ hash: t.hash as Hex })
        expect(r.status).toBe('success')
        spent += r.gasUsed * r.effectiveGasPrice + tx.value
      }
      // The bond of the game the job created comes back only when the game's bonds are claimed: it is part of `spent`.
      expect(await d.gateway.getBalance({ address: user })).toBe(before - spent + amount)
    } finally {
      store.close()
    }
  }, 600_000)
})
