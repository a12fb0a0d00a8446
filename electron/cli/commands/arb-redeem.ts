/**
 * `escape-hatch arb redeem`: redeem a stuck retryable ticket (its auto-redeem failed or never ran) while the sequencer
 * censors you, as the resumable 'arb-redeem' job (runRetryableRedeem): `ArbRetryableTx.redeem(ticketId)` signed for
 * L2, put in the L1 delayed inbox, forced in after the delay.
 *
 * Before any job exists it finds the ticket from checked L1 data (--ticket, or the L1 transaction that created it:
 * --tx), asks the untrusted L2 node where it stands, prints its expiry date and the keep-alive option, and refuses,
 * with the plain reason, a ticket already redeemed, expired (or cancelled), or never created. An unfinished redeem job
 * for the same ticket is continued, not duplicated. Long waits stop with the deadline and the exact `escape-hatch jobs
 * resume` command (--wait keeps polling). RPC URLs are stored in the job only with --save-rpc-urls.
 */
import { getAddress, isHash, type Hex } from 'viem'
import { RETRYABLE_LIFETIME_SECONDS } from '../../../shared/deadlines/arbitrumDeadlines'
import { EscapeError } from '../../../shared/errors/EscapeError'
import { parseUserAddress } from '../../../shared/ipc/escapeSchemas'
import type { ArbitrumNetwork } from '../../../shared/rollups/arbitrum-nitro/network'
import { normalizeDerivationPath } from '../../../shared/signing/derivationPaths'
import { connectArbitrumEndpoints } from '../../services/flows/arbitrum/connectArbitrumEndpoints'
import { continueArbitrumEscape } from '../../services/flows/arbitrum/continueArbitrumEscape'
import {
  RETRYABLE_REDEEM_JOB_KIND, retryableRedeemParamsSchema, retryableRedeemTitle, type RetryableRedeemParams,
} from '../../services/flows/arbitrum/retryable/redeemRetryableJob'
import { findTicket, runRetryableRedeem, type FoundTicket, type RetryableRedeemDeps } from '../../services/flows/arbitrum/retryable/runRetryableRedeem'
import { arbitrumJobSignerParams } from '../../services/jobs/jobSignerParams'
import { JOB_SIGNERS } from '../../services/jobs/openJobSigner'
import { JournalStore } from '../../services/journal/JournalStore'
import { endpointLabel } from '../../services/l1/endpointClients'
import { resolveNetwork } from '../../services/networks/resolveNetwork'
import { jobsDir } from '../../services/paths'
import { formatLocalAndUtc } from '../../services/reports/formatLocalAndUtc'
import { usageError, type Command } from '../command'
import { blockOption } from '../diagnosisOptions'
import { formatJobRun } from '../formatJobRun'
import { checkJobSignerForNetwork, defaultExportDir, exportDirOption, jobRunOptions, openJobSignerForRun, parseJobSigner, parsePollSeconds, resumeCommandFor, stringList } from '../jobOptions'
import { devnetChainIds, signerAccount } from '../openSigner'

const DEFAULT_PATH = "44'/60'/0'/0/0"

