/**
 * Checks the upgrade transactions of a fork activation block as an untrusted L2 node served them, byte for byte:
 * the block must start with the L1-info deposit and user deposits derivation computed from L1 (same bytes), then each
 * fork's upgrade deposits in op-node's order and count (attributes.go `PreparePayloadAttributes`). Each is a 0x7E
 * deposit with the domain-2 source hash of the expected intent (deposits.md §"Source hash computation"), the expected
 * from/to/gas, mint 0, value 0, isSystemTx false, and data that is either exactly what we compute (proxy upgrades,
 * setIsthmus()/setJovian(), EIP-2935 init code) or init code that is solc's preamble + a runtime whose keccak256 is the
 * published code hash. Pure and synchronous; the deployment is also executed (deployInIsolatedEvm.ts) by the caller.
 */
import { equalsBytes as equalBytes } from '@ethereumjs/util'
import { keccak_256 } from '@noble/hashes/sha3.js'
import type { OpFork } from '../../config/rollupConfig'
import { upgradeDepositSourceHash } from '../deposits'
import { UntrustedUpgradeTxError } from './errors'
import { runtimeOfCreationCode } from './runtimeOfCreationCode'
import type { ExpectedUpgradeTx } from './verifiedUpgradeForks'
import { parseTxDeposit, type TxDeposit } from '../../../../eth/TxDeposit'
import { hexBytes, toHex } from '../../../../eth/bytes'

/** One fork's part of the NUT list: verified against constants, or (forks this app builds) exact bytes. */
export type UpgradeGroup = { fork: OpFork; expected: readonly ExpectedUpgradeTx[] } | { fork: OpFork; exact: readonly Uint8Array[] }

export interface VerifyNodeUpgradeTxsParameters {
  node: string
  l2BlockNumber: number
  /** The node's transactions of that block, in order. */
  nodeTxs: readonly Uint8Array[]
  /** L1-info deposit + user deposits, as derivation computed them from L1. */
  prefix: readonly Uint8Array[]
  groups: readonly UpgradeGroup[]
}

export interface VerifiedDeployment {
  fork: OpFork
  index: number
  contract: string
  from: `0x${string}`
  initCode: Uint8Array
  codeHash: `0x${string}`
}

export interface VerifiedUpgradeTxs {
  /** Per fork, the accepted transactions (the node's bytes, all checked). */
  txs: Map<OpFork, Uint8Array[]>
  deployments: VerifiedDeployment[]
}

export function verifyNodeUpgradeTxs(p: VerifyNodeUpgradeTxsParameters): VerifiedUpgradeTxs {
  const fail = (problem: ConstructorParameters<typeof UntrustedUpgradeTxError>[0], msg: string, details: string): never => {
    throw new UntrustedUpgradeTxError(problem, msg, { node: p.node, details: `L2 block ${p.l2BlockNumber}: ${details}` })
  }
  const total = p.groups.reduce((n, g) => n + ('exact' in g ? g.exact.length : g.expected.length), 0)
  if (p.nodeTxs.length < p.prefix.length + total) {
    fail('count', 'The L2 node\'s fork activation block has too few transactions.', `${p.nodeTxs.length} transactions; expected at least ${p.prefix.length} deposits from L1 + ${total} upgrade transactions`)
  }
  p.prefix.forEach((tx, i) => {
    if (!equalBytes(tx, p.nodeTxs[i] as Uint8Array)) {
      fail('prefix', 'The L2 node\'s fork activation block does not start with the deposits derived from L1.', `transaction ${i} differs from the ${i === 0 ? 'L1-info deposit' : `user deposit ${i - 1}`} derived from L1`)
    }
  })
  const out: VerifiedUpgradeTxs = { txs: new Map(), deployments: [] }
  let at = p.prefix.length
  for (const g of p.groups) {
    const accepted: Uint8Array[] = []
    const n = 'exact' in g ? g.exact.length : g.expected.length
    for (let i = 0; i < n; i++, at++) {
      const raw = p.nodeTxs[at] as Uint8Array
      const where = `transaction ${at} (${g.fork} upgrade transaction ${i})`
      if ('exact' in g) {
        if (!equalBytes(raw, g.exact[i] as Uint8Array)) fail('data', `The L2 node's ${g.fork} upgrade transaction ${i} differs from the one this app builds.`, where)
      } else {
        const d = checkOne(g.fork, g.expected[i] as ExpectedUpgradeTx, raw, where, fail)
        if (d) out.deployments.push({ fork: g.fork, index: i, ...d })
      }
      accepted.push(raw)
    }
    out.txs.set(g.fork, accepted)
  }
  // Anything after the NUTs must not be another deposit (a missing/extra upgrade tx would show up here).
  const next = p.nodeTxs[at]
  if (next && next[0] === 0x7e) fail('count', 'The L2 node\'s fork activation block has more deposits than L1 and the upgrade define.', `transaction ${at} is an extra deposit after the ${total} upgrade transactions`)
  return out
}

