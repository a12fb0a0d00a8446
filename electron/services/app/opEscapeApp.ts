/**
 * The desktop app's OP Stack escape (the 'op-escape' job the CLI's `op escape` creates): what the wizard needs that
 * the Arbitrum escape does not — where the output root comes from (our own rebuild from L1 with a genesis file, or an
 * untrusted L2 node), several assets (ETH and standard-bridge ERC-20s), and a cost preview for the OP windows
 * (deposit now, prove, resolve, finalize, and the dispute game's bond when the job may create a game). The job itself
 * runs on the same engine as the CLI (createOpEscapeJob, continueOpEscape / resumeJob); createEscapeService drives it.
 *
 * Nothing here trusts the L2 node: its balances are shown as unverified, and the escape checks everything it uses
 * against L1 before anything is signed.
 */
import { erc20Abi, formatEther, formatGwei, formatUnits, getAddress, parseEther, parseUnits, zeroAddress, type Address, type PublicClient } from 'viem'
import { EscapeError } from '../../../shared/errors/EscapeError'
import type { EscapePreviewView, OpSourceRequest, OpTokenRequest, OpTokenView, PreviewEscapeRequest } from '../../../shared/ipc/escapeSchemas'
import { DEVNET_NETWORK_IDS, type NetworkEntry, type OpStackNetworkEntry } from '../../../shared/networks/networkEntry'
import { MAX_NETWORK_FILE_BYTES, parseNetworkFile } from '../../../shared/networks/networkFile'
import { formatDuration } from '../../../shared/deadlines/countdown'
import { l1BlockDate } from '../../../shared/deadlines/l1BlockDate'
import { readL1Clock } from '../../../shared/deadlines/readL1Clock'
import { readCreateGamePlan, type CreateGamePlan } from '../../../shared/rollups/op-stack/withdraw/buildCreateGameTx'
import { buildForcedErc20WithdrawalTxs, buildForcedEthWithdrawalTx } from '../../../shared/rollups/op-stack/withdraw/buildForcedWithdrawalTx'
import { readPortalSetup } from '../../../shared/rollups/op-stack/withdraw/readPortalSetup'
import type { L1Call } from '../../../shared/signing/l1Call'
import { L1_PRIORITY_FEE } from '../broadcast/prepareL1Request'
import { readUserTextFile } from '../files/readUserFile'
import type { L1Gateway } from '../l1/openL1Gateway'
import { openL1Gateway } from '../l1/openL1Gateway'
import { endpointLabel } from '../l1/endpointClients'
import { openUntrustedL2Client } from '../l1/openUntrustedL2Client'
import { devnetNetworkFile } from '../networks/devnetNetworks'
import type { OpEscapeAsset, OpEscapeSource } from '../flows/op/opEscapeJob'
import { l1ChainName } from './networkOptions'

/** Typical L1 gas of the later OP transactions (measured on the devnet's real contracts, rounded up): priced at today's fee. */
export const OP_PROVE_GAS_ESTIMATE = 500_000n
export const OP_CREATE_GAME_GAS_ESTIMATE = 450_000n
export const OP_RESOLVE_GAS_ESTIMATE = 200_000n
export const OP_FINALIZE_GAS_ESTIMATE = 300_000n

/** What the wizard's sources mean, in one line each (the screen says the same). */
export const OP_SOURCE_SAYS = {
  rebuild: 'The app rebuilds the chain from L1 alone (the genesis file + every batch and deposit posted on L1) and computes the output root itself: nothing from the L2 operator is trusted.',
  'l2-node': 'An L2 node you name gives the withdrawal’s proof; it is trusted for nothing: its block and proofs are checked against a dispute game’s root claim on L1 before anything is signed.',
} as const

/** The network as an OP Stack chain the app can escape from, or a plain refusal (Base: not supported for proving). */
export function opEscapeNetwork(entry: NetworkEntry): OpStackNetworkEntry {
  if (entry.stack !== 'op-stack') throw new EscapeError(`${entry.name} is not an OP Stack chain.`, { kind: 'critical' })
  const withdrawals = entry.support.find((f) => f.topic === 'withdrawals')
  if (withdrawals?.level === 'unsupported') {
    throw new EscapeError(`Escape Hatch cannot take funds out of ${entry.name}: ${withdrawals.says}`, {
      kind: 'user-action',
      steps: ['Nothing was signed. Forced inclusion through the portal still works there, but this app could not prove the withdrawal afterwards: use the chain’s own withdrawal tools, and the Diagnosis screen to follow it.'],
    })
  }
  return entry
}

