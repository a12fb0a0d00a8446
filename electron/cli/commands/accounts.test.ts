import { describe, expect, it } from 'vitest'
import { mnemonicToAccount } from 'viem/accounts'
import { DRILL_MNEMONIC } from '../../services/signers/drill-key/DrillKeySigner'
import { main } from '../main'

async function run(...argv: string[]) {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { ESCAPE_HATCH_HOME: '/nonexistent-eh-home' } }, new AbortController().signal)
  return { code, stdout, stderr }
}

describe('escape-hatch accounts', () => {
  it('lists Ledger Live and legacy accounts through the software Ledger and the drill key alike', async () => {
    const live = await run('accounts', '--signer', 'soft-ledger', '--count', '2', '--json')
    expect(live.code, live.stderr).toBe(0)
    expect(JSON.parse(live.stdout).accounts).toEqual([0, 1].map((i) => ({ path: `44'/60'/${i}'/0/0`, address: mnemonicToAccount(DRILL_MNEMONIC, { accountIndex: i }).address })))
    const legacy = await run('accounts', '--signer', 'drill-key', '--preset', 'legacy', '--start', '3', '--count', '1', '--json')
    expect(JSON.parse(legacy.stdout).accounts).toEqual([{ path: "44'/60'/0'/3", address: mnemonicToAccount(DRILL_MNEMONIC, { path: "m/44'/60'/0'/3" }).address }])
  })

  it('shows an address on the (software) Ledger, refuses --show without a screen, and rejects bad input', async () => {
    const shown = await run('accounts', '--signer', 'soft-ledger', '--path', "m/44'/60'/0'/0/2", '--show', '--json')
    expect(JSON.parse(shown.stdout)).toMatchObject({ address: mnemonicToAccount(DRILL_MNEMONIC, { addressIndex: 2 }).address, shownOnDevice: true })
    expect((await run('accounts', '--signer', 'drill-key', '--show')).code).toBe(2)
    expect((await run('accounts', '--count', '500')).code).toBe(2)
    expect((await run('accounts', '--path', 'bogus', '--signer', 'drill-key')).code).toBe(2)
  })
})