type Fail = (problem: ConstructorParameters<typeof UntrustedUpgradeTxError>[0], msg: string, details: string) => never

function checkOne(fork: OpFork, e: ExpectedUpgradeTx, raw: Uint8Array, where: string, fail: Fail): Omit<VerifiedDeployment, 'fork' | 'index'> | undefined {
  if (raw[0] !== 0x7e) fail('not-deposit', `The L2 node's ${fork} upgrade transaction is not a deposit.`, where)
  let tx: TxDeposit
  try {
    tx = parseTxDeposit(raw)
  } catch (cause) {
    return fail('not-deposit', `The L2 node's ${fork} upgrade transaction is not a valid deposit.`, `${where}: ${(cause as Error).message}`)
  }
  const want = upgradeDepositSourceHash(e.intent)
  if (tx.sourceHash.toLowerCase() !== want) {
    if (e.otherSpelling && tx.sourceHash.toLowerCase() === upgradeDepositSourceHash(e.otherSpelling.intent)) {
      fail(
        'other-spelling',
        `The L2 node's ${fork} upgrade transaction carries the source hash of the intent "${e.otherSpelling.intent}" (as ${e.otherSpelling.where} spells it), not of "${e.intent}" (as op-node, which produced the chain, spells it).`,
        `${where}: sourceHash ${tx.sourceHash}, op-node's ${want}`,
      )
    }
    fail('source-hash', `The L2 node's ${fork} upgrade transaction has the wrong source hash (order, count or content differ from the protocol).`, `${where}: sourceHash ${tx.sourceHash}, expected ${want} ("${e.intent}")`)
  }
  const mismatches: string[] = []
  if (tx.from.toLowerCase() !== e.from.toLowerCase()) mismatches.push(`from ${tx.from} ≠ ${e.from}`)
  if ((tx.to?.toLowerCase() ?? 'create') !== (e.to?.toLowerCase() ?? 'create')) mismatches.push(`to ${tx.to ?? 'create'} ≠ ${e.to ?? 'create'}`)
  if (tx.mint !== 0n) mismatches.push(`mint ${tx.mint} ≠ 0`)
  if (tx.value !== 0n) mismatches.push(`value ${tx.value} ≠ 0`)
  if (tx.gas !== e.gas) mismatches.push(`gas ${tx.gas} ≠ ${e.gas}`)
  if (tx.isSystemTransaction) mismatches.push('isSystemTx true ≠ false')
  if (mismatches.length) fail('fields', `The L2 node's ${fork} upgrade transaction "${e.intent}" has wrong fields.`, `${where}: ${mismatches.join(', ')}`)
  if (e.data.kind === 'exact') {
    if (!equalBytes(tx.data, hexBytes(e.data.data))) fail('data', `The L2 node's ${fork} upgrade transaction "${e.intent}" has the wrong data.`, `${where}: data ${toHex(tx.data.subarray(0, 64))}…, expected ${e.data.data.slice(0, 130)}`)
    return undefined
  }
  const runtime = runtimeOfCreationCode(tx.data)
  if (!runtime) {
    fail('init-code-structure', `The L2 node's ${e.data.contract} init code is not solc's plain constructor preamble followed by the runtime code.`, `${where}: ${tx.data.length} bytes; a constructor that does anything else (storage writes, arguments, immutables) is refused`)
  }
  const codeHash = toHex(keccak_256(runtime as Uint8Array))
  if (codeHash !== e.data.codeHash.toLowerCase()) fail('code-hash', `The L2 node's ${e.data.contract} runtime code does not have the published code hash.`, `${where}: keccak256(runtime) ${codeHash}, published ${e.data.codeHash}`)
  return { contract: e.data.contract, from: e.from, initCode: tx.data, codeHash: e.data.codeHash }
}
