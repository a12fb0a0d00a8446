/**
 * Test support: create and run an OP escape job in this process on the safety tests' devnet, with drill-like waiters
 * (block waits mine, time waits move L1 time, pauses mine one block so the devnet L2 timer moves), the software
 * Ledger behind a recording signer (what was asked to be signed, in order), and an `afterRecord` hook the test uses
 * to act on the chain at a journaled point (blacklist the game right after the proof, for instance).
 */
import type { Address } from 'viem'
import { EscapeError } from '../../../../../shared/errors/EscapeError'
import { optimismPortal2Abi } from '../../../../../contracts-abi/op-stack/OptimismPortal2'
import type { JournalEvent } from '../../../../../shared/journal/records'
import { JournalStore } from '../../../journal/JournalStore'
import type { BroadcastJournal } from '../../../journal/journalPort'
import { createSoftLedgerSigner } from '../../arbitrum/createSoftLedgerSigner'
import type { OpEscapeResult } from '../opEscapeDeps'
import { createOpEscapeJob, opEscapeNetworkParam } from '../opEscapeJob'
import { runOpEscape } from '../runOpEscape'
import { devnetL2NodeSource, devnetWaiters } from './devnetOpDeps'
import { devnetOpNetworkEntry, type OpEscapeDevnet } from './opEscapeDevnet'
import { recordingSigner, type SignedRequestRecord } from './recordingSigner'

export interface DevnetOpEscapeJob {
  jobId: string
  store: JournalStore
  /** Every request the job asked the signer to sign, across runs. */
  signed: SignedRequestRecord[]
  /** Runs (or resumes) the job to its end or its first failure that is not temporary (those are resumed, up to 5 times). */
  run(): Promise<OpEscapeResult>
  close(): Promise<void>
}

export async function createDevnetOpEscapeJob(p: {
  d: OpEscapeDevnet
  dir: string
  /** Index of the user's devnet account (DEVNET_ROLES). */
  account: number
  amount: bigint
  /** Called right after each journal record is on disk, before the job goes on. */
  afterRecord?: (event: JournalEvent, store: JournalStore, jobId: string) => Promise<void>
  /** OpEscapeDeps.proposerGoneAfterSeconds (a short one keeps the devnet's time jumps small). */
  proposerGoneAfterSeconds?: bigint
}): Promise<DevnetOpEscapeJob> {
  const { d } = p
  const user = d.anvil.accounts[p.account]!.address as Address
  const store = await JournalStore.open(p.dir)
  const jobId = await createOpEscapeJob(store, {
    network: opEscapeNetworkParam(devnetOpNetworkEntry(d)),
    account: user,
    signerPath: `44'/60'/0'/0/${p.account}`,
    destination: user,
    assets: [{ kind: 'eth', amountWei: p.amount.toString(), mintWei: p.amount.toString() }],
    source: { kind: 'l2-node' },
    l1Endpoints: [d.anvil.rpcUrl],
    l2RpcUrl: d.rpc.url,
    signer: { kind: 'soft-ledger' },
  })
  const ledger = createSoftLedgerSigner()
  const recording = recordingSigner(ledger.signer, optimismPortal2Abi)
  const journal: BroadcastJournal = {
    load: (id) => store.load(id),
    async append(id, event) {
      const record = await store.append(id, event)
      await p.afterRecord?.(event, store, id)
      return record
    },
  }
  const l1Url = d.anvil.rpcUrl
  return {
    jobId,
    store,
    signed: recording.requests as SignedRequestRecord[],
    async run() {
      for (let attempt = 1; ; attempt++) {
        try {
          return await runOnce()
        } catch (e) {
          if (!(e instanceof EscapeError && e.kind === 'temporary') || attempt >= 5) throw e
        }
      }
    },
    async close() {
      store.close()
      await ledger.stop()
    },
  }

  function runOnce(): Promise<OpEscapeResult> {
    return runOpEscape(jobId, {
      store: journal,
      signer: recording.signer,
      l1: d.gateway,
      l1Endpoints: [l1Url],
      l2: devnetL2NodeSource(d.rpc.url),
      ...devnetWaiters(l1Url, d.gateway),
      broadcast: { pollIntervalMs: 100 },
      maxPauses: 300,
      ...(p.proposerGoneAfterSeconds !== undefined ? { proposerGoneAfterSeconds: p.proposerGoneAfterSeconds } : {}),
    })
  }
}
