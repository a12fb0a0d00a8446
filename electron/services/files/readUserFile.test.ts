import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { execFileSync, spawn } from 'node:child_process'
import { afterEach, describe, expect, it } from 'vitest'
import { readUserFile, readUserTextFile, readUserTextFileSync, UserFileError } from './readUserFile'

const dirs: string[] = []
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-userfile-'))
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true })
})

const posix = process.platform !== 'win32'

describe('readUserFile', () => {
  it('reads a file up to the limit and refuses one byte more', async () => {
    const dir = tempDir()
    const file = path.join(dir, 'ok.json')
    fs.writeFileSync(file, 'x'.repeat(200_000))
    expect((await readUserFile(file, { what: 'test file', maxBytes: 200_000 })).length).toBe(200_000)
    expect(await readUserTextFile(file, { what: 'test file', maxBytes: 200_000 })).toHaveLength(200_000)
    expect(readUserTextFileSync(file, { what: 'test file', maxBytes: 200_000 })).toHaveLength(200_000)
    await expect(readUserFile(file, { what: 'test file', maxBytes: 199_999 })).rejects.toThrow(/ok\.json is larger than 199999 bytes, more than a test file can be/)
    expect(() => readUserTextFileSync(file, { what: 'test file', maxBytes: 199_999 })).toThrow(UserFileError)
  })

  it.runIf(posix)('stops at the limit on /dev/zero (stat says 0 bytes) instead of reading forever', async () => {
    const started = Date.now()
    const error = await readUserFile('/dev/zero', { what: 'rollup config', maxBytes: 1024 * 1024 }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(UserFileError)
    expect((error as UserFileError).shortMessage).toBe('/dev/zero is larger than 1 MiB, more than a rollup config can be.')
    expect((error as UserFileError).kind).toBe('user-action')
    expect(Date.now() - started).toBeLessThan(5_000)
    expect(() => readUserTextFileSync('/dev/zero', { what: 'mnemonic file', maxBytes: 4096 })).toThrow(/larger than 4 KiB/)
  })

  it.runIf(posix)('stops at the limit on an endless pipe', async () => {
    const dir = tempDir()
    const fifo = path.join(dir, 'pipe')
    execFileSync('mkfifo', [fifo])
    const writer = spawn('sh', ['-c', `yes > '${fifo}'`], { stdio: 'ignore' })
    try {
      await expect(readUserFile(fifo, { what: 'batcher transaction', maxBytes: 100_000 })).rejects.toThrow(/larger than 100000 bytes/)
    } finally {
      writer.kill('SIGKILL')
    }
  })

  it('refuses a folder and names a missing file', async () => {
    const dir = tempDir()
    await expect(readUserFile(dir, { what: 'network file', maxBytes: 1000 })).rejects.toThrow(`${dir} is a folder, not a network file.`)
    expect(() => readUserTextFileSync(dir, { what: 'network file', maxBytes: 1000 })).toThrow(/is a folder/)
    const missing = path.join(dir, 'nope.json')
    await expect(readUserFile(missing, { what: 'network file', maxBytes: 1000 })).rejects.toThrow(`Cannot read the network file ${missing}: there is no such file.`)
  })

  it('refuses bytes that are not UTF-8 when text is wanted', async () => {
    const file = path.join(tempDir(), 'bin')
    fs.writeFileSync(file, Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))
    await expect(readUserTextFile(file, { what: 'rollup config', maxBytes: 100 })).rejects.toThrow(/is not UTF-8 text/)
  })

  it.runIf(posix)('stops when the command is interrupted', async () => {
    const controller = new AbortController()
    const reading = readUserFile('/dev/zero', { what: 'batcher transaction', maxBytes: 1024 * 1024 * 1024, signal: controller.signal })
    setTimeout(() => controller.abort(new Error('Interrupted.')), 20)
    await expect(reading).rejects.toThrow('Interrupted.')
  })
})
