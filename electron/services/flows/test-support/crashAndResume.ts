/**
 * Test support, parent side of the kill -9 tests: runs an escape job in child processes (crashingChild.ts) that die
 * at one journal record after another, each resuming from the journal on disk, until the job's end.
 *
 * The child is bundled once with esbuild (the CLI's settings, tools/buildCli.mjs) and started as plain JavaScript:
 * compiling the TypeScript sources through tsx in every child cost seconds of CPU each, dozens of times a test.
 * Everything is bounded: each child gets `childTimeoutMs` (then it is killed and the test fails), the loop
 * `maxRuns` children; a failure says what happened with the crash points so far and the job's journal.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { JournalStore } from '../../journal/JournalStore'
import { recordKey } from './crashingChild'

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url))
/** As tools/buildCli.mjs: native addons and modules that read files next to themselves stay outside the bundle. */
const EXTERNAL = ['electron', 'c-kzg', 'node-hid', 'usb', 'bufferutil', 'utf-8-validate', '@ledgerhq/*']
const REQUIRE_SHIM = "import { createRequire as __ehCreateRequire } from 'node:module'; const require = __ehCreateRequire(import.meta.url);"

export interface BundledChild {
  /** The bundled child, to run with `node <script>`. */
  script: string
  dispose(): void
}

/**
 * Bundles a child entry (a .ts file that starts itself when its environment says so) into out/test-children/ (inside
 * the checkout, so the external packages resolve from its node_modules).
 */
export async function bundleChild(entry: URL): Promise<BundledChild> {
  const esbuild = await import('esbuild')
  const parent = join(ROOT, 'out', 'test-children')
  mkdirSync(parent, { recursive: true })
  const dir = mkdtempSync(join(parent, 'child-'))
  const script = join(dir, 'child.mjs')
  await esbuild.build({
    entryPoints: [fileURLToPath(entry)],
    outfile: script,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: EXTERNAL,
    banner: { js: REQUIRE_SHIM },
    keepNames: true,
    logLevel: 'silent',
  })
  return { script, dispose: () => rmSync(dir, { recursive: true, force: true }) }
}

export interface ChildRun {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
  ms: number
  /** Killed by the parent after `timeoutMs`. */
  timedOut: boolean
}

/** Runs `node script` with `env` added, for at most `timeoutMs` (then SIGKILL, timedOut). */
export function runChild(script: string, env: Record<string, string>, timeoutMs: number): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const started = Date.now()
    const child = spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    let timedOut = false
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()))
    child.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-20_000)))
    const timer = setTimeout(() => {
      timedOut = true
      child.kill('SIGKILL')
    }, timeoutMs)
    child.on('error', (e) => {
      clearTimeout(timer)
      reject(e)
    })
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr, ms: Date.now() - started, timedOut })
    })
  })
}

/** The job's journal, one line a record (type, step, tx hash), for a failure message. */
export async function describeJournal(dir: string, jobId: string): Promise<string> {
  const store = await JournalStore.open(dir)
  try {
    const { records, damaged } = await store.load(jobId)
    return `${records.map((r) => `  #${r.seq} ${recordKey(r as never)}${r.type === 'step.failed' || r.type === 'step.waiting' ? ` ${JSON.stringify(r).slice(0, 300)}` : ''}`).join('\n')}${damaged ? '\n  (damaged)' : ''}`
  } finally {
    store.close()
  }
}

async function lastRecordKey(dir: string, jobId: string): Promise<string | undefined> {
  const store = await JournalStore.open(dir)
  try {
    const last = (await store.load(jobId)).records.at(-1)
    return last ? recordKey(last as never) : undefined
  } finally {
    store.close()
  }
}

export interface CrashAndResumeParameters {
  script: string
  /** The child's environment: ESCAPE_JOB_DIR and ESCAPE_JOB_ID at least, and what the child needs (RPC URLs …). */
  env: Record<string, string>
  dir: string
  jobId: string
  /** Only records of these types are crash points (default: every record but job.finished). */
  killTypes?: readonly string[]
  maxRuns: number
  childTimeoutMs: number
  /**
   * A child that ended without being killed and without a result: 'again' resumes it (after doing what it asked,
   * e.g. confirm an assertion, or a temporary stop), anything else fails the test.
   */
  onStop?: (run: ChildRun) => Promise<'again' | 'fail'>
  /** After each crash (the key of the record the child died after), e.g. to change the devnet at that point. */
  onCrash?: (key: string) => Promise<void>
  /** Progress lines (crash points, stops, durations); default: none. */
  log?: (line: string) => void
}

export interface CrashAndResumeReturnType<R> {
  result: R
  /** The records the children died after, in order. */
  killedAt: string[]
  /** Children that stopped on their own (onStop said 'again'). */
  stops: number
  runs: number
}

export async function crashAndResume<R>(p: CrashAndResumeParameters): Promise<CrashAndResumeReturnType<R>> {
  const killedAt: string[] = []
  let stops = 0
  const fail = async (why: string, run?: ChildRun): Promise<never> => {
    throw new Error(
      `${why}\ncrash points so far: ${killedAt.join(', ') || 'none'}\n${run ? `child stderr (tail):\n${run.stderr.slice(-4000)}\n` : ''}journal:\n${await describeJournal(p.dir, p.jobId)}`,
    )
  }
  for (let runs = 1; runs <= p.maxRuns; runs++) {
    const env = { ...p.env, ESCAPE_KILLED_KEYS: JSON.stringify(killedAt), ...(p.killTypes ? { ESCAPE_KILL_TYPES: JSON.stringify(p.killTypes) } : {}) }
    const run = await runChild(p.script, env, p.childTimeoutMs)
    if (run.timedOut) return fail(`child ${runs} ran longer than ${p.childTimeoutMs} ms (no crash point, no end)`, run)
    if (run.signal === 'SIGKILL') {
      const key = await lastRecordKey(p.dir, p.jobId)
      if (!key) return fail(`child ${runs} died before writing any record`, run)
      // Each crash point once: a resumed child must get past the record the previous one died after.
      if (killedAt.includes(key)) return fail(`child ${runs} died after ${key} again`, run)
      killedAt.push(key)
      p.log?.(`child ${runs}: killed after ${key} (${run.ms} ms)`)
      await p.onCrash?.(key)
      continue
    }
    if (run.code === 0) {
      p.log?.(`child ${runs}: done (${run.ms} ms)`)
      return { result: JSON.parse(run.stdout) as R, killedAt, stops, runs }
    }
    if ((await p.onStop?.(run)) === 'again') {
      stops++
      p.log?.(`child ${runs}: stopped with exit ${run.code} (${run.ms} ms), resumed`)
      continue
    }
    return fail(`child ${runs} failed (exit ${run.code}, signal ${run.signal})`, run)
  }
  return fail(`the job did not end within ${p.maxRuns} children`)
}