export const arbRedeemCommand: Command = {
  path: ['arb', 'redeem'],
  summary: 'Redeem a stuck retryable ticket through the L1 delayed inbox while the sequencer censors you (a resumable job).',
  description: [
    'Finds the ticket from L1 (--ticket ID, or --tx: the L1 transaction that created it), asks the L2 node (untrusted)',
    'whether it was redeemed and when it expires, and prints the expiry date and the keep-alive option',
    '(ArbRetryableTx.keepalive moves the expiry 7 days later; anyone may call it). A ticket already redeemed, expired or',
    'never created is refused with the reason. Then the job signs ArbRetryableTx.redeem(ticket) for the L2 chain (you pay',
    'only the gas; the ticket\'s call runs as its own sender), puts it in the L1 delayed inbox, and forces it in after',
    'the delay (≈ 1 day on Arbitrum One; read live from L1). It stops at each long wait with the deadline and the exact',
    '`escape-hatch jobs resume` command; --wait keeps it running. The redeem must land before the expiry: keep the',
    'ticket alive first if the delay would pass it. RPC URLs are stored in the job only with --save-rpc-urls.',
    'Signers: ledger (USB), file (air-gapped), soft-ledger and drill-key (drills and devnets only).',
  ].join('\n'),
  options: {
    network: { type: 'string', description: 'An Arbitrum network id (arbitrum-one, arbitrum-nova, arbitrum-sepolia, devnet-arbitrum while a devnet runs) or a network FILE.', valueName: 'ID|FILE' },
    ticket: { type: 'string', description: 'The ticket id (its L2 transaction hash; see `escape-hatch arb retryables`).', valueName: '0x…' },
    tx: { type: 'string', description: 'The L1 transaction that created the ticket (with --ticket when it created several).', valueName: '0x…' },
    'from-block': { type: 'string', description: 'With --ticket only: first L1 block to search for its creation (default: about 8 days back).', valueName: 'N' },
    gas: { type: 'string', description: 'Gas limit of the redeem (default: twice the ticket\'s gas limit plus the precompile\'s cost, at least 1M).', valueName: 'N' },
    signer: { type: 'string', description: `Who signs: ${JOB_SIGNERS.join(' | ')}.`, default: 'ledger', valueName: 'KIND' },
    path: { type: 'string', description: `Derivation path of the account that pays the redeem's gas (default ${DEFAULT_PATH}).`, valueName: 'PATH' },
    from: { type: 'string', description: 'That account\'s address (required with --signer file; otherwise checked against the signer).', valueName: '0x…' },
    'l2-nonce': { type: 'string', description: 'Use this L2 nonce instead of the one the (untrusted) L2 node reports.', valueName: 'N' },
    'save-rpc-urls': { type: 'boolean', description: 'Store the RPC URLs in the job (they may contain API keys) so `jobs resume` needs no --l1-rpc/--l2-rpc.' },
    'dry-run': { type: 'boolean', description: 'Find and check the ticket and print what would be done; create no job, sign nothing.' },
    ...jobRunOptions,
  },
  async run(ctx) {
    if (ctx.positionals.length > 0) usageError(`unexpected argument "${ctx.positionals[0]}"`)
    const o = ctx.options
    const networkArg = typeof o.network === 'string' ? o.network : usageError('--network is required')
    const ticketId = hashOption(o.ticket, '--ticket')
    const l1TxHash = hashOption(o.tx, '--tx')
    if (ticketId === undefined && l1TxHash === undefined) usageError('give --ticket ID or --tx HASH (the L1 transaction that created the ticket)')
    const fromBlock = blockOption(o['from-block'], '--from-block')
    if (fromBlock !== undefined && l1TxHash !== undefined) usageError('--from-block is for a search by --ticket alone; --tx names the block')
    const gas = o.gas === undefined ? undefined : typeof o.gas === 'string' && /^[1-9][0-9]{0,9}$/.test(o.gas) ? o.gas : usageError('--gas must be a positive integer')
    const l1Urls = stringList(o['l1-rpc']) ?? usageError('--l1-rpc URL is required (repeat it for several endpoints)')
    const l2Url = typeof o['l2-rpc'] === 'string' ? o['l2-rpc'] : usageError('--l2-rpc URL is required (the redeem is an L2 transaction: its nonce, fee and the ticket\'s state come from L2)')
    for (const u of [...l1Urls, l2Url]) if (!/^(https?|wss?):\/\//.test(u) || !URL.canParse(u)) usageError(`${endpointLabel(u)} is not an http(s) or ws(s) URL`)
    const kind = parseJobSigner(o.signer)
    let signerPath: string
    try {
      signerPath = normalizeDerivationPath(typeof o.path === 'string' ? o.path : DEFAULT_PATH)
    } catch (e) {
      usageError(`--path: ${(e as Error).message}`)
    }
    const fromText = typeof o.from === 'string' ? o.from : undefined
    if (fromText !== undefined) {
      const from = parseUserAddress(fromText)
      if (!from.ok) usageError(`--from: ${from.problem}`)
    }
    if (kind === 'file' && fromText === undefined) usageError('--signer file needs --from ADDRESS (the key is on the offline machine)')
    let l2Nonce: number | undefined
    if (o['l2-nonce'] !== undefined) {
      l2Nonce = Number(o['l2-nonce'])
      if (!Number.isSafeInteger(l2Nonce) || l2Nonce < 0) usageError('--l2-nonce must be a non-negative integer')
    }
    const pollMs = parsePollSeconds(o['poll-seconds'])
    const { arbitrum: network } = await resolveNetwork({ network: networkArg, dataDir: ctx.dataDir, stack: 'arbitrum-nitro' })
    checkJobSignerForNetwork(kind, network, o)
    const account = await signerAccount(ctx, kind, signerPath, fromText)

    ctx.progress(`Finding the ticket on ${network.name} (L1, checked) and asking the L2 node (untrusted) where it stands…`)
    const { l1, l2 } = await connectArbitrumEndpoints({ network, l1Urls, l2Url })
    const save = o['save-rpc-urls'] === true
    const exportDir = kind === 'file' ? (exportDirOption(ctx) ?? defaultExportDir(ctx)) : undefined
    const params: RetryableRedeemParams = retryableRedeemParamsSchema.parse({
      network: save ? network : { ...network, l2RpcUrl: undefined },
      account,
      signerPath,
      ...(ticketId ? { ticketId } : {}),
      ...(l1TxHash ? { l1TxHash } : {}),
      ...(fromBlock === undefined ? {} : { fromBlock: fromBlock.toString() }),
      ...(gas ? { gas } : {}),
      ...(save ? { l1Endpoints: l1Urls, l2RpcUrl: l2Url } : {}),
      rpcLabels: { l1: l1Urls.map(endpointLabel), l2: endpointLabel(l2Url) },
      ...(l2Nonce === undefined ? {} : { l2Nonce }),
      signer: {
        kind,
        ...(exportDir ? { exportDir } : {}),
        ...(kind === 'drill-key' && o['allow-any-chain'] !== true ? { devnetChainIds: devnetChainIds(o['devnet-chain-id']) } : {}),
      },
    })
    // The same finder as the job's first step: an expired or never-created ticket is refused here with its reason.
    const ticket = await findTicket(params, { l1, l2: l2 as RetryableRedeemDeps['l2'] }, `the L2 RPC ${endpointLabel(l2Url)}`, (_step, message) => ctx.progress(message))
    const about = describeTicket(ticket, network)
    if (ticket.stage === 'redeemed') {
      throw new EscapeError(`Ticket ${ticket.ticketId} was already redeemed (as the L2 node reports it): there is nothing to redeem.`, {
        kind: 'user-action',
        steps: ['Its call has run; see it with `escape-hatch arb retryables --tx ' + (ticket.l1TxHash ?? '<the L1 transaction>') + ' --l2-rpc URL`.', 'If you doubt the node, ask another L2 RPC (--l2-rpc).'],
        details: ticket.reportedByL2.join(' '),
      })
    }
    for (const line of about) ctx.progress(line)
    // The ticket is named by its id in the job, so a resume or a second command finds the same one.
    const jobParams: RetryableRedeemParams = { ...params, ticketId: ticket.ticketId }
    if (o['dry-run'] === true) {
      return {
        json: { outcome: 'dry-run', ticket: { ...ticket, expiresAt: ticket.expiresAt === null ? null : new Date(Number(ticket.expiresAt) * 1000).toISOString() }, account },
        text: [...about, `The redeem would be signed by ${account} (it pays only the L2 gas) and forced in through the L1 delayed inbox.`, '', 'Dry run: no job was created and nothing was signed.'].join('\n'),
      }
    }

    const store = await JournalStore.open(jobsDir(ctx.dataDir))
    try {
      const existing = await findActiveRedeem(store, network, ticket.ticketId)
      if (existing) {
        throw new EscapeError(`Job ${existing.id} already redeems ticket ${ticket.ticketId} on ${network.name}, and it is not finished.`, {
          kind: 'user-action',
          steps: [`Continue it instead: ${resumeCommandFor(existing.id, ctx, { saved: existing.saved })}`, 'Or abandon it first (`escape-hatch jobs abandon`); two redeems of one ticket pay gas twice and only one can succeed.'],
        })
      }
      const job = await store.createJob({ kind: RETRYABLE_REDEEM_JOB_KIND, title: retryableRedeemTitle(network, jobParams), params: JSON.parse(JSON.stringify(jobParams)) })
      ctx.progress(`Job ${job.id} created${save ? '' : ' (RPC URLs not saved: `jobs resume` will need them again)'}.`)
      const resumeCommand = (signedFile?: string) => resumeCommandFor(job.id, ctx, { signedFile, saved: save })
      const { signer, release } = await openJobSignerForRun(kind, ctx, { store, jobId: job.id, params: arbitrumJobSignerParams(jobParams), resumeCommand })
      let run
      try {
        run = await continueArbitrumEscape({
          store, jobId: job.id, l1Urls, l2Url, signer, wait: o.wait === true, pollMs, resumeCommand: resumeCommand(), signal: ctx.signal, onProgress: (m) => ctx.progress(m),
          // The progress callback only prints `[step] message`: the redeem's step names pass through it as they are (as in resumeJob).
          runner: (id, deps) => runRetryableRedeem(id, { ...deps, onProgress: deps.onProgress as RetryableRedeemDeps['onProgress'] }),
        })
      } finally {
        await release()
      }
      const state = (await store.load(job.id)).state
      return formatJobRun({
        jobId: job.id,
        job: state,
        outcome: run.outcome === 'finished' ? { finished: run.result } : { paused: run.pause },
        resumeCommand: resumeCommand(),
        head: about,
        json: { ticket: { ticketId: ticket.ticketId, stage: ticket.stage, expiresAt: ticket.expiresAt === null ? null : new Date(Number(ticket.expiresAt) * 1000).toISOString() } },
      })
    } finally {
      store.close()
    }
  },
}

function hashOption(value: unknown, name: string): Hex | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string' || !isHash(value)) usageError(`${name} must be a 32-byte 0x hash`)
  return value
}

