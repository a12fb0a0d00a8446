import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { encodeFunctionData, zeroAddress, type Hex } from 'viem'
import { afterAll, describe, expect, it } from 'vitest'
import { sequencerInboxAbi } from '../../../contracts-abi/arbitrum-nitro/SequencerInbox'
import { main } from '../main'
import { vectorPath } from '../../../fixtures/vectors'

const home = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-arb-decode-'))
afterAll(() => fs.rmSync(home, { recursive: true, force: true }))
const vector = (name: string): string => vectorPath(`arbitrum/${name}`)

async function run(...argv: string[]) {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { ESCAPE_HATCH_HOME: home } }, new AbortController().signal)
  return { code, stdout, stderr }
}

describe('escape-hatch arb decode-batch', () => {
  const batchFile = vector('arb1-batch-data.json')
  const expected = JSON.parse(fs.readFileSync(batchFile.replace('.json', '.expected.json'), 'utf8')) as { expected: { firstTxHash: string; lastTxHash: string } }

  it('decodes the real Arbitrum One batch data file (JSON) to 278 messages and 622 tx hashes', async () => {
    const r = await run('arb', 'decode-batch', batchFile, '--json')
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out.input.format).toBe('data')
    expect(out.payloadKind).toBe('brotli')
    expect(out.messageCount).toBe(278)
    expect(out.transactionCount).toBe(622)
    expect(out.txHashes[0]).toBe(expected.expected.firstTxHash)
    expect(out.txHashes.at(-1)).toBe(expected.expected.lastTxHash)
    expect(out.segmentKindCounts).toEqual({ L2Message: 278, AdvanceTimestamp: 72, AdvanceL1BlockNumber: 6 })
  })

  it('recognises the calldata of addSequencerL2BatchFromOrigin (hex file without 0x)', async () => {
    const { data } = JSON.parse(fs.readFileSync(batchFile, 'utf8')) as { data: Hex }
    const calldata = encodeFunctionData({ abi: sequencerInboxAbi, functionName: 'addSequencerL2BatchFromOrigin', args: [1234n, data, 77n, zeroAddress, 10n, 288n] })
    const file = path.join(home, 'calldata.hex')
    fs.writeFileSync(file, calldata.slice(2))
    const r = await run('arb', 'decode-batch', file, '--json')
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out.calldata).toMatchObject({ function: 'addSequencerL2BatchFromOrigin', sequenceNumber: '1234', afterDelayedMessagesRead: '77' })
    expect(out.transactionCount).toBe(622)
  })

  it('reads a full sequencer message with its 40-byte header (Nitro devnet batch 5)', async () => {
    const inputs = JSON.parse(fs.readFileSync(vector('nitro-block-inputs.json'), 'utf8')) as { BatchInfo: { DataB64: string }[] }
    const file = path.join(home, 'seqmsg.bin')
    fs.writeFileSync(file, Buffer.from(inputs.BatchInfo[0]!.DataB64, 'base64'))
    const r = await run('arb', 'decode-batch', file, '--format', 'sequencer-message', '--chain-id', '412346', '--delayed-read', '1', '--json')
    expect(r.code).toBe(0)
    const out = JSON.parse(r.stdout)
    expect(out.header).toEqual({ minTimestamp: '1774865097', maxTimestamp: '1774955097', minL1Block: '0', maxL1Block: '44', afterDelayedMessagesRead: '1' })
    expect(out.txHashes).toEqual(['0x3d8c057622d7a3a23c901469f63ad165cdf12cbbeddd0bc9c29eb50a6e6226a1', '0xea61fc85b4370956eab393c968a3abaece138fdba430b57b57edd207e913f17d'])
  })

  it('reports an AnyTrust certificate as data not on L1, and fails clearly on garbage', async () => {
    const das = path.join(home, 'das.hex')
    fs.writeFileSync(das, `0x88${'11'.repeat(32)}${'22'.repeat(32)}${'00'.repeat(8)}01${'00'.repeat(8)}${'33'.repeat(96)}`)
    const r = await run('arb', 'decode-batch', das)
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('Data NOT on L1')
    const bad = path.join(home, 'bad.json')
    fs.writeFileSync(bad, '{"nope": 1}')
    const b = await run('arb', 'decode-batch', bad)
    expect(b.code).toBe(1)
    expect(b.stderr).toMatch(/no "data"/)
  })
})
