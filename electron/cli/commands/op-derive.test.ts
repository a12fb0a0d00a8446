/** `op derive` against a real anvil L1 on loopback: a calldata batcher tx becomes an L2 block. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { toHex, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { startAnvil, type AnvilHandle } from '../../devnet/anvil'
import { opDeriveCommand } from './op-derive'
import type { CommandContext } from '../command'
import { main } from '../main'
import { batcherPayload, encodeChannel, encodeSingularBatch, splitFrames } from '../../../shared/rollups/op-stack/derive/test-support/syntheticL1'
import { devnetWalletClient } from '../../devnet/devnetClients'

const INBOX = '0xff00000000000000000000000000000000000901'
let anvil: AnvilHandle
let dir: string
let configFile: string

beforeAll(async () => {
  anvil = await startAnvil()
  dir = await mkdtemp(join(tmpdir(), 'eh-opderive-'))
  const rpc = async <T>(method: string, params: unknown[] = []): Promise<T> =>
    ((await (await fetch(anvil.rpcUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }) })).json()) as { result: T }).result
  const g = await rpc<{ hash: Hex; timestamp: Hex }>('eth_getBlockByNumber', ['0x0', false])
  const l2Genesis = `0x${'22'.repeat(32)}` as Hex
  const batches = [1, 2].map((i) => encodeSingularBatch({ parentHash: l2Genesis, epochNum: 0, epochHash: g.hash, timestamp: Number(g.timestamp) + 2 * i, transactions: [new Uint8Array([0x02, i])] }))
  const account = privateKeyToAccount(anvil.accounts[1]!.privateKey)
  const wallet = devnetWalletClient(anvil.rpcUrl, account, { chain: { id: anvil.chainId, name: 'anvil', nativeCurrency: { name: 'E', symbol: 'E', decimals: 18 }, rpcUrls: { default: { http: [anvil.rpcUrl] } } } })
  await wallet.sendTransaction({ to: INBOX, data: toHex(batcherPayload(splitFrames('66'.repeat(16), encodeChannel(batches), 1))) })
  await rpc('anvil_mine', ['0x3'])
  configFile = join(dir, 'rollup.json')
  await writeFile(configFile, JSON.stringify({
    l1_chain_id: anvil.chainId, l2_chain_id: 901,
    genesis: { l1: { hash: g.hash, number: 0 }, l2: { hash: l2Genesis, number: 0 }, l2_time: Number(g.timestamp), system_config: { batcherAddr: anvil.accounts[1]!.address, overhead: '0x00', scalar: `0x01${'00'.repeat(31)}`, gasLimit: 30000000 } },
    block_time: 2, max_sequencer_drift: 600, seq_window_size: 100, channel_timeout: 300,
    regolith_time: 0, canyon_time: 0, delta_time: 0, ecotone_time: 0, fjord_time: 0, granite_time: 0, holocene_time: 0, isthmus_time: 0,
    batch_inbox_address: INBOX, deposit_contract_address: `0x${'00'.repeat(19)}01`, l1_system_config_address: `0x${'00'.repeat(19)}02`,
  }))
}, 60_000)

afterAll(async () => {
  await anvil?.stop()
  if (dir) await rm(dir, { recursive: true, force: true })
})

describe('op derive', () => {
  it('prints the L2 blocks derived from the L1 range, with progress on stderr', async () => {
    const progress: string[] = []
    const ctx: CommandContext = {
      positionals: [],
      options: { rpc: [anvil.rpcUrl], config: configFile, from: '0', to: '4' },
      json: true,
      progress: (m) => progress.push(m),
      dataDir: dir,
      signal: new AbortController().signal,
    }
    const r = await opDeriveCommand.run(ctx)
    const j = r.json as { blocks: { number: number; txCount: number; derivedFrom: number; execution: string }[]; approximation: boolean }
    expect(j.blocks.map((b) => b.number)).toEqual([1, 2])
    expect(j.blocks.every((b) => b.txCount === 2 && b.derivedFrom === 1)).toBe(true)
    expect(j.approximation).toBe(true)
    expect(r.text).toMatch(/Derived 2 L2 block/)
    expect(progress.some((p) => /L2 blocks derived/.test(p))).toBe(true)
    await expect(opDeriveCommand.run({ ...ctx, options: { ...ctx.options, from: '1' } })).rejects.toThrow(/--from 0/)
  }, 60_000)
})

describe('op derive --start (arguments and help)', () => {
  const run = async (argv: string[]) => {
    let stdout = ''
    let stderr = ''
    const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { ESCAPE_HATCH_HOME: dir } }, new AbortController().signal)
    return { code, stdout, stderr }
  }
  const base = ['op', 'derive', '--rpc', 'http://127.0.0.1:1', '--network', 'op-sepolia', '--to', '10']

  it('says in --help what each start trusts', async () => {
    const { code, stdout } = await run(['op', 'derive', '--help'])
    expect(code).toBe(0)
    expect(stdout).toMatch(/--start/)
    expect(stdout).toMatch(/genesis +\(default\) the rollup genesis; --from must be the genesis L1 block\. Trusts only your L1 endpoints\./)
    expect(stdout).toMatch(/anchor +the AnchorStateRegistry anchor root, read at the finalized L1 head/)
    expect(stdout).toMatch(/NOT trusted: every/)
    expect(stdout).toMatch(/game:0xADDR +a dispute game that resolved DEFENDER_WINS and is past the finality delay/)
    expect(stdout).toMatch(/--l2-rpc/)
    expect(stdout).toMatch(/Isthmus and Jovian activation blocks need --l2-rpc \(any --start\)/)
  })

  it('refuses bad --start values and mixes of options, before any network access', async () => {
    const bad = await run([...base, '--start', 'latest'])
    expect(bad.code).not.toBe(0)
    expect(bad.stderr).toMatch(/--start must be genesis, anchor or game:0x<dispute game address>/)
    expect((await run([...base, '--start', 'game:0x1234'])).stderr).toMatch(/--start must be genesis, anchor or game/)
    expect((await run([...base, '--start', 'anchor'])).stderr).toMatch(/--start anchor\|game needs --l2-rpc URL/)
    expect((await run([...base, '--start', `game:0x${'ab'.repeat(20)}`])).stderr).toMatch(/needs --l2-rpc/)
    expect((await run([...base, '--start', 'anchor', '--l2-rpc', 'http://127.0.0.1:2', '--from', '5'])).stderr).toMatch(/--from is only for --start genesis/)
    expect((await run([...base, '--start', 'genesis', '--from', '5'])).stderr).toMatch(/begins at the rollup genesis: --from \d+/)
  })
})
