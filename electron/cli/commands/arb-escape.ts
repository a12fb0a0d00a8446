/**
 * `escape-hatch arb escape`: get ETH out of an Arbitrum chain whose sequencer censors you, from L1 alone.
 *
 * Checks everything up front (contracts on L1, the L2 chain, the amount against the L2 balance the L2 node reports —
 * unverified —, the destination, the L1 fees against your L1 balance), shows the plan with the windows read live from
 * L1, then creates the journaled 'arb-escape' job and runs it: sign the L2 withdrawal (not broadcast), put it in the
 * L1 delayed inbox, and — when the next step needs a long wait (force inclusion ≈ 1 day, confirmation ≈ 6.4 days) —
 * stop with the deadline and the exact `escape-hatch jobs resume …` command. With --wait it keeps polling L1 instead
 * (Ctrl-C stops safely; the job resumes). Nothing secret is stored: RPC URLs only with --save-rpc-urls.
 */
import { erc20Abi, formatEther, formatUnits, getAddress, parseEther, parseUnits, type Address, type PublicClient } from 'viem'
import { parseUserAddress } from '../../../shared/ipc/escapeSchemas'
import { normalizeDerivationPath } from '../../../shared/signing/derivationPaths'
import { EscapeError } from '../../../shared/errors/EscapeError'
import { endpointLabel } from '../../services/l1/endpointClients'
import { ARBITRUM_ESCAPE_JOB_KIND, arbitrumEscapeTitle, toJobParams, type ArbitrumEscapeParams } from '../../services/flows/arbitrum/arbitrumEscapeJob'
import { connectArbitrumEndpoints } from '../../services/flows/arbitrum/connectArbitrumEndpoints'
import { continueArbitrumEscape } from '../../services/flows/arbitrum/continueArbitrumEscape'
import { describePlan, planArbitrumEscape } from '../../services/flows/arbitrum/planArbitrumEscape'
import { findActiveEscapeJobs, type FindActiveEscapeJobsParameters, type FindActiveEscapeJobsReturnType } from '../../services/flows/arbitrum/findActiveEscapeJobs'
import { JournalStore } from '../../services/journal/JournalStore'
import { resolveNetwork } from '../../services/networks/resolveNetwork'
import { jobsDir } from '../../services/paths'
import { JOB_SIGNERS } from '../../services/jobs/openJobSigner'
import { arbitrumJobSignerParams } from '../../services/jobs/jobSignerParams'
import { usageError, type Command } from '../command'
import { formatJobRun } from '../formatJobRun'
import { checkJobSignerForNetwork, defaultExportDir, exportDirOption, jobRunOptions, openJobSignerForRun, parseJobSigner, parsePollSeconds, resumeCommandFor, stringList } from '../jobOptions'
import { devnetChainIds, signerAccount } from '../openSigner'

const DEFAULT_PATH = "44'/60'/0'/0/0"

