/* eslint-disable @typescript-eslint/no-explicit-any -- this test reads the CLI's JSON output loosely, field by field */
// `arb escape --token` through the CLI's main() on the devnet with the real token gateways (issue 16): the plan reads
// the token's decimals and route from L1 and lists one L2 withdrawal, sendL2Message and execution per asset; a token
// amount above what the L2 node reports is refused before any job exists. (The whole token escape runs in
// runArbitrumTokenDrill.test.ts.)
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { parseEther, type Address } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { deployDevnetL1Token, deployTokenBridge, depositTokenToL2, type DevnetTokenBridge } from '../../devnet/arbitrum/deployTokenBridge'
import { startArbitrumDevnet, type ArbitrumDevnet } from '../../devnet/arbitrum/startArbitrumDevnet'
import { DEVNET_ROLES, startDevnet, type Devnet } from '../../devnet/devnet'
import { main } from '../main'

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-arb-escape-token-'))
let devnet: Devnet
let l2: ArbitrumDevnet
let bridge: DevnetTokenBridge
let token: Address
let l2Token: Address
let networkFile: string
let user: Address

beforeAll(async () => {
  devnet = await startDevnet({ stacks: ['arbitrum'] })
  l2 = await startArbitrumDevnet({ l1: devnet.anvil, deployment: devnet.arbitrum!, pollIntervalMs: 100 })
  const deployer = devnet.anvil.accounts[DEVNET_ROLES.deployer]!
  const userKey = devnet.anvil.accounts[DEVNET_ROLES.user2]!
  user = userKey.address as Address
  bridge = await deployTokenBridge({ l1: devnet.anvil, deployment: devnet.arbitrum!, l2, deployer })
  token = await deployDevnetL1Token({ l1: devnet.anvil, minter: deployer, name: 'Drill Token', symbol: 'DRILL' })
  ;({ l2Token } = await depositTokenToL2({ l1: devnet.anvil, l2, bridge, token, minter: deployer, user: userKey, amount: parseEther('5') }))
  await l2.fund(user, parseEther('2'))
  l2.setCensored(user, true)
  // The chain's network file names its L1GatewayRouter, as Arbitrum One's registry entry does; the rest is read from L1.
  networkFile = path.join(home, 'devnet-arbitrum.json')
  fs.writeFileSync(networkFile, JSON.stringify({ ...devnet.arbitrum!.network, l2RpcUrl: undefined, tokenBridge: { l1GatewayRouter: bridge.l1GatewayRouter } }))
}, 180_000)
afterAll(async () => {
  await l2?.stop()
  await devnet?.stop()
  fs.rmSync(home, { recursive: true, force: true })
})

async function run(argv: string[]) {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { ESCAPE_HATCH_HOME: home } }, new AbortController().signal)
  return { code, stdout, stderr, json: () => JSON.parse(stdout) as Record<string, any> }
}

describe('escape-hatch arb escape --token on the devnet token bridge', () => {
  const base = () => ['arb', 'escape', '--network', networkFile, '--l1-rpc', devnet.l1.rpcUrl, '--l2-rpc', l2.l2RpcUrl, '--to', user, '--signer', 'soft-ledger', '--path', `44'/60'/0'/0/${DEVNET_ROLES.user2}`]

  it('plans ETH and a token in one job: decimals and route from L1, one withdrawal each, one forceInclusion', async () => {
    const dry = await run([...base(), '--amount', '0.5', '--token', `${token}:3`, '--dry-run', '--json'])
    expect(dry.code, dry.stderr).toBe(0)
    const plan = dry.json().plan
    expect(plan.transactions.map((t: { step: string }) => t.step)).toEqual([
      'sign-l2-tx', 'send-l2-message', 'sign-l2-tx', 'send-l2-message', 'force-inclusion', 'execute-withdrawal', 'execute-withdrawal',
    ])
    expect(plan.assets[1]).toMatchObject({ kind: 'erc20', l1Token: token, symbol: 'DRILL', decimals: 18, amount: parseEther('3').toString(), l2BalanceReported: parseEther('5').toString() })
    expect(plan.assets[1].route).toEqual({ l1Token: token, l1Gateway: bridge.l1ERC20Gateway, l2Gateway: bridge.l2ERC20Gateway, l2GatewayRouter: bridge.l2GatewayRouter, l2Token })
    expect(dry.stderr).toMatch(/Plan: get 0\.5 ETH and 3 DRILL out of/)
    expect(dry.stderr).toContain(`L2GatewayRouter(${bridge.l2GatewayRouter}).outboundTransfer of 3 DRILL`)

    // Token only: no --amount needed.
    const tokenOnly = await run([...base(), '--token', `${token}:1.25`, '--dry-run', '--json'])
    expect(tokenOnly.code, tokenOnly.stderr).toBe(0)
    expect(tokenOnly.json().plan.assets.map((a: { kind: string }) => a.kind)).toEqual(['erc20'])
  }, 120_000)

  it('refuses, before any job exists, more tokens than the L2 node reports, a chain whose token bridge is unknown, a bad spec, and nothing to take out', async () => {
    const tooMuch = await run([...base(), '--token', `${token}:10`, '--dry-run'])
    expect(tooMuch.code).not.toBe(0)
    expect(tooMuch.stderr).toMatch(/reports 5 DRILL .* less than the 10 to withdraw/)
    const nothing = await run([...base()])
    expect(nothing.code).toBe(2)
    expect(nothing.stderr).toMatch(/say what to take out/)
    const badSpec = await run([...base(), '--token', 'DRILL:3'])
    expect(badSpec.code).toBe(2)
    // A chain whose token bridge is unknown: tokens are refused with what to do, ETH still works.
    const noBridge = path.join(home, 'no-bridge.json')
    fs.writeFileSync(noBridge, JSON.stringify({ ...devnet.arbitrum!.network, l2RpcUrl: undefined }))
    const unknown = await run(['arb', 'escape', '--network', noBridge, ...base().slice(4), '--token', `${token}:1`, '--dry-run'])
    expect(unknown.code).not.toBe(0)
    expect(unknown.stderr).toMatch(/does not know the token bridge/)
    expect(fs.existsSync(path.join(home, 'jobs')) ? fs.readdirSync(path.join(home, 'jobs')).filter((f) => !f.startsWith('.')) : []).toEqual([])
  }, 120_000)
})
