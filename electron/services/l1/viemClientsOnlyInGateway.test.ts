/**
 * Issue 11 #3: viem clients are built only in electron/services/l1 (the L1 gateway, the untrusted L2 client, the
 * broadcaster's per-endpoint clients) and electron/devnet (clients to the devnet's own nodes). A file elsewhere that
 * imports a client or transport constructor from viem fails this test. The scan reads viem imports, not words, so
 * "http(s)" in a comment or a URL check (navigationPolicy.ts, opDeriveSchemas.ts) does not trigger it.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = join(__dirname, '..', '..', '..')
const SCANNED = ['electron', 'shared', 'bench', 'e2e', 'tools', 'renderer', 'bin']
const ALLOWED = ['electron/services/l1/', 'electron/devnet/']
/** What builds a client or a transport (viem's public API). */
const CONSTRUCTORS = new Set(['createPublicClient', 'createWalletClient', 'createTestClient', 'createClient', 'http', 'webSocket', 'fallback', 'custom', 'ipc'])

/** The client/transport constructors a source file imports from viem (any viem entry point), by name. */
export function viemClientConstructors(source: string): string[] {
  const found: string[] = []
  const imports = /import\s+(type\s+)?\{([^}]*)\}\s*from\s*['"]viem(\/[^'"]*)?['"]/g
  for (let m = imports.exec(source); m; m = imports.exec(source)) {
    if (m[1]) continue // import type { … }: no value
    for (const spec of (m[2] ?? '').split(',')) {
      const parts = spec.trim().split(/\s+as\s+/)
      const name = parts[0]?.trim() ?? ''
      if (name.startsWith('type ')) continue
      if (CONSTRUCTORS.has(name)) found.push(name)
    }
  }
  // A namespace import (import * as viem from 'viem') could reach them too: treat it as a constructor import.
  if (/import\s+\*\s+as\s+\w+\s+from\s*['"]viem(\/[^'"]*)?['"]/.test(source)) found.push('* (namespace import)')
  if (/require\(\s*['"]viem(\/[^'"]*)?['"]\s*\)|import\(\s*['"]viem(\/[^'"]*)?['"]\s*\)/.test(source)) found.push('require/import() of viem')
  return found
}

function sources(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.') || e.name === 'out' || e.name === 'dist') continue
    const p = join(dir, e.name)
    if (e.isDirectory()) sources(p, out)
    else if (/\.(ts|tsx|mts|mjs|js)$/.test(e.name) && !e.name.endsWith('.d.ts')) out.push(p)
  }
  return out
}

describe('viem clients are built only in the L1 gateway and the devnet', () => {
  it('the scan finds a client constructor, and not the word http( in prose or URL checks', () => {
    expect(viemClientConstructors("import { createPublicClient, http, type Hex } from 'viem'")).toEqual(['createPublicClient', 'http'])
    expect(viemClientConstructors("import {\n  parseEther,\n  webSocket as ws,\n} from 'viem'")).toEqual(['webSocket'])
    expect(viemClientConstructors("import type { PublicClient, Transport } from 'viem'")).toEqual([])
    expect(viemClientConstructors("import { type Transport, custom } from 'viem'")).toEqual(['custom'])
    expect(viemClientConstructors("import * as viem from 'viem'")).toHaveLength(1)
    expect(viemClientConstructors(readFileSync(join(ROOT, 'electron/main/policy/navigationPolicy.ts'), 'utf8'))).toEqual([])
    expect(viemClientConstructors(readFileSync(join(ROOT, 'shared/ipc/opDeriveSchemas.ts'), 'utf8'))).toEqual([])
    // And a real builder is found (this folder's own files are allowed, not invisible).
    expect(viemClientConstructors(readFileSync(join(ROOT, 'electron/services/l1/endpointClients.ts'), 'utf8'))).toContain('createPublicClient')
  })

  it('no file outside electron/services/l1 and electron/devnet builds a viem client', () => {
    const offenders: string[] = []
    for (const top of SCANNED) {
      let files: string[]
      try {
        files = sources(join(ROOT, top))
      } catch {
        continue
      }
      for (const file of files) {
        const rel = relative(ROOT, file).split(sep).join('/')
        if (ALLOWED.some((a) => rel.startsWith(a))) continue
        const found = viemClientConstructors(readFileSync(file, 'utf8'))
        if (found.length > 0) offenders.push(`${rel}: ${found.join(', ')}`)
      }
    }
    expect(offenders, 'build clients through electron/services/l1 (openL1Gateway, openUntrustedL2Client, createEndpointClients) or electron/devnet/devnetClients').toEqual([])
  })
})