/** The running devnet's OP L2 files (written by `devnet up` into devnet-op's network file). */
async function devnetOpL2(dataDir: string): Promise<{ genesisJson: string; rpcUrl: string } | undefined> {
  const path = devnetNetworkFile(dataDir, DEVNET_NETWORK_IDS.op)
  const text = await readUserTextFile(path, { what: 'network file', maxBytes: MAX_NETWORK_FILE_BYTES })
  return parseNetworkFile(text, path).devnet?.opL2
}

/** Where the job's output root comes from: the wizard's choice, with the devnet's own genesis as the default there. */
export async function resolveOpSource(entry: OpStackNetworkEntry, chosen: OpSourceRequest | undefined, l2Url: string | undefined, dataDir: string): Promise<OpEscapeSource> {
  const kind = chosen?.kind ?? 'rebuild'
  if (kind === 'l2-node') {
    if (!l2Url) throw new EscapeError('You chose to read the withdrawal’s proof from an L2 node, but gave none.', { kind: 'user-action', steps: ['Add the L2 node address under Connections (any node of the chain: it is not trusted), or choose “Rebuild from L1”.'] })
    return { kind: 'l2-node' }
  }
  const given = chosen?.kind === 'rebuild' ? chosen.genesisFile?.trim() : undefined
  const genesisPath = given || (entry.id === DEVNET_NETWORK_IDS.op ? (await devnetOpL2(dataDir))?.genesisJson : undefined)
  if (!genesisPath) {
    throw new EscapeError(`Rebuilding ${entry.name} from L1 needs its L2 genesis file.`, {
      kind: 'user-action',
      steps: ['Give the path of the chain’s genesis.json (from the chain’s operator or its published config), or choose “An L2 node” as the source.'],
    })
  }
  return { kind: 'rebuild', genesisPath }
}

/** The L1 gateway over the user's endpoints, on the network's L1 chain. */
export function connectOpL1(entry: OpStackNetworkEntry, l1Urls: readonly string[]): Promise<L1Gateway> {
  return openL1Gateway({ urls: l1Urls, l1ChainId: entry.l1ChainId, label: `${entry.name}'s L1` })
}

/** The untrusted L2 node (balances shown as reported), when one was given. */
export function connectOpL2(entry: OpStackNetworkEntry, l2Url: string | undefined): Promise<PublicClient | undefined> {
  return l2Url ? openUntrustedL2Client(l2Url, entry.l2ChainId) : Promise.resolve(undefined)
}

const symbolAbi = [{ type: 'function', name: 'symbol', stateMutability: 'view', inputs: [], outputs: [{ type: 'string' }] }] as const

/** A token's symbol for people: letters, digits and a few signs, at most 20 (a token names itself: untrusted text). */
function cleanSymbol(raw: unknown): string {
  const s = typeof raw === 'string' ? raw.replace(/[^A-Za-z0-9.\-_ ]/g, '').trim().slice(0, 20) : ''
  return s || 'token'
}

