import { describe, expect, it } from 'vitest'
import { escapeHtml, renderHtmlPage } from './htmlPage'

describe('renderHtmlPage', () => {
  it('cuts every URL in an HTML report to its host, escaped quotes and all (drill and job reports)', () => {
    const viem = 'RPC Request failed.\nURL: http://127.0.0.1:8545/v2/SECRETKEY123\nRequest body: {"url":"https://u:p@rpc.example/v3/SECRETKEY123?x=1"}'
    const page = renderHtmlPage('Report for https://rpc.example/v2/SECRETKEY123', `<pre>${escapeHtml(viem)}</pre>`)
    expect(page).not.toContain('SECRETKEY123')
    expect(page).not.toContain('u:p@')
    expect(page).toContain('URL: http://127.0.0.1:8545/…')
    expect(page).toContain('https://rpc.example/…')
  })
})
