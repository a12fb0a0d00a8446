/**
 * Mutation check of the Electron main-process hardening (`npm run mutate:electron`). Each mutation removes or
 * weakens one guard in electron/main; for each, the electron/main tests must fail. A mutation that survives means
 * a guard can be deleted without any test noticing.
 *
 * The mutations are applied to a copy of the sources in a temporary folder, never to the working tree, so an
 * interrupted run leaves nothing behind and the real tests can run at the same time. Each mutation is an exact text
 * replacement that must match exactly once: when the code changes shape, the script fails loudly instead of
 * silently testing nothing.
 *
 *   npx tsx tools/mutate-electron.ts [--only name,name] [--json]
 */
import { spawn } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'

export interface Mutation {
  name: string
  /** What a real regression of this kind would do. */
  description: string
  edits: { file: string; from: string; to: string }[]
}

export const ELECTRON_MUTATIONS: readonly Mutation[] = [
  {
    name: 'sandbox-off',
    description: 'app.enableSandbox() removed and the window built with sandbox: false',
    edits: [
      { file: 'electron/main/index.ts', from: 'app.enableSandbox()\n', to: '' },
      { file: 'electron/main/policy/buildWindowOptions.ts', from: 'sandbox: true,', to: 'sandbox: false,' },
    ],
  },
  {
    name: 'single-instance-lock-removed',
    description: 'a second instance no longer quits (two windows over one journal)',
    edits: [{ file: 'electron/main/index.ts', from: 'if (!app.requestSingleInstanceLock()) {', to: 'if (false) {' }],
  },
  {
    name: 'will-navigate-guard-removed',
    description: 'a page may navigate the window anywhere',
    edits: [{ file: 'electron/main/index.ts', from: "contents.on('will-navigate', (event) => {\n      if (!isNavigationAllowed(event.url)) event.preventDefault()\n    })", to: "contents.on('will-navigate', () => {})" }],
  },
  {
    name: 'will-attach-webview-guard-removed',
    description: 'a page may embed a <webview>',
    edits: [{ file: 'electron/main/index.ts', from: "contents.on('will-attach-webview', (event) => event.preventDefault())", to: "contents.on('will-attach-webview', () => {})" }],
  },
  {
    name: 'ipc-sender-contents-check-removed',
    description: 'IPC from another web contents is answered',
    edits: [{ file: 'electron/main/wireIpc.ts', from: '      if (event.sender !== contents) return session.handle(channel, payload, null)\n', to: '' }],
  },
  {
    name: 'ipc-sender-frame-check-removed',
    description: 'IPC from a subframe or a foreign page in the window is answered',
    edits: [{ file: 'electron/main/wireIpc.ts', from: 'isTrustedSender: (frame) => !contents.isDestroyed() && isTrustedSenderFrame(frame, contents.mainFrame),', to: 'isTrustedSender: () => true,' }],
  },
  {
    name: 'csp-header-removed',
    description: 'responses no longer carry the Content-Security-Policy header',
    edits: [{ file: 'electron/main/hardenSession.ts', from: "callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] } })", to: 'callback({ responseHeaders: { ...details.responseHeaders } })' }],
  },
  {
    name: 'window-open-allowed',
    description: 'window.open and target=_blank open new windows',
    edits: [{ file: 'electron/main/index.ts', from: 'contents.setWindowOpenHandler(({ url }) => decideWindowOpen(url))', to: "contents.setWindowOpenHandler(() => ({ action: 'allow' }))" }],
  },
  {
    name: 'device-permission-granted',
    description: 'the page may use HID/USB/serial devices',
    edits: [{ file: 'electron/main/hardenSession.ts', from: 'session.setDevicePermissionHandler(() => false)', to: 'session.setDevicePermissionHandler(() => true)' }],
  },
  {
    name: 'request-cancel-off',
    description: 'the page may load anything from the network',
    edits: [{ file: 'electron/main/hardenSession.ts', from: 'callback({ cancel: !isRequestAllowed(details.url) })', to: 'callback({ cancel: false })' }],
  },
]