/** A standard-bridge token pair: symbol and decimals read from L1, the account's L1 balance, and its L2 balance as the L2 node reports it. */
export async function readOpToken(p: { l1: L1Gateway; l2: PublicClient | undefined; account: Address; l1Token: Address; l2Token: Address }): Promise<OpTokenView> {
  const at = (await p.l1.pinBlock()).number
  let decimals: number
  let symbol: string
  let l1Balance: bigint
  try {
    const [d, s, b] = await Promise.all([
      p.l1.readContract({ address: p.l1Token, abi: erc20Abi, functionName: 'decimals', blockNumber: at }),
      p.l1.readContract({ address: p.l1Token, abi: symbolAbi, functionName: 'symbol', blockNumber: at }).catch(() => ''),
      p.l1.readContract({ address: p.l1Token, abi: erc20Abi, functionName: 'balanceOf', args: [p.account], blockNumber: at }),
    ])
    decimals = Number(d)
    symbol = cleanSymbol(s)
    l1Balance = b
  } catch (cause) {
    throw new EscapeError(`${p.l1Token} does not answer as an ERC-20 token on L1.`, { kind: 'user-action', cause, steps: ['Check the L1 token address (the token as it exists on Ethereum, not its L2 copy).'] })
  }
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 36) throw new EscapeError(`The L1 token ${p.l1Token} reports ${decimals} decimals, which Escape Hatch does not accept.`, { kind: 'user-action', steps: ['Check the token address.'] })
  let l2Balance: bigint | undefined
  let l2Note = 'No L2 node: the L2 balance is unknown.'
  if (p.l2) {
    try {
      l2Balance = await p.l2.readContract({ address: p.l2Token, abi: erc20Abi, functionName: 'balanceOf', args: [p.account] })
      l2Note = 'The L2 balance is what the L2 node reports (unverified).'
    } catch (cause) {
      // A node without eth_call (the devnet's, some archive proxies) cannot tell: say so rather than guess.
      if (!/does not exist|not available|not supported|method not found/i.test(cause instanceof Error ? cause.message : String(cause))) {
        throw new EscapeError(`${p.l2Token} does not answer as an ERC-20 token on the L2 node.`, { kind: 'user-action', cause, steps: ['Check the L2 token address (the token’s address on the L2, the standard bridge’s copy of the L1 token).'] })
      }
      l2Note = 'The L2 node does not answer contract calls (eth_call), so the L2 balance of this token is unknown.'
    }
  }
  return {
    l1Token: getAddress(p.l1Token),
    l2Token: getAddress(p.l2Token),
    symbol,
    decimals,
    l1BalanceWei: l1Balance.toString(),
    ...(l2Balance === undefined ? {} : { l2BalanceWei: l2Balance.toString() }),
    note: l2Note,
  }
}

export type OpTokenInput = NonNullable<PreviewEscapeRequest['tokens']>[number]

/** The job's assets: ETH when the amount is above zero, then each token with its amount in its own decimals. */
export async function opAssetsOf(p: { l1: L1Gateway; l2: PublicClient | undefined; account: Address; amountEth: string; tokens: readonly OpTokenInput[] }): Promise<{ assets: OpEscapeAsset[]; tokens: OpTokenView[] }> {
  const assets: OpEscapeAsset[] = []
  const eth = parseEther(p.amountEth)
  if (eth > 0n) assets.push({ kind: 'eth', amountWei: eth.toString() })
  const tokens: OpTokenView[] = []
  for (const t of p.tokens) {
    const info = await readOpToken({ l1: p.l1, l2: p.l2, account: p.account, l1Token: getAddress(t.l1Token), l2Token: getAddress(t.l2Token) })
    if ((t.amount.split('.')[1]?.length ?? 0) > info.decimals) throw new EscapeError(`${info.symbol} has ${info.decimals} decimals; ${t.amount} has more.`, { kind: 'user-action', steps: [`Type the amount of ${info.symbol} with at most ${info.decimals} decimals.`] })
    const amount = parseUnits(t.amount, info.decimals)
    if (amount <= 0n) throw new EscapeError(`The amount of ${info.symbol} must be more than zero.`, { kind: 'user-action', steps: ['Type an amount above zero, or remove the token.'] })
    assets.push({ kind: 'erc20', l1Token: info.l1Token, l2Token: info.l2Token, amountWei: amount.toString(), symbol: info.symbol.replace(/ /g, '').slice(0, 20) || 'token' })
    tokens.push(info)
  }
  if (assets.length === 0) throw new EscapeError('Nothing to take out: the ETH amount is zero and no token is listed.', { kind: 'user-action', steps: ['Type an amount of ETH, or add a token.'] })
  if (assets.length > 8) throw new EscapeError('At most 8 assets in one escape.', { kind: 'user-action', steps: ['Start a second escape for the rest.'] })
  return { assets, tokens }
}

