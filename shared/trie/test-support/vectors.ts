/** Test-only access to the shared real-chain vectors (/work/shared/vectors; override with ESCAPE_HATCH_VECTORS). */
import { readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
export const VECTORS_DIR = process.env.ESCAPE_HATCH_VECTORS ?? resolve(repoRoot, '../shared/vectors')

export function vectorPath(rel: string): string {
  return resolve(VECTORS_DIR, rel)
}

export function readVectorJson<T = unknown>(rel: string): T {
  return JSON.parse(readFileSync(vectorPath(rel), 'utf8')) as T
}

export function fromHex(hex: string): Uint8Array {
  return new Uint8Array(Buffer.from(hex.replace(/^0x/, ''), 'hex'))
}

export function toHex(bytes: Uint8Array): `0x${string}` {
  return `0x${Buffer.from(bytes).toString('hex')}`
}