/** The ticket in words: what it pays, where it stands, when it expires and how to keep it alive. */
function describeTicket(t: FoundTicket, network: ArbitrumNetwork): string[] {
  const s = t.submission
  const lines = [
    `Ticket ${t.ticketId} on ${network.name} (delayed message #${t.messageIndex}, L1 block ${t.l1Block}${t.l1TxHash ? `, L1 transaction ${t.l1TxHash}` : ''}):`,
    `  calls ${s.to ?? '(contract creation)'} with ${s.l2CallValue} wei (beneficiary ${s.callValueRefundAddress}), gas limit ${s.gasLimit}.`,
    `  Stage: ${t.stage}${t.stage === 'waiting-for-sequencing' ? ' — the sequencer has not read its message yet; forcing the redeem in forces the ticket\'s creation in first (the delayed inbox is in order)' : ''}.`,
  ]
  if (t.expiresAt !== null) {
    lines.push(`  Expires ${formatLocalAndUtc(new Date(Number(t.expiresAt) * 1000))} unless redeemed or kept alive (as the L2 node reports it).`)
  } else {
    lines.push(`  Expiry: not known without the L2 node's answer; a ticket lives ${RETRYABLE_LIFETIME_SECONDS / 86_400n} days from its creation unless kept alive.`)
  }
  lines.push(`  Keep-alive: ArbRetryableTx.keepalive(${t.ticketId}) moves the expiry ${RETRYABLE_LIFETIME_SECONDS / 86_400n} days later (anyone may call it; it costs a fee for the ticket's size). If the sequencer censors you, it too can go in through the delayed inbox.`)
  return lines
}

/** An unfinished 'arb-redeem' job for this ticket on this chain (read-only). */
async function findActiveRedeem(store: JournalStore, network: ArbitrumNetwork, ticketId: Hex): Promise<{ id: string; saved: boolean } | undefined> {
  const { jobs } = await store.list()
  for (const job of jobs) {
    if (job.kind !== RETRYABLE_REDEEM_JOB_KIND || job.status !== 'active') continue
    const parsed = retryableRedeemParamsSchema.safeParse((await store.load(job.id)).state.params)
    if (!parsed.success) continue
    const p = parsed.data
    if (p.network.l2ChainId !== network.l2ChainId || getAddress(p.network.contracts.inbox) !== getAddress(network.contracts.inbox)) continue
    if (p.ticketId?.toLowerCase() === ticketId.toLowerCase()) return { id: job.id, saved: p.l1Endpoints !== undefined && p.l2RpcUrl !== undefined }
  }
  return undefined
}
