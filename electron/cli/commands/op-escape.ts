/**
 * `escape-hatch op escape`: get ETH and standard-bridge ERC-20s out of an OP Stack chain whose sequencer censors you
 * (or whose operator is gone), from L1 alone.
 *
 * The forced withdrawal is an L1 deposit through the OptimismPortal that calls the L2 message passer (ETH) or the L2
 * standard bridge (a token) from your own address; derivation must include it within the sequencing window whatever
 * the sequencer does. The output root the proof stands on comes from our own rebuild of the chain from L1 (--genesis:
 * no L2 node needed at all) or from an untrusted L2 node (--l2-rpc) whose every answer is checked against L1. The
 * journaled 'op-escape' job then proves against a game whose root claim we checked (or creates one with our own
 * root), waits out the game clock, proof maturity and the airgap, and finalizes. Long waits stop with the date and the
 * exact `escape-hatch jobs resume` command; --wait keeps polling. RPC URLs are stored only with --save-rpc-urls.
 */
import { getAddress, parseEther, parseUnits, type Address } from 'viem'
import { EscapeError } from '../../../shared/errors/EscapeError'
import { parseUserAddress } from '../../../shared/ipc/escapeSchemas'
import { DEVNET_NETWORK_IDS } from '../../../shared/networks/networkEntry'
import { MAX_NETWORK_FILE_BYTES, parseNetworkFile } from '../../../shared/networks/networkFile'
import { normalizeDerivationPath } from '../../../shared/signing/derivationPaths'
import { continueOpEscape } from '../../services/flows/op/continueOpEscape'
import { createOpEscapeJob, opEscapeNetworkParam, type OpEscapeAsset, type OpEscapeParams } from '../../services/flows/op/opEscapeJob'
import { opJobSignerParams } from '../../services/jobs/jobSignerParams'
import { JOB_SIGNERS } from '../../services/jobs/openJobSigner'
import { JournalStore } from '../../services/journal/JournalStore'
import { openL1Gateway } from '../../services/l1/openL1Gateway'
import { endpointLabel } from '../../services/l1/endpointClients'
import { devnetNetworkFile } from '../../services/networks/devnetNetworks'
import { readUserTextFile } from '../../services/files/readUserFile'
import { resolveNetwork } from '../../services/networks/resolveNetwork'
import { jobsDir } from '../../services/paths'
import { usageError, type Command } from '../command'
import { formatJobRun } from '../formatJobRun'
import { checkJobSignerForNetwork, defaultExportDir, exportDirOption, jobRunOptions, openJobSignerForRun, parseJobSigner, parsePollSeconds, resumeCommandFor, stringList } from '../jobOptions'
import { devnetChainIds, signerAccount } from '../openSigner'

const DEFAULT_PATH = "44'/60'/0'/0/0"
const decimalsAbi = [{ type: 'function', name: 'decimals', stateMutability: 'view', inputs: [], outputs: [{ type: 'uint8' }] }] as const

