/** What a transaction does, as the Ledger screen shows it: the one describer's output, bounded for the IPC schema. */
import type { LedgerSigningView } from '../../../shared/ipc/ledgerSchemas'
import type { TxBytesDescription } from '../../../shared/signing/describeTxBytes'

/** A text cut to the schemas' 2000 characters. */
export const cut = (s: string): string => (s.length > 2000 ? `${s.slice(0, 1990)}…` : s)

export function toCallView(d: TxBytesDescription): LedgerSigningView['call'] {
  return {
    chain: cut(d.chain),
    ...(d.contract ? { contract: cut(d.contract) } : {}),
    ...(d.action ? { action: cut(d.action) } : {}),
    summary: cut(d.summary),
    recognised: d.recognised,
    fields: d.fields.slice(0, 60).map((f) => ({ label: f.label.slice(0, 200), value: cut(f.value) })),
    problems: d.problems.slice(0, 20).map(cut),
  }
}
