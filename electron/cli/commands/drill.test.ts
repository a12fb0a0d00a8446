import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { DRILL_REPORT_FILE } from '../../services/drill/drillPaths'
import { main } from '../main'

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-drill-cli-'))
afterAll(() => fs.rmSync(home, { recursive: true, force: true }))

describe('escape-hatch drill (the README main command)', () => {
  it('passes on the devnet, prints a JSON report, writes the HTML report and keeps the report next to its journal', async () => {
    let stdout = ''
    let stderr = ''
    const html = path.join(home, 'drill.html')
    const code = await main(['drill', '--json', '--report', html], { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { ESCAPE_HATCH_HOME: home } }, new AbortController().signal)
    expect(code, stderr).toBe(0)
    const report = JSON.parse(stdout) as { ok: boolean; journalDir: string; roots: { matched: boolean; confirmedSendRoot: string }; checks: { ok: boolean }[] }
    expect(report.ok).toBe(true)
    expect(report.roots.matched).toBe(true)
    expect(report.checks.every((c) => c.ok)).toBe(true)
    expect(fs.readFileSync(html, 'utf8')).toContain(report.roots.confirmedSendRoot)
    expect(report.journalDir.startsWith(path.join(home, 'drills'))).toBe(true)
    // Before each blind-signed request the user is told which hash the device will show (issue 6).
    expect(stderr.match(/Check that the hash it shows is 0x[0-9a-f]{64}/g)?.length).toBe(4)
    const kept = JSON.parse(fs.readFileSync(path.join(report.journalDir, DRILL_REPORT_FILE), 'utf8')) as { version: number; report: { ok: boolean } }
    expect(kept).toMatchObject({ version: 1, report: { ok: true } })
  })

  it('refuses an unknown stack with exit code 2', async () => {
    let stderr = ''
    const code = await main(['drill', '--stack', 'zksync'], { stdout: () => {}, stderr: (t) => (stderr += t), env: { ESCAPE_HATCH_HOME: home } }, new AbortController().signal)
    expect(code).toBe(2)
    expect(stderr).toMatch(/--stack must be one of arbitrum, op, all/)
  })

  it('refuses an unknown --asset, and --asset outside the Arbitrum escape drill, with exit code 2', async () => {
    for (const [argv, message] of [
      [['drill', '--asset', 'btc'], /--asset must be eth, erc20 or eth,erc20 \(got "btc"\)/],
      [['drill', '--asset', 'erc20,erc20'], /--asset: give each asset once/],
      [['drill', '--stack', 'op', '--asset', 'erc20'], /--asset applies to --stack arbitrum/],
      [['drill', '--scenario', 'retryable', '--asset', 'erc20'], /--asset applies to --stack arbitrum/],
    ] as const) {
      let stderr = ''
      const code = await main([...argv], { stdout: () => {}, stderr: (t) => (stderr += t), env: { ESCAPE_HATCH_HOME: home } }, new AbortController().signal)
      expect(code, stderr).toBe(2)
      expect(stderr).toMatch(message)
    }
  })

  it('refuses an OP scenario for Arbitrum and an unknown OP scenario with exit code 2', async () => {
    for (const [argv, message] of [
      [['drill', '--scenario', 'operator-gone'], /--scenario for --stack arbitrum must be one of escape, retryable \(censored, operator-gone: --stack op\)/],
      [['drill', '--stack', 'op', '--scenario', 'sunny'], /--scenario must be one of censored, operator-gone/],
    ] as const) {
      let stderr = ''
      const code = await main([...argv], { stdout: () => {}, stderr: (t) => (stderr += t), env: { ESCAPE_HATCH_HOME: home } }, new AbortController().signal)
      expect(code).toBe(2)
      expect(stderr).toMatch(message)
    }
  })
})
