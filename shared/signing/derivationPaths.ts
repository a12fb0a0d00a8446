/**
 * BIP-32 derivation paths for Ethereum accounts. Paths are written without the leading `m/`, hardened levels with
 * `'`, as hw-app-eth and the Ledger Ethereum app expect ("44'/60'/0'/0/0").
 */
import { z } from 'zod'

/** BIP-32: a level ≥ 2^31 is hardened. */
export const HARDENED_OFFSET = 0x8000_0000

/** The Ethereum app accepts at most 10 levels (app-ethereum MAX_BIP32_PATH). */
export const MAX_PATH_DEPTH = 10

export type DerivationPath = string

export type DerivationPreset = 'ledger-live' | 'legacy'

export interface DerivationPresetInfo {
  id: DerivationPreset
  label: string
  /** Shown next to the preset so users recognise where their accounts came from. */
  description: string
  pathFor(index: number): DerivationPath
}

/** Ledger Live: one hardened account level per account (BIP-44 as Ledger Live uses it). */
export function ledgerLivePath(index: number): DerivationPath {
  assertIndex(index)
  return `44'/60'/${index}'/0/0`
}

/** Legacy (Ledger Chrome app, MyEtherWallet "Ledger (legacy)"): the account index is the last, non-hardened level. */
export function legacyPath(index: number): DerivationPath {
  assertIndex(index)
  return `44'/60'/0'/${index}`
}

export const derivationPresets: Readonly<Record<DerivationPreset, DerivationPresetInfo>> = {
  'ledger-live': {
    id: 'ledger-live',
    label: 'Ledger Live',
    description: "44'/60'/x'/0/0 — accounts created by Ledger Live and most wallets (MetaMask with Ledger Live paths).",
    pathFor: ledgerLivePath,
  },
  legacy: {
    id: 'legacy',
    label: 'Legacy (MEW / MyCrypto)',
    description: "44'/60'/0'/x — accounts created by the old Ledger Chrome app, MyEtherWallet or MyCrypto.",
    pathFor: legacyPath,
  },
}

/** The first `count` paths of a preset, starting at `start`. */
export function presetPaths(preset: DerivationPreset, start: number, count: number): DerivationPath[] {
  if (!Number.isSafeInteger(count) || count < 0 || count > 1000) throw new RangeError(`Bad account count: ${count}`)
  return Array.from({ length: count }, (_, i) => derivationPresets[preset].pathFor(start + i))
}

/**
 * Parse a path into BIP-32 levels (hardened levels include HARDENED_OFFSET). Accepts an optional `m/` prefix and
 * `'`, `h` or `H` for hardened. Throws RangeError on anything else.
 */
export function parseDerivationPath(path: string): number[] {
  const trimmed = path.trim().replace(/^m\//, '')
  if (trimmed === '') throw new RangeError('Empty derivation path')
  const parts = trimmed.split('/')
  if (parts.length > MAX_PATH_DEPTH) throw new RangeError(`Derivation path has ${parts.length} levels; at most ${MAX_PATH_DEPTH} are allowed`)
  return parts.map((part) => {
    const m = /^(\d{1,10})(['hH]?)$/.exec(part)
    if (!m) throw new RangeError(`Bad derivation path level "${part}" in "${path}"`)
    const n = Number(m[1])
    if (n >= HARDENED_OFFSET) throw new RangeError(`Derivation path level ${n} is too large in "${path}"`)
    return m[2] ? n + HARDENED_OFFSET : n
  })
}

/** The canonical text form (no `m/`, `'` for hardened). */
export function formatDerivationPath(levels: readonly number[]): DerivationPath {
  return levels.map((n) => (n >= HARDENED_OFFSET ? `${n - HARDENED_OFFSET}'` : `${n}`)).join('/')
}

/** Normalise user input ("m/44h/60h/0h/0/0") to the canonical form, or throw RangeError. */
export function normalizeDerivationPath(path: string): DerivationPath {
  return formatDerivationPath(parseDerivationPath(path))
}

export const derivationPathSchema = z
  .string()
  .max(200)
  .refine((p) => {
    try {
      parseDerivationPath(p)
      return true
    } catch {
      return false
    }
  }, 'Not a BIP-32 derivation path like 44\'/60\'/0\'/0/0')
  .transform((p) => normalizeDerivationPath(p))

function assertIndex(index: number): void {
  if (!Number.isSafeInteger(index) || index < 0 || index >= HARDENED_OFFSET) throw new RangeError(`Bad account index: ${index}`)
}

/** The account levels every Ethereum path on a Ledger starts with (BIP-44 purpose 44', coin type 60'). */
const ETHEREUM_PREFIX = [44 + HARDENED_OFFSET, 60 + HARDENED_OFFSET] as const

export type CustomPathCheck = { ok: true; path: DerivationPath; warning?: string } | { ok: false; problem: string }

/**
 * A path the user typed on the Ledger screen, checked in plain words (the screen shows `problem` beside the field).
 * Any BIP-32 path of at most 10 levels is accepted as typed; one outside 44'/60' gets a warning, since the Ethereum
 * app warns about it on the device and the user probably made a typo.
 */
export function checkCustomDerivationPath(input: string): CustomPathCheck {
  const value = input.trim()
  if (value === '' || value === 'm' || value === 'm/') return { ok: false, problem: "Type a derivation path like 44'/60'/0'/0/0." }
  let levels: number[]
  try {
    levels = parseDerivationPath(value)
  } catch {
    const parts = value.replace(/^m\//, '').split('/')
    if (parts.length > MAX_PATH_DEPTH) return { ok: false, problem: `A path has at most ${MAX_PATH_DEPTH} levels; this one has ${parts.length}.` }
    const bad = parts.find((p) => !/^(\d{1,10})(['hH]?)$/.test(p) || Number(p.replace(/['hH]$/, '')) >= HARDENED_OFFSET)
    return { ok: false, problem: `"${(bad ?? value).slice(0, 40)}" is not a level of a path. A path is numbers separated by "/", each followed by ' when hardened, like 44'/60'/0'/0/0.` }
  }
  if (levels.length < 3) return { ok: false, problem: "This path is too short for an account: Ethereum accounts look like 44'/60'/0'/0/0." }
  const path = formatDerivationPath(levels)
  if (levels[0] !== ETHEREUM_PREFIX[0] || levels[1] !== ETHEREUM_PREFIX[1]) {
    return { ok: true, path, warning: "This path does not start with 44'/60' like Ethereum accounts do: check it was not mistyped. Your Ledger will warn about it too." }
  }
  return { ok: true, path }
}
