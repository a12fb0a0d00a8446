// Is the built CLI (out/cli, made by tools/buildCli.mjs) current with the sources? Run at every `escape-hatch` start,
// so it must stay cheap: one small JSON read and one stat per source file the bundle was built from (about 350).
//
// The stamp (out/cli/stamp.json) lists every input of the bundle that is ours (sources, package.json, the lock files
// that pin the bundled dependencies, the build script) with its size and mtime at build time. Any difference — an
// edit, a `touch`, a checkout, a deleted file, `npm ci` — makes the bundle stale, and the launcher never runs it.
// mtime + size, not a content hash: hashing 3 MB of sources would cost more than the rest of a `--help`.
import * as fs from 'node:fs'
import * as path from 'node:path'

export const CLI_OUT_DIR = path.join('out', 'cli')
export const STAMP_FILE = 'stamp.json'
export const STAMP_VERSION = 1

/**
 * @param {string} root the repository root
 * @returns {{ fresh: true, entry: string } | { fresh: false, reason: string }}
 */
export function freshCliBundle(root) {
  const outDir = path.join(root, CLI_OUT_DIR)
  let stamp
  try {
    stamp = JSON.parse(fs.readFileSync(path.join(outDir, STAMP_FILE), 'utf8'))
  } catch {
    return { fresh: false, reason: 'no build stamp (the CLI was never built here)' }
  }
  const inputs = stamp?.inputs
  if (stamp?.version !== STAMP_VERSION || typeof stamp.entry !== 'string' || !/^[\w-]+\/main\.mjs$/.test(stamp.entry) || typeof inputs !== 'object' || inputs === null) {
    return { fresh: false, reason: 'unreadable build stamp' }
  }
  for (const [file, recorded] of Object.entries(inputs)) {
    const st = fs.statSync(path.join(root, file), { throwIfNoEntry: false })
    if (!st) return { fresh: false, reason: `${file} is gone` }
    if (!Array.isArray(recorded) || st.size !== recorded[0] || st.mtimeMs !== recorded[1]) return { fresh: false, reason: `${file} changed` }
  }
  const entry = path.join(outDir, stamp.entry)
  if (!fs.existsSync(entry)) return { fresh: false, reason: `${stamp.entry} is missing` }
  return { fresh: true, entry }
}
