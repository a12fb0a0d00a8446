/**
 * Refuse an unsigned request file whose description contradicts its transaction bytes (issue 14, defect 1). The
 * checksum does not protect the description — anyone can recompute it — so on the offline machine, before signing,
 * every checkable claim the file makes is compared with what describeTxBytes decoded from the bytes:
 * - its `action` must be the decoded function;
 * - a detail with the label of a decoded field must say the same (its addresses, ETH/wei amounts, chain ids, or
 *   its whole value when it is a bare number) — so "L1 destination: 0xUser" against withdrawEth(0x…dEaD) is refused;
 * - every address, amount and chain id named anywhere in its summary or details must be one the bytes carry;
 * - the signed L2 transaction carried by sendL2Message must be signed by the file's own account.
 * Omissions are fine (only decoded values are shown); contradictions are not.
 */
import { getAddress, parseEther, type Address } from 'viem'
import type { TxBytesDescription } from './describeTxBytes'
import type { TxIntent } from './txFile'
import { TxFileDescriptionMismatchError } from './txFileErrors'

export interface CheckTxFileDescriptionParameters {
  intent: TxIntent
  /** The account the file says must sign. */
  from: Address
  /** describeTxBytes of the file's transaction. */
  description: TxBytesDescription
}

/** Throws TxFileDescriptionMismatchError naming the first contradiction. */
export function checkTxFileDescription({ intent, from, description }: CheckTxFileDescriptionParameters): void {
  if (intent.action !== undefined && intent.action !== description.action) {
    throw new TxFileDescriptionMismatchError('action', intent.action, description.action ?? 'a call Escape Hatch cannot decode')
  }
  if (description.carried && getAddress(description.carried.signer) !== getAddress(from)) {
    throw new TxFileDescriptionMismatchError('L2 transaction signer', `${getAddress(from)} (the account that signs this file)`, description.carried.signer)
  }

  const decodedFields = new Map(description.fields.filter((f) => f.known).map((f) => [f.label, claimsOf(f.value)]))
  for (const detail of intent.details ?? []) {
    const decoded = decodedFields.get(detail.label)
    if (!decoded) continue
    const said = claimsOf(detail.value)
    const wrong = firstMissing(said, decoded)
    if (wrong) throw new TxFileDescriptionMismatchError(detail.label, detail.value, description.fields.find((f) => f.label === detail.label)?.value ?? '')
  }

  const everything: Claims = {
    addresses: new Set(description.addresses.map((a) => a.toLowerCase())),
    wei: new Set(description.amountsWei.concat(description.carried?.description.amountsWei ?? [])),
    chainIds: new Set([...description.fields, ...(description.carried?.description.fields ?? [])].flatMap((f) => [...claimsOf(f.value).chainIds])),
    bare: undefined,
  }
  const texts = [{ where: 'summary', text: intent.summary }, ...(intent.details ?? []).map((d) => ({ where: d.label, text: d.value }))]
  for (const { where, text } of texts) {
    const wrong = firstMissing({ ...claimsOf(text), bare: undefined }, everything)
    if (wrong) throw new TxFileDescriptionMismatchError(where, `${wrong} ("${clip(text)}")`, `no such ${wrong.startsWith('0x') ? 'address' : 'value'} (${description.summary})`)
  }
}

interface Claims {
  addresses: Set<string>
  wei: Set<bigint>
  chainIds: Set<number>
  /** The whole value when it is a bare integer (a nonce, a gas limit). */
  bare: bigint | undefined
}

const ADDRESS = /0x[0-9a-fA-F]{40}(?![0-9a-fA-F])/g
const ETH = /(?<![\w.])(\d+(?:\.\d+)?)\s*ETH\b/g
const WEI = /(?<![\w.])(\d+)\s*wei\b/g
const CHAIN = /\bchain(?:\s+ID)?\s+(\d+)/gi

function claimsOf(text: string): Claims {
  const addresses = new Set([...text.matchAll(ADDRESS)].filter((m) => m.index === 0 || !/[0-9a-fA-Fx]/.test(text[m.index - 1] ?? '')).map((m) => m[0].toLowerCase()))
  const wei = new Set<bigint>()
  for (const m of text.matchAll(ETH)) {
    try {
      wei.add(parseEther(m[1]!))
    } catch {
      // more decimals than wei has: cannot be an amount the bytes carry; kept as a claim that matches nothing
      wei.add(-1n)
    }
  }
  for (const m of text.matchAll(WEI)) wei.add(BigInt(m[1]!))
  const chainIds = new Set([...text.matchAll(CHAIN)].map((m) => Number(m[1])))
  const bare = /^\s*\d{1,78}\s*$/.test(text) ? BigInt(text.trim()) : undefined
  return { addresses, wei, chainIds, bare }
}

/** The first claim in `said` that `decoded` does not make, as text; undefined when every claim is backed. */
function firstMissing(said: Claims, decoded: Claims): string | undefined {
  for (const a of said.addresses) if (!decoded.addresses.has(a)) return getAddress(a)
  for (const w of said.wei) if (!decoded.wei.has(w)) return w < 0n ? 'an amount finer than 1 wei' : `${w} wei`
  for (const c of said.chainIds) if (!decoded.chainIds.has(c)) return `chain ID ${c}`
  if (said.bare !== undefined && decoded.bare !== said.bare) return String(said.bare)
  return undefined
}

function clip(text: string): string {
  return text.length > 160 ? `${text.slice(0, 159)}…` : text
}
