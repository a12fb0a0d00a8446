import * as fs from 'node:fs'
import * as net from 'node:net'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ChosenPathRefusedError, writeFileAtChosenPath } from './writeFileAtChosenPath'

let dir: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-chosen-'))
})
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true })
})

describe('writeFileAtChosenPath', () => {
  it('writes a new file and replaces an existing regular file, leaving no temporary file', () => {
    const file = path.join(dir, 'report.html')
    expect(writeFileAtChosenPath(file, '<p>one</p>')).toEqual({ path: file, bytes: 10 })
    writeFileAtChosenPath(file, '<p>two ✓</p>')
    expect(fs.readFileSync(file, 'utf8')).toBe('<p>two ✓</p>')
    expect(fs.readdirSync(dir)).toEqual(['report.html'])
    expect(fs.statSync(file).mode & 0o777).toBe(0o600)
  })

  it('refuses relative paths, folders, links, devices, sockets and missing folders, and writes nothing', async () => {
    const link = path.join(dir, 'link.html')
    fs.writeFileSync(path.join(dir, 'target.html'), 'keep')
    fs.symlinkSync(path.join(dir, 'target.html'), link)
    const socketPath = path.join(dir, 's.sock')
    const server = net.createServer().listen(socketPath)
    await new Promise((r) => server.once('listening', r))
    try {
      const cases: [string, RegExp][] = [
        ['report.html', /full path/],
        [dir, /a folder, not a file/],
        [`${dir}/`, /a folder, not a file/],
        [link, /a link/],
        ['/dev/null', /device or another special file/],
        [socketPath, /device or another special file/],
        [path.join(dir, 'missing', 'r.html'), /its folder does not exist/],
        [path.join(dir, 'target.html', 'r.html'), /its folder is not a folder/],
        [`${dir}/a\0b`, /not a file path/],
      ]
      for (const [target, why] of cases) {
        let error: unknown
        try {
          writeFileAtChosenPath(target, 'x')
        } catch (e) {
          error = e
        }
        expect(error, target).toBeInstanceOf(ChosenPathRefusedError)
        expect((error as ChosenPathRefusedError).shortMessage, target).toMatch(why)
        expect((error as ChosenPathRefusedError).kind).toBe('user-action')
      }
      expect(fs.readFileSync(path.join(dir, 'target.html'), 'utf8')).toBe('keep')
      expect(fs.readdirSync(dir).sort()).toEqual(['link.html', 's.sock', 'target.html'])
    } finally {
      server.close()
    }
  })
})