export const arbEscapeCommand: Command = {
  path: ['arb', 'escape'],
  summary: 'Get your ETH and tokens out of a censoring Arbitrum chain via L1: plan, sign, force inclusion, prove, withdraw (a resumable job).',
  description: [
    'Checks everything first and prints the plan (the transactions you will sign and when, the force-inclusion delay',
    'and confirm period read live from L1, the L1 fees), then starts the job. It stops at each long wait with the',
    'deadline (L1 block, estimated UTC time) and the exact `escape-hatch jobs resume` command; --wait keeps it running.',
    'The L2 RPC is untrusted: the L2 balance and nonce it reports are unverified; the withdrawal is proven against the',
    'send root confirmed on L1 before anything is paid out. RPC URLs may hold API keys: they are stored in the job only',
    'with --save-rpc-urls (otherwise `jobs resume` asks for them again).',
    'Tokens (--token L1_TOKEN:AMOUNT, repeatable) leave through the chain\'s token gateways: the gateway is found on L1',
    'through the chain\'s L1GatewayRouter, never assumed; each token is its own L2 withdrawal, proof and L1 execution in',
    'the same job as the ETH, and the withdrawal is checked to release exactly your token and amount before it is executed.',
    'Signers: ledger (USB), file (air-gapped: exports each transaction to sign with `escape-hatch sign-file` offline),',
    'soft-ledger and drill-key (drills and devnets only; refused on networks settling on Ethereum mainnet).',
  ].join('\n'),
  options: {
    network: { type: 'string', description: 'An Arbitrum network id (arbitrum-one, arbitrum-nova, arbitrum-sepolia, devnet-arbitrum while a devnet runs; see `escape-hatch networks`) or an Orbit chain config FILE.', valueName: 'ID|FILE' },
    amount: { type: 'string', description: 'How much ETH to withdraw, e.g. 1.5 (optional with --token).', valueName: 'ETH' },
    token: { type: 'string', multiple: true, description: 'An ERC-20 to withdraw through the token gateways: L1_TOKEN:AMOUNT (AMOUNT in tokens; decimals read from L1). Repeat for several.', valueName: 'SPEC' },
    to: { type: 'string', description: 'Your L1 address that receives the ETH.', valueName: 'L1_ADDRESS' },
    signer: { type: 'string', description: `Who signs: ${JOB_SIGNERS.join(' | ')}.`, default: 'ledger', valueName: 'KIND' },
    path: { type: 'string', description: `Derivation path of your account (default ${DEFAULT_PATH}).`, valueName: 'PATH' },
    from: { type: 'string', description: 'Your account address (required with --signer file; otherwise checked against the signer).', valueName: '0x…' },
    'l2-nonce': { type: 'string', description: 'Use this L2 nonce instead of the one the (untrusted) L2 node reports.', valueName: 'N' },
    'save-rpc-urls': { type: 'boolean', description: 'Store the RPC URLs in the job (they may contain API keys) so `jobs resume` needs no --l1-rpc/--l2-rpc.' },
    'dry-run': { type: 'boolean', description: 'Check everything and print the plan; create no job, sign nothing.' },
    'new-job': { type: 'boolean', description: 'Start a new job even though an unfinished one already takes out the same amount from the same account to the same address (a second L2 withdrawal, with its own L1 fees).' },
    ...jobRunOptions,
  },
  async run(ctx) {
    if (ctx.positionals.length > 0) usageError(`unexpected argument "${ctx.positionals[0]}"`)
    const networkArg = typeof ctx.options.network === 'string' ? ctx.options.network : usageError('--network is required')
    const l1Urls = stringList(ctx.options['l1-rpc']) ?? usageError('--l1-rpc URL is required (repeat it for several endpoints)')
    const l2Url = typeof ctx.options['l2-rpc'] === 'string' ? ctx.options['l2-rpc'] : usageError('--l2-rpc URL is required')
    for (const u of [...l1Urls, l2Url]) if (!/^(https?|wss?):\/\//.test(u) || !URL.canParse(u)) usageError(`${endpointLabel(u)} is not an http(s) or ws(s) URL`)
    const tokenSpecs = stringList(ctx.options.token) ?? []
    if (tokenSpecs.length > 8) usageError('at most 8 tokens in one escape')
    const amountText = typeof ctx.options.amount === 'string' ? ctx.options.amount : tokenSpecs.length > 0 ? undefined : usageError('say what to take out: --amount ETH and/or --token L1_TOKEN:AMOUNT')
    let amountWei = 0n
    if (amountText !== undefined) {
      if (!/^(0|[1-9][0-9]*)(\.[0-9]{1,18})?$/.test(amountText)) usageError('--amount must be a decimal number of ETH, e.g. 1.5')
      amountWei = parseEther(amountText)
      if (amountWei <= 0n) usageError('--amount must be more than zero')
    }
    const tokenArgs = tokenSpecs.map(parseArbTokenSpec)
    const toText = typeof ctx.options.to === 'string' ? ctx.options.to : usageError('--to L1_ADDRESS is required')
    // The one rule for an address the user types (the app's wizard uses it too): a broken EIP-55 checksum is refused.
    const to = parseUserAddress(toText)
    if (!to.ok) usageError(`--to: ${to.problem}`)
    const destination = to.address
    const kind = parseJobSigner(ctx.options.signer)
    let signerPath: string
    try {
      signerPath = normalizeDerivationPath(typeof ctx.options.path === 'string' ? ctx.options.path : DEFAULT_PATH)
    } catch (e) {
      usageError(`--path: ${(e as Error).message}`)
    }
    const fromText = typeof ctx.options.from === 'string' ? ctx.options.from : undefined
    if (fromText !== undefined) {
      const from = parseUserAddress(fromText)
      if (!from.ok) usageError(`--from: ${from.problem}`)
    }
    if (kind === 'file' && fromText === undefined) usageError('--signer file needs --from ADDRESS (the key is on the offline machine)')
    let l2Nonce: number | undefined
    if (ctx.options['l2-nonce'] !== undefined) {
      l2Nonce = Number(ctx.options['l2-nonce'])
      if (!Number.isSafeInteger(l2Nonce) || l2Nonce < 0) usageError('--l2-nonce must be a non-negative integer')
    }
    const pollMs = parsePollSeconds(ctx.options['poll-seconds'])
    const { arbitrum: network } = await resolveNetwork({ network: networkArg, dataDir: ctx.dataDir, stack: 'arbitrum-nitro' })
    checkJobSignerForNetwork(kind, network, ctx.options)

    const account = await signerAccount(ctx, kind, signerPath, fromText)

    // One escape per withdrawal: an unfinished job for the same one is resumed, not duplicated (issue 14).
    // Tokens need L1 first (their decimals); an ETH-only escape asks no network before the duplicate check below.
    let connected: Awaited<ReturnType<typeof connectArbitrumEndpoints>> | undefined
    const connect = async () => {
      if (!connected) {
        ctx.progress(`Checking ${network.name} on L1 and the L2 node…`)
        connected = await connectArbitrumEndpoints({ network, l1Urls, l2Url })
      }
      return connected
    }
    const tokens: NonNullable<ArbitrumEscapeParams['tokens']> = []
    for (const t of tokenArgs) tokens.push(await readTokenAmount(t, (await connect()).l1))
    const what = [...(amountWei > 0n ? [`${formatEther(amountWei)} ETH`] : []), ...tokens.map((t) => `${formatUnits(BigInt(t.amount), t.decimals)} ${t.symbol ?? t.l1Token}`)].join(' and ')

    const existing = await findExistingEscapes({ dataDir: ctx.dataDir, network, account, destination, amountWei, tokens })
    const duplicate = existing.same[0]
    if (duplicate && ctx.options['new-job'] !== true) {
      const line = `Job ${duplicate.job.id} already takes ${what} from ${account} out of ${network.name} to ${destination}, and it is not finished.`
      if (ctx.options['dry-run'] !== true) {
        const saved = duplicate.params.l1Endpoints !== undefined && duplicate.params.l2RpcUrl !== undefined
        throw new EscapeError(line, {
          kind: 'user-action',
          steps: [
            duplicate.damaged
              ? `Its journal is damaged: look at it with \`escape-hatch jobs show ${duplicate.job.id}\` and contact support before starting another escape.`
              : `Continue it instead: ${resumeCommandFor(duplicate.job.id, ctx, { saved })}`,
            'To start a second, separate escape anyway (a second L2 withdrawal, with its own L1 transactions and fees), add --new-job.',
          ],
        })
      }
      ctx.progress(`! ${line} A real run refuses to start another; continue it with \`escape-hatch jobs resume ${duplicate.job.id}\`.`)
    }
    for (const other of existing.sameAccount) {
      ctx.progress(`! Job ${other.job.id} (another unfinished escape of ${account} on ${network.name}) may sign the same L2 nonce: ArbOS executes only one of two withdrawals with one nonce. Finish or abandon it first, or give --l2-nonce.`)
    }

    const { l1, l2 } = await connect()
    const plan = await planArbitrumEscape({ l1, l2, network, account, destination, amountWei, tokens, l2Nonce })
    const planLines = describePlan(plan)
    for (const line of planLines) ctx.progress(line)
    if (ctx.options['dry-run'] === true) {
      return { json: { outcome: 'dry-run', plan }, text: [...planLines, '', 'Dry run: no job was created and nothing was signed.'].join('\n') }
    }

    const save = ctx.options['save-rpc-urls'] === true
    const exportDir = kind === 'file' ? (exportDirOption(ctx) ?? defaultExportDir(ctx)) : undefined
    const params: ArbitrumEscapeParams = {
      network: save ? network : { ...network, l2RpcUrl: undefined },
      account,
      signerPath,
      destination,
      amountWei: amountWei.toString(),
      ...(tokens.length > 0 ? { tokens } : {}),
      ...(save ? { l1Endpoints: l1Urls, l2RpcUrl: l2Url } : {}),
      rpcLabels: { l1: l1Urls.map(endpointLabel), l2: endpointLabel(l2Url) },
      ...(l2Nonce === undefined ? {} : { l2Nonce }),
      signer: {
        kind,
        ...(exportDir ? { exportDir } : {}),
        ...(kind === 'drill-key' && ctx.options['allow-any-chain'] !== true ? { devnetChainIds: devnetChainIds(ctx.options['devnet-chain-id']) } : {}),
      },
    }
    const store = await JournalStore.open(jobsDir(ctx.dataDir))
    try {
      const job = await store.createJob({ kind: ARBITRUM_ESCAPE_JOB_KIND, title: arbitrumEscapeTitle(network, params.amountWei, params.tokens), params: toJobParams(params) })
      ctx.progress(`Job ${job.id} created${save ? '' : ' (RPC URLs not saved: `jobs resume` will need them again)'}.`)
      const resumeCommand = (signedFile?: string) => resumeCommandFor(job.id, ctx, { signedFile, saved: save })
      const { signer, release } = await openJobSignerForRun(kind, ctx, { store, jobId: job.id, params: arbitrumJobSignerParams(params), resumeCommand })
      let run
      try {
        run = await continueArbitrumEscape({ store, jobId: job.id, l1Urls, l2Url, signer, wait: ctx.options.wait === true, pollMs, resumeCommand: resumeCommand(), signal: ctx.signal, onProgress: (m) => ctx.progress(m) })
      } finally {
        await release()
      }
      const state = (await store.load(job.id)).state
      return formatJobRun({
        jobId: job.id,
        job: state,
        outcome: run.outcome === 'finished' ? { finished: run.result } : { paused: run.pause },
        resumeCommand: resumeCommand(),
        json: { plan },
      })
    } finally {
      store.close()
    }
  },
}


/** The unfinished escapes of this account on this chain (read-only: no lock is taken, nothing is written). */
async function findExistingEscapes(p: Omit<FindActiveEscapeJobsParameters, 'store'> & { dataDir: string }): Promise<FindActiveEscapeJobsReturnType> {
  const store = await JournalStore.open(jobsDir(p.dataDir))
  try {
    return await findActiveEscapeJobs({ ...p, store })
  } finally {
    store.close()
  }
}

/** L1_TOKEN:AMOUNT as typed (the amount is scaled once the token's decimals are read from L1). */
export function parseArbTokenSpec(spec: string): { l1Token: Address; amountText: string } {
  const parts = spec.split(':')
  if (parts.length !== 2) usageError(`--token ${spec}: expected L1_TOKEN:AMOUNT`)
  const [tokenText, amountText] = parts as [string, string]
  const token = parseUserAddress(tokenText)
  if (!token.ok) usageError(`--token: ${token.problem}`)
  if (!/^(0|[1-9][0-9]*)(\.[0-9]+)?$/.test(amountText)) usageError(`--token ${spec}: the amount must be a decimal number of tokens, e.g. 250.5`)
  return { l1Token: getAddress(token.address), amountText }
}

/** The amount in the token's smallest unit, with the decimals (and symbol, for display) the L1 token reports. */
async function readTokenAmount(t: { l1Token: Address; amountText: string }, l1: Pick<PublicClient, 'readContract'>): Promise<NonNullable<ArbitrumEscapeParams['tokens']>[number]> {
  const read = (functionName: 'decimals' | 'symbol'): Promise<unknown> => l1.readContract({ address: t.l1Token, abi: erc20Abi, functionName })
  let decimals: unknown
  try {
    decimals = await read('decimals')
  } catch (cause) {
    throw new EscapeError(`${t.l1Token} does not answer decimals() on L1: it is not an ERC-20 token there.`, { kind: 'user-action', steps: ['Give the token’s L1 address (not its L2 address).'], cause })
  }
  if (typeof decimals !== 'number' || !Number.isInteger(decimals) || decimals < 0 || decimals > 36) {
    throw new EscapeError(`The L1 token ${t.l1Token} reports ${String(decimals)} decimals, which Escape Hatch does not accept.`, { kind: 'user-action', steps: ['Check the token address.'] })
  }
  if ((t.amountText.split('.')[1]?.length ?? 0) > decimals) usageError(`--token ${t.l1Token}:${t.amountText}: the token has ${decimals} decimals`)
  const amount = parseUnits(t.amountText, decimals)
  if (amount <= 0n) usageError(`--token ${t.l1Token}:${t.amountText}: the amount must be more than zero`)
  const symbol = await read('symbol').catch(() => undefined)
  const shown = typeof symbol === 'string' && /^[\x20-\x7e]{1,32}$/.test(symbol) ? symbol : undefined
  return { l1Token: t.l1Token, amount: amount.toString(), decimals, ...(shown ? { symbol: shown } : {}) }
}