export const opEscapeCommand: Command = {
  path: ['op', 'escape'],
  summary: 'Get your ETH and tokens out of a censoring OP Stack chain via L1: forced withdrawal, proof, finalize (a resumable job).',
  description: [
    'Sends one L1 deposit per asset that makes your L2 address withdraw it (the sequencer cannot refuse a deposit for',
    'longer than the sequencing window), finds the withdrawal in the L2 state, checks a dispute game\'s root claim before',
    'trusting it (or creates a game with our own output root, bond explained), proves, resolves, waits out proof',
    'maturity and the airgap, and finalizes. The output root comes from --genesis (our own rebuild of the chain from',
    'L1 alone: works when the operator is gone) or --l2-rpc (an untrusted node, checked against L1). It stops at each',
    'long wait with its date and the exact `escape-hatch jobs resume` command; --wait keeps it running.',
    'Signers: ledger (USB), file (air-gapped: each L1 transaction — deposit, game creation, proof, resolution,',
    'finalization — is exported to sign with `escape-hatch sign-file` offline; needs --from), soft-ledger and drill-key',
    '(drills and devnets only; refused on networks settling on Ethereum mainnet). Base (no standard proofs since May 2026) is refused with what you can still do.',
  ].join('\n'),
  options: {
    network: { type: 'string', description: 'An OP Stack network id (op-mainnet, op-sepolia, devnet-op while a devnet runs; see `escape-hatch networks`) or a network FILE.', valueName: 'ID|FILE' },
    amount: { type: 'string', description: 'How much ETH to withdraw from your L2 balance, e.g. 1.5.', valueName: 'ETH' },
    token: { type: 'string', multiple: true, description: 'A standard-bridge token to withdraw: L1_TOKEN:L2_TOKEN:AMOUNT (AMOUNT in tokens; decimals read from L1). Repeat for several.', valueName: 'SPEC' },
    to: { type: 'string', description: 'Your L1 address that receives the assets (default: your account).', valueName: 'L1_ADDRESS' },
    genesis: { type: 'string', description: 'The chain\'s L2 genesis file: rebuild the chain from L1 alone (default for devnet-op: the devnet\'s).', valueName: 'FILE' },
    'state-dir': { type: 'string', description: 'Where the rebuilt state is kept (default: one folder per chain in the data folder).', valueName: 'DIR' },
    beacon: { type: 'string', description: 'A beacon node or blob archive URL for batches posted as blobs (checked against their versioned hashes).', valueName: 'URL' },
    signer: { type: 'string', description: `Who signs: ${JOB_SIGNERS.join(' | ')}.`, default: 'ledger', valueName: 'KIND' },
    path: { type: 'string', description: `Derivation path of your account (default ${DEFAULT_PATH}).`, valueName: 'PATH' },
    from: { type: 'string', description: 'Your account address (required with --signer file; otherwise checked against the signer).', valueName: '0x…' },
    'save-rpc-urls': { type: 'boolean', description: 'Store the RPC URLs in the job (they may contain API keys) so `jobs resume` needs no --l1-rpc/--l2-rpc.' },
    ...jobRunOptions,
  },
  async run(ctx) {
    if (ctx.positionals.length > 0) usageError(`unexpected argument "${ctx.positionals[0]}"`)
    const networkArg = typeof ctx.options.network === 'string' ? ctx.options.network : usageError('--network is required')
    const l1Urls = stringList(ctx.options['l1-rpc']) ?? usageError('--l1-rpc URL is required (repeat it for several endpoints)')
    const l2Url = typeof ctx.options['l2-rpc'] === 'string' ? ctx.options['l2-rpc'] : undefined
    const beaconUrl = typeof ctx.options.beacon === 'string' ? ctx.options.beacon : undefined
    for (const u of [...l1Urls, ...(l2Url ? [l2Url] : []), ...(beaconUrl ? [beaconUrl] : [])]) {
      if (!/^(https?|wss?):\/\//.test(u) || !URL.canParse(u)) usageError(`${endpointLabel(u)} is not an http(s) or ws(s) URL`)
    }
    const kind = parseJobSigner(ctx.options.signer)
    const fromText = typeof ctx.options.from === 'string' ? ctx.options.from : undefined
    let from: Address | undefined
    if (fromText !== undefined) {
      const parsed = parseUserAddress(fromText)
      if (!parsed.ok) usageError(`--from: ${parsed.problem}`)
      from = parsed.address
    }
    if (kind === 'file' && from === undefined) usageError('--signer file needs --from ADDRESS (the key is on the offline machine)')
    const ethAssets = parseEthAmount(ctx.options.amount)
    const tokenSpecs = stringList(ctx.options.token) ?? []
    if (ethAssets.length === 0 && tokenSpecs.length === 0) usageError('say what to take out: --amount ETH and/or --token L1_TOKEN:L2_TOKEN:AMOUNT')
    if (ethAssets.length + tokenSpecs.length > 8) usageError('at most 8 assets in one escape')
    let signerPath: string
    try {
      signerPath = normalizeDerivationPath(typeof ctx.options.path === 'string' ? ctx.options.path : DEFAULT_PATH)
    } catch (e) {
      usageError(`--path: ${(e as Error).message}`)
    }
    const network = await resolveNetwork({ network: networkArg, dataDir: ctx.dataDir, stack: 'op-stack' })
    checkJobSignerForNetwork(kind, network, ctx.options)
    const genesisPath = typeof ctx.options.genesis === 'string' ? ctx.options.genesis : network.id === DEVNET_NETWORK_IDS.op ? await devnetGenesis(ctx.dataDir) : undefined
    if (!genesisPath && !l2Url) usageError('give --genesis FILE (rebuild the chain from L1 alone) or --l2-rpc URL (an untrusted L2 node, checked against L1)')

    const account = await signerAccount(ctx, kind, signerPath, from)
    let destination: Address = account
    if (typeof ctx.options.to === 'string') {
      // The one rule for an address the user types (the app's wizard uses it too): a broken EIP-55 checksum is refused.
      const to = parseUserAddress(ctx.options.to)
      if (!to.ok) usageError(`--to: ${to.problem}`)
      destination = to.address
    }

    ctx.progress(`Checking ${network.name}'s L1…`)
    const l1 = await openL1Gateway({ urls: l1Urls, l1ChainId: network.l1ChainId, label: `${network.name}'s L1` })
    const tokens: OpEscapeAsset[] = []
    for (const spec of tokenSpecs) tokens.push(await parseTokenSpec(spec, (token) => l1.readContract({ address: token, abi: decimalsAbi, functionName: 'decimals' }) as Promise<number>))

    const save = ctx.options['save-rpc-urls'] === true
    const exportDir = kind === 'file' ? (exportDirOption(ctx) ?? defaultExportDir(ctx)) : undefined
    const params: OpEscapeParams = {
      network: opEscapeNetworkParam(network),
      account,
      signerPath,
      destination,
      assets: [...ethAssets, ...tokens],
      source: genesisPath
        ? { kind: 'rebuild', genesisPath, ...(typeof ctx.options['state-dir'] === 'string' ? { stateDir: ctx.options['state-dir'] } : {}) }
        : { kind: 'l2-node' },
      ...(save ? { l1Endpoints: l1Urls, ...(l2Url ? { l2RpcUrl: l2Url } : {}), ...(beaconUrl ? { beaconUrl } : {}) } : {}),
      rpcLabels: { l1: l1Urls.map(endpointLabel), ...(l2Url ? { l2: endpointLabel(l2Url) } : {}), ...(beaconUrl ? { beacon: endpointLabel(beaconUrl) } : {}) },
      signer: {
        kind,
        ...(exportDir ? { exportDir } : {}),
        ...(kind === 'drill-key' && ctx.options['allow-any-chain'] !== true ? { devnetChainIds: devnetChainIds(ctx.options['devnet-chain-id']) } : {}),
      },
    }
    const store = await JournalStore.open(jobsDir(ctx.dataDir))
    try {
      const jobId = await createOpEscapeJob(store, params)
      ctx.progress(`Job ${jobId} created${save ? '' : ' (RPC URLs not saved: `jobs resume` will need them again)'}.`)
      const resumeCommand = (signedFile?: string) => resumeCommandFor(jobId, ctx, { signedFile, saved: save })
      const { signer, release } = await openJobSignerForRun(kind, ctx, { store, jobId, params: opJobSignerParams(params), resumeCommand })
      let run
      try {
        run = await continueOpEscape({
          store, jobId, dataDir: ctx.dataDir, l1Urls, ...(l2Url ? { l2Url } : {}), ...(beaconUrl ? { beaconUrl } : {}),
          signer, wait: ctx.options.wait === true, pollMs: parsePollSeconds(ctx.options['poll-seconds']), resumeCommand: resumeCommand(), signal: ctx.signal, onProgress: (m) => ctx.progress(m),
        })
      } finally {
        await release()
      }
      const state = (await store.load(jobId)).state
      return formatJobRun({ jobId, job: state, outcome: run.outcome === 'finished' ? { finished: run.result } : { paused: run.pause }, resumeCommand: resumeCommand() })
    } finally {
      store.close()
    }
  },
}

function parseEthAmount(value: unknown): OpEscapeAsset[] {
  if (value === undefined) return []
  const text = typeof value === 'string' ? value : usageError('--amount takes a number of ETH, e.g. 1.5')
  if (!/^(0|[1-9][0-9]*)(\.[0-9]{1,18})?$/.test(text)) usageError('--amount must be a decimal number of ETH, e.g. 1.5')
  const wei = parseEther(text)
  if (wei <= 0n) usageError('--amount must be more than zero')
  return [{ kind: 'eth', amountWei: wei.toString() }]
}

/** L1_TOKEN:L2_TOKEN:AMOUNT, the amount in whole tokens with the decimals the L1 token reports (checked read). */
export async function parseTokenSpec(spec: string, readDecimals: (token: Address) => Promise<number>): Promise<OpEscapeAsset> {
  const parts = spec.split(':')
  if (parts.length !== 3) usageError(`--token ${spec}: expected L1_TOKEN:L2_TOKEN:AMOUNT`)
  const [l1Text, l2Text, amountText] = parts as [string, string, string]
  const l1 = parseUserAddress(l1Text)
  if (!l1.ok) usageError(`--token L1 token: ${l1.problem}`)
  const l2 = parseUserAddress(l2Text)
  if (!l2.ok) usageError(`--token L2 token: ${l2.problem}`)
  if (!/^(0|[1-9][0-9]*)(\.[0-9]+)?$/.test(amountText)) usageError(`--token ${spec}: the amount must be a decimal number of tokens, e.g. 250.5`)
  const decimals = await readDecimals(l1.address)
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 36) throw new EscapeError(`The L1 token ${l1.address} reports ${decimals} decimals, which Escape Hatch does not accept.`, { kind: 'user-action', steps: ['Check the token address.'] })
  if ((amountText.split('.')[1]?.length ?? 0) > decimals) usageError(`--token ${spec}: the token has ${decimals} decimals`)
  const amount = parseUnits(amountText, decimals)
  if (amount <= 0n) usageError(`--token ${spec}: the amount must be more than zero`)
  return { kind: 'erc20', l1Token: getAddress(l1.address), l2Token: getAddress(l2.address), amountWei: amount.toString() }
}

/** The running devnet's L2 genesis file (written by `devnet up` next to devnet-op's network file). */
async function devnetGenesis(dataDir: string): Promise<string | undefined> {
  const path = devnetNetworkFile(dataDir, DEVNET_NETWORK_IDS.op)
  const text = await readUserTextFile(path, { what: 'network file', maxBytes: MAX_NETWORK_FILE_BYTES })
  return parseNetworkFile(text, path).devnet?.opL2?.genesisJson
}
