import { describe, expect, it } from 'vitest'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { opDecodeBatcherTxCommand } from './op-decode-batcher-tx'
import type { CommandContext } from '../command'
import { readVectorBytes } from '../../../fixtures/vectors'

function ctx(positionals: string[], options: CommandContext['options'] = {}): CommandContext {
  return { positionals, options, json: true, progress: () => undefined, dataDir: tmpdir(), signal: new AbortController().signal }
}

describe('op decode-batcher-tx', () => {
  it('decodes the real OP Mainnet batcher tx (binary and hex files) to its span batch', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'eh-opdec-'))
    try {
      const bin = readVectorBytes('op/derive/op-mainnet-batcher-tx.bin')
      await writeFile(join(dir, 'tx.bin'), bin)
      await writeFile(join(dir, 'tx.hex'), `0x${Buffer.from(bin).toString('hex')}\n`)
      for (const f of ['tx.bin', 'tx.hex']) {
        const r = await opDecodeBatcherTxCommand.run(ctx([join(dir, f)]))
        const j = r.json as { transaction: { hash: string }; channels: { batches: { type: string; blockCount: number; txCount: number; firstTimestamp: number; blocks: { txHashes: string[] }[] }[] }[] }
        expect(j.transaction.hash).toBe('0xe69d94330faafb4f716f7ad9b3b50ea8ff5ce57aea6d2f8be07afb7fe49cd6cf')
        const b = j.channels[0]!.batches[0]!
        expect([b.type, b.blockCount, b.txCount, b.firstTimestamp]).toEqual(['span', 27, 209, 1710338157])
        expect(b.blocks[0]!.txHashes[0]).toBe('0xc2c175d4afe62e6843deab420ce6b3711de15939d36ce074a46648b7a1d78373')
        expect(r.text).toContain('span batch: 27 block(s), 209 tx(s)')
      }
      // calldata alone (version byte first) works too
      const calldataStart = Buffer.from(bin).indexOf(Buffer.from('00ac329933f5efdcc35ccd284232a376d3', 'hex'))
      await writeFile(join(dir, 'calldata.bin'), bin.subarray(calldataStart, calldataStart + 119_823))
      const r = await opDecodeBatcherTxCommand.run(ctx([join(dir, 'calldata.bin')]))
      expect((r.json as { transaction?: unknown }).transaction).toBeUndefined()
      expect(r.text).toContain('1 frame(s)')
      // garbage is a clear user-facing error, not a crash
      await writeFile(join(dir, 'junk.bin'), new Uint8Array([0x05, 1, 2, 3]))
      await expect(opDecodeBatcherTxCommand.run(ctx([join(dir, 'junk.bin')]))).rejects.toThrow(/not an OP batcher transaction/)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