export interface PlanOpEscapeForAppParameters {
  entry: OpStackNetworkEntry
  l1: L1Gateway
  l2: PublicClient | undefined
  account: Address
  destination: Address
  assets: readonly OpEscapeAsset[]
  tokens: readonly OpTokenView[]
  source: OpEscapeSource
  endpoints: { l1: string[]; l2?: string }
}

/**
 * The OP escape before anything is signed: the deposits (estimated with eth_estimateGas from the user's account, so a
 * paused portal or a bad call shows now), then prove, resolve and finalize at typical gas, all at today's L1 fees;
 * their earliest dates from the portal's windows read on L1; the bond when the job may create a game (rebuild: when
 * no game covers the withdrawal, it creates one with its own output root).
 */
export async function planOpEscapeForApp(p: PlanOpEscapeForAppParameters): Promise<EscapePreviewView> {
  const { entry, l1 } = p
  if (getAddress(p.destination) === zeroAddress) throw new EscapeError('The L1 destination is the zero address: the funds would be burned.', { kind: 'user-action', steps: ['Give your own L1 address.'] })
  const portalAddress = entry.l1Addresses.optimismPortal
  if (!portalAddress) throw new EscapeError(`${entry.name} names no OptimismPortal address.`, { kind: 'user-action', steps: ['Check the network file.'] })
  const portal = getAddress(portalAddress)
  const setup = await readPortalSetup(l1, portal)
  const head = await l1.getBlock({ blockNumber: setup.l1Block })
  const clock = await readL1Clock({ l1, head })
  const l1Balance = await l1.getBalance({ address: p.account, blockNumber: setup.l1Block })
  const baseFee = head.baseFeePerGas ?? 1_000_000_000n
  const maxFeePerGas = baseFee * 2n + L1_PRIORITY_FEE
  const warnings: string[] = []
  if (setup.paused) warnings.push(`The ${entry.name} portal is paused by its guardian: deposits still go in, but proving and finalizing wait until it is unpaused.`)

  // The L2 balances as the node reports them: the forced withdrawal fails on L2 (only the L1 fee lost) if they do not cover the amounts.
  if (p.l2) {
    const eth = p.assets.find((a) => a.kind === 'eth')
    if (eth) {
      const balance = await p.l2.getBalance({ address: p.account })
      if (balance < BigInt(eth.amountWei)) {
        throw new EscapeError(`The L2 node reports ${formatEther(balance)} ETH for ${p.account} on ${entry.name} (unverified), less than the ${formatEther(BigInt(eth.amountWei))} ETH to take out.`, {
          kind: 'user-action',
          steps: [`Take out at most ${formatEther(balance)} ETH. (A forced withdrawal pays no L2 fee: the L1 deposit buys its L2 gas.)`, 'If you think the L2 node is wrong, try another one: only its answer is used here.'],
        })
      }
    }
    for (const t of p.tokens) {
      const asset = p.assets.find((a) => a.kind === 'erc20' && a.l2Token === t.l2Token)
      if (asset && t.l2BalanceWei !== undefined && BigInt(t.l2BalanceWei) < BigInt(asset.amountWei)) {
        throw new EscapeError(`The L2 node reports ${formatUnits(BigInt(t.l2BalanceWei), t.decimals)} ${t.symbol} for ${p.account} (unverified), less than ${formatUnits(BigInt(asset.amountWei), t.decimals)} to take out.`, {
          kind: 'user-action',
          steps: [`Take out at most ${formatUnits(BigInt(t.l2BalanceWei), t.decimals)} ${t.symbol}.`],
        })
      }
    }
  } else {
    warnings.push('No L2 node was given, so your L2 balances could not be checked. If an amount is more than you hold on L2, its deposit is still included but the withdrawal fails on L2: only the L1 fee is lost, and the job stops saying so.')
  }

  const common = { l1ChainId: entry.l1ChainId, portal, networkName: entry.name, target: getAddress(p.destination) }
  const calls: { call: L1Call; what: string }[] = p.assets.map((a) =>
    a.kind === 'eth'
      ? { call: buildForcedEthWithdrawalTx({ ...common, amount: BigInt(a.amountWei) }), what: `Force the withdrawal of ${formatEther(BigInt(a.amountWei))} ETH through L1 (OptimismPortal.depositTransaction to the L2 message passer)` }
      : {
          call: buildForcedErc20WithdrawalTxs({ ...common, tokens: [{ l2Token: getAddress(a.l2Token), amount: BigInt(a.amountWei), ...(a.symbol ? { symbol: a.symbol } : {}) }] })[0] as L1Call,
          what: `Force the withdrawal of ${formatUnits(BigInt(a.amountWei), p.tokens.find((t) => t.l2Token === getAddress(a.l2Token))?.decimals ?? 18)} ${a.symbol ?? 'tokens'} through L1 (OptimismPortal.depositTransaction to the L2 standard bridge)`,
        },
  )
  const transactions: EscapePreviewView['transactions'] = []
  for (const [i, { call, what }] of calls.entries()) {
    let gas: bigint
    try {
      gas = ((await l1.estimateGas({ account: p.account, to: call.to, data: call.data, value: call.value })) * 13n) / 10n
    } catch (cause) {
      throw new EscapeError(`The ${entry.name} portal on L1 would refuse the deposit from ${p.account}.`, {
        kind: 'user-action',
        cause,
        steps: ['The portal may be paused, or your L1 account cannot pay the fee. Check the Diagnosis screen and the chain’s announcements.'],
        details: cause instanceof Error ? cause.message.split('\n')[0] : String(cause),
      })
    }
    transactions.push({ step: `deposit-${i + 1}`, chain: 'L1', what, when: { now: true, note: 'now' }, gasLimit: gas.toString(), maxCostWei: (gas * maxFeePerGas).toString() })
  }

  // Dates: the deposits are in L2 by the end of the sequencing window at the latest; a game covers them after that.
  const seqWindow = BigInt(entry.rollupConfig.seqWindowSize)
  const included = l1BlockDate(clock, head.number + 1n + seqWindow, 'end of the sequencing window')
  const perTx = BigInt(p.assets.length)
  let plan: CreateGamePlan | undefined
  let noCreate: string | undefined
  if (p.source.kind === 'rebuild') {
    try {
      plan = await readCreateGamePlan(l1, setup)
    } catch (error) {
      noCreate = error instanceof EscapeError ? error.shortMessage : String(error)
    }
  }
  const clockSeconds = plan?.maxClockDuration ?? 0n
  const provedAt = included.at
  const resolveAt = new Date(provedAt.getTime() + Number(clockSeconds) * 1000)
  const finalizeAt = new Date(Math.max(provedAt.getTime() + Number(setup.proofMaturityDelaySeconds) * 1000, resolveAt.getTime() + Number(setup.disputeGameFinalityDelaySeconds) * 1000))
  const line = (step: string, what: string, at: Date, note: string, gas: bigint) => ({ step, chain: 'L1' as const, what, when: { now: false, at: at.toISOString(), note }, gasLimit: gas.toString(), maxCostWei: (gas * maxFeePerGas).toString() })
  if (plan) {
    transactions.push(line('create-game', `Create a dispute game with the app’s own output root, if no game on L1 covers your withdrawal (locks a bond of ${formatEther(plan.bond)} ETH)`, provedAt, 'once your deposits are in L2 (the end of the sequencing window at the latest) and only if no proposer’s game covers them', OP_CREATE_GAME_GAS_ESTIMATE))
  }
  transactions.push(line('prove', `Prove ${p.assets.length === 1 ? 'the withdrawal' : `the ${p.assets.length} withdrawals`} on L1 against a dispute game whose root claim the app checked`, provedAt, 'once a dispute game covers your deposits (the end of the sequencing window at the latest)', OP_PROVE_GAS_ESTIMATE * perTx))
  transactions.push(line('resolve', 'Resolve the dispute game, if nobody else has', resolveAt, plan ? `after the game’s clock (${formatDuration(Number(clockSeconds))}) runs out` : 'after the game’s clock runs out (read from the game when it is chosen)', OP_RESOLVE_GAS_ESTIMATE))
  transactions.push(line('finalize', `Finalize: the funds reach ${getAddress(p.destination)} on L1`, finalizeAt, `after the proof maturity delay (${formatDuration(Number(setup.proofMaturityDelaySeconds))}) and the finality airgap (${formatDuration(Number(setup.disputeGameFinalityDelaySeconds))}) after the game resolves`, OP_FINALIZE_GAS_ESTIMATE * perTx))

  const totalMaxCost = transactions.reduce((sum, t) => sum + BigInt(t.maxCostWei ?? '0'), 0n)
  const bond = plan?.bond ?? 0n
  if (l1Balance < totalMaxCost + bond) {
    warnings.push(`Your L1 account holds ${formatEther(l1Balance)} ETH; the L1 transactions may cost up to ${formatEther(totalMaxCost)} ETH at today's fees${bond > 0n ? `, plus the ${formatEther(bond)} ETH bond if the job creates a game` : ''}. Send more ETH to ${p.account} on L1 before the later steps.`)
  }
  if (noCreate) warnings.push(`If no proposer’s game covers your withdrawal, the app cannot create one here: ${noCreate}`)
  if (getAddress(p.destination) !== getAddress(p.account)) warnings.push(`The funds go to ${getAddress(p.destination)}, not to your own account: check it is yours.`)

  const eth = p.assets.find((a) => a.kind === 'eth')
  return {
    stack: 'op-stack',
    network: { name: entry.name, l1Name: l1ChainName(entry.l1ChainId), l1ChainId: entry.l1ChainId, l2ChainId: entry.l2ChainId },
    account: getAddress(p.account),
    destination: getAddress(p.destination),
    amountWei: eth ? eth.amountWei : '0',
    assets: p.assets.map((a) => {
      if (a.kind === 'eth') return { kind: 'eth' as const, symbol: 'ETH', decimals: 18, amountWei: a.amountWei }
      const t = p.tokens.find((x) => x.l2Token === getAddress(a.l2Token))
      return { kind: 'erc20' as const, symbol: t?.symbol ?? 'token', decimals: t?.decimals ?? 18, amountWei: a.amountWei, l1Token: getAddress(a.l1Token), l2Token: getAddress(a.l2Token) }
    }),
    source: { kind: p.source.kind, says: OP_SOURCE_SAYS[p.source.kind] },
    l1Block: setup.l1Block.toString(),
    l1BlockTime: clock.basis,
    transactions,
    fees: {
      baseFeeWei: baseFee.toString(),
      maxFeePerGasWei: maxFeePerGas.toString(),
      totalMaxCostWei: totalMaxCost.toString(),
      l1BalanceWei: l1Balance.toString(),
      bondsWei: bond.toString(),
      note: [
        `At today's L1 base fee (${formatGwei(baseFee)} gwei) × 2 + 1 gwei tip; you pay only the gas used at the fee of the day. The deposits are estimated now; the later transactions at their typical gas, priced when they are signed.`,
        plan ? `If, when your withdrawal is in L2, no proposer’s game covers it: ${plan.explanation.replace(/^No dispute game on L1 covers your withdrawal, so the app/, 'the app')}` : p.source.kind === 'l2-node' ? 'With an L2 node as the source the app never creates a game (an untrusted root is not worth a bond): it waits for the chain’s proposer to post one. No bond.' : '',
        'A forced withdrawal pays no L2 fee: the L1 deposit buys its L2 gas.',
      ].filter(Boolean).join(' '),
    },
    ...(p.l2 ? { l2: { balanceWei: (await p.l2.getBalance({ address: p.account })).toString(), nonce: 0, maxFeeWei: '0', note: 'Reported by the L2 node (unverified). Your L2 nonce does not matter: the deposit is an L1 transaction.' } } : {}),
    warnings,
    endpoints: p.endpoints,
  }
}

/** Labels for the job's endpoints (scheme and host only). */
export function opRpcLabels(l1Urls: readonly string[], l2Url: string | undefined, beaconUrl: string | undefined): { l1: string[]; l2?: string; beacon?: string } {
  return { l1: l1Urls.map(endpointLabel), ...(l2Url ? { l2: endpointLabel(l2Url) } : {}), ...(beaconUrl ? { beacon: endpointLabel(beaconUrl) } : {}) }
}

export type { OpTokenRequest }
