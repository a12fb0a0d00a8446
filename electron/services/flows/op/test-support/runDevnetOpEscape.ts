/**
 * Test support: create and run an OP escape job in this process on the safety tests' devnet, with drill-like waiters
 * (block waits mine, time waits move L1 time, pauses mine one block so the devnet L2 timer moves), the software
 * Ledger behind a recording signer (what was asked to be signed, in order), and an `afterRecord` hook the test uses
 * to act on the chain at a journaled point (blacklist the game right after the proof, for instance).
 */
import type { Address, Hex } from 'viem'
import { EscapeError } from '../../../../../shared/errors/EscapeError'
import { optimismPortal2Abi } from '../../../../../contracts-abi/op-stack/OptimismPortal2'
import type { JournalEvent } from '../../../../../shared/journal/records'
import { JournalStore } from '../../../journal/JournalStore'
import type { BroadcastJournal } from '../../../journal/journalPort'
import { createSoftLedgerSigner } from '../../arbitrum/createSoftLedgerSigner'
import type { OpEscapeResult } from '../opEscapeDeps'
import { createOpEscapeJob, opEscapeNetworkParam, type OpEscapeParams } from '../opEscapeJob'
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

/**
 * An ETH escape of a devnet account through the devnet's untrusted L2 node, signed with the software Ledger: the
 * deposit mints the amount on L2 and withdraws it, so the user needs no L2 balance beforehand.
 */
export function devnetOpEscapeParams(d: OpEscapeDevnet, account: number, amount: bigint): OpEscapeParams {
  const user = d.anvil.accounts[account]!.address as Address
  return {
    network: opEscapeNetworkParam(devnetOpNetworkEntry(d)),
    account: user,
    signerPath: `44'/60'/0'/0/${account}`,
    destination: user,
    assets: [{ kind: 'eth', amountWei: amount.toString(), mintWei: amount.toString() }],
    source: { kind: 'l2-node' },
    l1Endpoints: [d.anvil.rpcUrl],
    l2RpcUrl: d.rpc.url,
    signer: { kind: 'soft-ledger' },
  }
}

/** What the job's L1 transactions cost the user: the value they sent and their fees. */
export async function jobL1Spend(d: OpEscapeDevnet, txs: readonly { hash: Hex }[]): Promise<bigint> {
  let spent = 0n
  for (const t of txs) {
    const r = await d.gateway.getTransactionReceipt({ hash: t.hash })
    const tx = await d.l1.public.getTransaction({ hash: t.hash })
    spent += r.gasUsed * r.effectiveGasPrice + tx.value
  }
  return spent
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
  const store = await JournalStore.open(p.dir)
  const jobId = await createOpEscapeJob(store, devnetOpEscapeParams(d, p.account, p.amount))
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