export interface MutationResult {
  name: string
  /** killed: the tests failed, as they must; survived: they passed with the guard gone. */
  outcome: 'killed' | 'survived'
  ms: number
  /** The first failing test names (for the table). */
  failingTests: string[]
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const COPIED = ['electron', 'shared', 'contracts-abi', 'build', 'package.json', 'tsconfig.base.json', 'tsconfig.node.json', 'tsconfig.shared.json']
/** Only the main-process tests: they are the ones meant to catch these mutations, and they are fast. */
const TEST_PATHS = ['electron/main']
const PER_RUN_TIMEOUT_MS = 180_000

export async function runElectronMutations(options: { only?: readonly string[]; onResult?: (r: MutationResult) => void } = {}): Promise<{ baselineOk: boolean; results: MutationResult[] }> {
  const selected = options.only ? ELECTRON_MUTATIONS.filter((m) => options.only!.includes(m.name)) : ELECTRON_MUTATIONS
  if (options.only && selected.length !== options.only.length) throw new Error(`unknown mutation in --only: ${options.only.filter((n) => !ELECTRON_MUTATIONS.some((m) => m.name === n)).join(', ')}`)
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-mutate-'))
  try {
    for (const entry of COPIED) fs.cpSync(path.join(ROOT, entry), path.join(work, entry), { recursive: true, filter: (src) => !src.includes(`${path.sep}node_modules`) })
    fs.symlinkSync(fs.realpathSync(path.join(ROOT, 'node_modules')), path.join(work, 'node_modules'), 'dir')
    fs.writeFileSync(
      path.join(work, 'vitest.mutate.config.ts'),
      "import { defineConfig } from 'vitest/config'\nexport default defineConfig({ test: { environment: 'node', pool: 'forks', include: ['electron/main/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 30_000 } })\n",
    )
    const baseline = await runTests(work)
    if (!baseline.ok) return { baselineOk: false, results: [] }
    const results: MutationResult[] = []
    for (const mutation of selected) {
      const originals = new Map<string, string>()
      try {
        for (const edit of mutation.edits) {
          const file = path.join(work, edit.file)
          const text = originals.get(file) ?? fs.readFileSync(file, 'utf8')
          if (!originals.has(file)) originals.set(file, text)
          const current = fs.readFileSync(file, 'utf8')
          const count = current.split(edit.from).length - 1
          if (count !== 1) throw new Error(`mutation ${mutation.name}: expected the text to occur once in ${edit.file}, found ${count}; update tools/mutate-electron.ts`)
          fs.writeFileSync(file, current.replace(edit.from, edit.to))
        }
        const started = Date.now()
        const run = await runTests(work)
        const result: MutationResult = { name: mutation.name, outcome: run.ok ? 'survived' : 'killed', ms: Date.now() - started, failingTests: run.failingTests.slice(0, 3) }
        results.push(result)
        options.onResult?.(result)
      } finally {
        for (const [file, text] of originals) fs.writeFileSync(file, text)
      }
    }
    return { baselineOk: true, results }
  } finally {
    fs.rmSync(work, { recursive: true, force: true })
  }
}

function runTests(work: string): Promise<{ ok: boolean; failingTests: string[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(work, 'node_modules/vitest/vitest.mjs'), 'run', '--config', 'vitest.mutate.config.ts', '--reporter', 'json', ...TEST_PATHS], {
      cwd: work,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, CI: '1', FORCE_COLOR: '0' },
    })
    let stdout = ''
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    child.stderr.resume()
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`the electron/main tests did not finish within ${PER_RUN_TIMEOUT_MS / 1000} s`))
    }, PER_RUN_TIMEOUT_MS)
    child.on('error', reject)
    child.on('exit', (code) => {
      clearTimeout(timer)
      resolve({ ok: code === 0, failingTests: failingTestNames(stdout) })
    })
  })
}

function failingTestNames(json: string): string[] {
  try {
    const report = JSON.parse(json.slice(json.indexOf('{'))) as { testResults?: { assertionResults?: { status: string; title: string }[] }[] }
    return (report.testResults ?? []).flatMap((f) => (f.assertionResults ?? []).filter((a) => a.status === 'failed').map((a) => a.title))
  } catch {
    return []
  }
}

export function formatTable(results: readonly MutationResult[]): string {
  const width = Math.max(...ELECTRON_MUTATIONS.map((m) => m.name.length), 'mutation'.length)
  const lines = [`${'mutation'.padEnd(width)}  result    time   failing test`]
  for (const r of results) lines.push(`${r.name.padEnd(width)}  ${(r.outcome === 'killed' ? 'FAILS' : 'SURVIVES').padEnd(8)}  ${`${(r.ms / 1000).toFixed(1)}s`.padStart(5)}  ${r.failingTests[0] ?? (r.outcome === 'killed' ? '(suite failed)' : '-')}`)
  return lines.join('\n')
}

async function cli(argv: string[]): Promise<number> {
  const onlyIndex = argv.indexOf('--only')
  const only = onlyIndex >= 0 ? (argv[onlyIndex + 1] ?? '').split(',').filter(Boolean) : undefined
  const json = argv.includes('--json')
  const { baselineOk, results } = await runElectronMutations({
    ...(only ? { only } : {}),
    onResult: (r) => {
      if (!json) process.stderr.write(`${r.name}: ${r.outcome === 'killed' ? 'fails the tests (good)' : 'SURVIVES'}\n`)
    },
  })
  if (!baselineOk) {
    process.stderr.write('mutate-electron: the electron/main tests fail without any mutation; fix them first.\n')
    return 1
  }
  const survived = results.filter((r) => r.outcome === 'survived')
  process.stdout.write(json ? `${JSON.stringify({ results }, null, 2)}\n` : `${formatTable(results)}\n\n${results.length - survived.length}/${results.length} mutations fail the electron/main tests.\n`)
  return survived.length === 0 ? 0 : 1
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  cli(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`mutate-electron: ${error instanceof Error ? error.message : String(error)}\n`)
      process.exitCode = 1
    },
  )
}
