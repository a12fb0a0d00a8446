import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { describe, expect, it } from 'vitest'
import { EscapeError } from '../../../shared/errors/EscapeError'
import { L1WrongChainError } from '../l1/openL1Gateway'
import { scrubError } from './scrubError'
import { writeReportFiles } from './writeReportFiles'

const KEY = 'e2eSECRETkey123'

describe('errors and reports on their way out of main', () => {
  it('lose every URL path and query (where API keys sit), keeping class, kind, steps and cause chain', () => {
    // viem's own messages quote the request URL in full.
    const viemLike = new Error(`HTTP request failed.\n\nURL: https://mainnet.infura.io/v3/${KEY}\nRequest body: {"method":"eth_chainId"}`)
    const error = new L1WrongChainError(`https://eth.example/rpc?apikey=${KEY}`, 5, 1, 'Arbitrum One')
    Object.defineProperty(error, 'cause', { value: new EscapeError('The L1 endpoint did not answer.', { cause: viemLike, steps: [`Check https://eth.example/${KEY}`] }) })
    const scrubbed = scrubError(error)
    expect(scrubbed).toBeInstanceOf(L1WrongChainError)
    expect(scrubbed.kind).toBe('user-action')
    expect(scrubbed.shortMessage).toBe('The L1 endpoint https://eth.example/… is on chain 5, but Arbitrum One is chain 1.')
    const all = JSON.stringify([scrubbed.shortMessage, scrubbed.steps, scrubbed.details, (scrubbed.cause as EscapeError).steps, ((scrubbed.cause as EscapeError).cause as EscapeError).details])
    expect(all).not.toContain(KEY)
    expect(all).toContain('https://mainnet.infura.io/…')
  })

  it('writes HTML + JSON reports with URLs cut to host whatever the caller passed', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-reports-'))
    const written = writeReportFiles(dir, 'diagnosis-test', `<p>https://rpc.example/v3/${KEY}</p>`, { l1: `https://rpc.example/v3/${KEY}` })
    for (const file of [written.htmlPath, written.jsonPath]) {
      const text = fs.readFileSync(file, 'utf8')
      expect(text).not.toContain(KEY)
      expect(text).toContain('https://rpc.example/…')
    }
    expect(() => writeReportFiles(dir, '../escape', '', {})).toThrow(RangeError)
  })
})
