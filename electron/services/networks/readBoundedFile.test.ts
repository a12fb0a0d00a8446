import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readBoundedFile } from './readBoundedFile'

const dir = mkdtempSync(join(tmpdir(), 'eh-bounded-'))

describe('readBoundedFile', () => {
  it('reads a file up to the limit exactly', async () => {
    const path = join(dir, 'ok.json')
    writeFileSync(path, 'x'.repeat(1000))
    expect((await readBoundedFile({ path, maxBytes: 1000 })).length).toBe(1000)
    await expect(readBoundedFile({ path, maxBytes: 999 })).rejects.toThrow(/too large: more than 999 bytes/)
  })

  it.runIf(existsSync('/dev/zero'))('fails fast on /dev/zero (stat says 0 bytes; the stream never ends)', async () => {
    const started = performance.now()
    await expect(readBoundedFile({ path: '/dev/zero', maxBytes: 256 * 1024, expected: 'a network file' })).rejects.toThrow(/\/dev\/zero is too large: more than 262144 bytes, larger than a network file can be/)
    expect(performance.now() - started).toBeLessThan(2000)
  })

  it.runIf(spawnSync('mkfifo', ['--version']).status === 0)('stops reading an endless pipe at the limit', async () => {
    const fifo = join(dir, 'pipe')
    spawnSync('mkfifo', [fifo])
    const writer = spawn('sh', ['-c', `yes > '${fifo}'`], { stdio: 'ignore' })
    try {
      await expect(readBoundedFile({ path: fifo, maxBytes: 100_000 })).rejects.toThrow(/too large/)
    } finally {
      writer.kill('SIGTERM')
    }
  })

  it('says plainly when the file is missing or a folder', async () => {
    await expect(readBoundedFile({ path: join(dir, 'nope.json'), maxBytes: 10 })).rejects.toThrow(/Cannot read .*nope\.json: there is no such file/)
    await expect(readBoundedFile({ path: dir, maxBytes: 10 })).rejects.toThrow(/Cannot read .*: it is a folder/)
  })
})
