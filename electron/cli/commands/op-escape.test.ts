// `op escape` options through the CLI's main(): the air-gapped signer is accepted for the OP escape and, as for
// `arb escape`, needs --from (the key is on the offline machine); a malformed --from is refused before anything runs.
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { main } from '../main'

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-op-escape-cli-'))
afterAll(() => fs.rmSync(home, { recursive: true, force: true }))

async function run(...argv: string[]): Promise<{ code: number; stderr: string }> {
  let stderr = ''
  const code = await main(argv, { stdout: () => undefined, stderr: (t) => (stderr += t), env: { ESCAPE_HATCH_HOME: home } }, new AbortController().signal)
  return { code, stderr }
}

describe('escape-hatch op escape --signer file', () => {
  const base = ['op', 'escape', '--network', 'op-sepolia', '--l1-rpc', 'http://127.0.0.1:9', '--l2-rpc', 'http://127.0.0.1:9', '--amount', '0.1', '--signer', 'file']
  it('needs --from (the account whose key is offline)', async () => {
    const r = await run(...base)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--signer file needs --from ADDRESS (the key is on the offline machine)')
    expect(r.stderr).not.toMatch(/not supported for it yet/)
  })
  it('refuses a --from with a broken checksum', async () => {
    const r = await run(...base, '--from', '0x976EA74026E726554dB657fA54763abd0C3a0aA9')
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/--from: /)
  })
})
