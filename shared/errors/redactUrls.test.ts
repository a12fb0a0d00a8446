import { describe, expect, it } from 'vitest'
import { redactUrlsDeep, redactUrlsInText } from './redactUrls'

describe('redactUrlsInText', () => {
  it('keeps scheme and host[:port] only, and marks that more was cut', () => {
    expect(redactUrlsInText('L1 https://eth-mainnet.example.com/v2/SECRETKEY and wss://user:pw@node.example:8546/ws?key=abc')).toBe('L1 https://eth-mainnet.example.com/… and wss://node.example:8546/…')
    expect(redactUrlsInText('http://127.0.0.1:8545')).toBe('http://127.0.0.1:8545')
    expect(redactUrlsInText('http://127.0.0.1:8545/')).toBe('http://127.0.0.1:8545')
    expect(redactUrlsInText('https://rpc.example?apikey=SECRET1#frag')).toBe('https://rpc.example/…')
    expect(redactUrlsInText('ws://node.example/SECRET2 and WSS://NODE.example:443/x')).toBe('ws://node.example/… and WSS://NODE.example:443/…')
  })

  it('finds a URL glued to a long word (no word boundary before its scheme)', () => {
    expect(redactUrlsInText(`${'x'.repeat(40)}https://h.example/v2/SECRET9`)).not.toContain('SECRET9')
  })

  it('drops userinfo even with no path (user:pass@host)', () => {
    expect(redactUrlsInText('https://alice:hunter2@rpc.example:8545')).toBe('https://rpc.example:8545/…')
    expect(redactUrlsInText('http://token@rpc.example')).toBe('http://rpc.example/…')
  })

  it('handles IPv6 hosts with ports', () => {
    expect(redactUrlsInText('at http://[::1]:8545/v2/SECRETKEY123.')).toBe('at http://[::1]:8545/…')
    expect(redactUrlsInText('http://u:p@[2001:db8::1]/k')).toBe('http://[2001:db8::1]/…')
  })

  it('finds URLs in viem error text and in JSON inside strings, plain or escaped', () => {
    const viem = [
      'HTTP request failed.',
      '',
      'Status: 500',
      'URL: http://127.0.0.1:40123/v2/SECRETKEY123',
      'Request body: {"method":"eth_chainId","params":[],"url":"http://127.0.0.1:40123/v2/SECRETKEY123"}',
      '',
      'Version: viem@2.0.0',
    ].join('\n')
    const out = redactUrlsInText(viem)
    expect(out).not.toContain('SECRETKEY123')
    expect(out).toContain('URL: http://127.0.0.1:40123/…\n')
    expect(out).toContain('"url":"http://127.0.0.1:40123/…"}')
    const escaped = JSON.stringify(JSON.stringify({ url: 'https://h.example/v2/SECRETKEY123' })).replace(/\//g, '\\/')
    expect(redactUrlsInText(escaped)).not.toContain('SECRETKEY123')
    expect(redactUrlsInText('{"u":"http:\\/\\/h.example\\/v2\\/SECRETKEY123","n":1}')).toBe('{"u":"http:\\/\\/h.example\\/…","n":1}')
  })

  it('stays linear on long runs that look like scheme starts (base64, dotted names)', () => {
    const long = `${'a+b.'.repeat(250_000)}://x`
    const t0 = Date.now()
    redactUrlsInText(long)
    expect(Date.now() - t0).toBeLessThan(2000)
  })

  it('leaves text without URLs alone', () => {
    for (const t of ['schema escape-hatch/unsigned-tx', 'ratio 1:2 //comment', 'a:b', '']) expect(redactUrlsInText(t)).toBe(t)
  })
})

describe('redactUrlsDeep', () => {
  it('redacts every string at any depth, keeping the top-level keys it is told to', () => {
    const value = { type: 'job.created', title: 'x https://a.example/K1', params: { l1: ['https://b.example/K2'] }, nested: [{ e: 'https://c.example/K3' }], n: 1, b: true, z: null }
    expect(redactUrlsDeep(value, { keepKeys: ['params'] })).toEqual({ type: 'job.created', title: 'x https://a.example/…', params: { l1: ['https://b.example/K2'] }, nested: [{ e: 'https://c.example/…' }], n: 1, b: true, z: null })
    expect(JSON.stringify(redactUrlsDeep(value))).not.toMatch(/K[123]/)
  })
})
