// Builds the `escape-hatch` CLI into out/cli with esbuild, so a start loads plain JavaScript instead of compiling the
// TypeScript sources through tsx (3–4 s before anything printed). Run by `npm run build:cli`, by `npm ci`/`npm
// install` (the `prepare` script), and by the launcher (bin/escape-hatch.mjs) whenever the stamp says the sources
// changed since the last build. The sources stay the single truth: out/cli is a cache of them, never edited, never
// committed, and never run when stale (bin/freshCliBundle.mjs).
//
// Lazy commands: `--help` must not load every command's code (viem, the EVM, the devnet …). Pass 1 bundles the
// command table and runs it once in a child process to read each command's description (path, summary, args,
// options: plain data). Pass 2 bundles electron/cli/main.ts with the command table replaced by that data plus a `run`
// that imports the command's own module (its own chunk) on first use. electron/cli stays unchanged, so the tests and
// the tsx fallback run the same table.
//
// Workers: a module that starts itself on a worker thread (`spawnModuleWorker(import.meta.url, …)`) becomes an entry
// of its own (worker-<name>.mjs), and in the build its `import.meta.url` there names that entry, so the worker loads
// only its own code (never the CLI, never another worker module).
//
// Each build is a folder of its own (out/cli/<id>/), written under a temporary name and renamed into place; then the
// stamp (out/cli/stamp.json, naming that folder) is renamed into place. A CLI starting while another process rebuilds
// sees the old complete build or the new one, and a running CLI keeps its own build's chunks and workers. A lock file
// keeps concurrent launchers from building twice at once.
import { execFile } from 'node:child_process'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { CLI_OUT_DIR, STAMP_FILE, STAMP_VERSION } from '../bin/freshCliBundle.mjs'

const THIS_FILE = fileURLToPath(import.meta.url)
const execFileAsync = promisify(execFile)
// Forward slashes: esbuild's metafile names files that way on every platform.
const COMMANDS_DIR = 'electron/cli/commands'
const MAIN = 'electron/cli/main.ts'
const TABLE_ENTRY = 'command-table'
const TABLE_NAMESPACE = 'eh-command-table'
/** Native addons and modules loaded at run time through createRequire (they read files next to themselves). */
const EXTERNAL = ['electron', 'c-kzg', 'node-hid', 'usb', 'bufferutil', 'utf-8-validate', '@ledgerhq/*']
/** Our bundled CommonJS dependencies call require(); an ESM bundle has none unless we make one. */
const REQUIRE_SHIM = "import { createRequire as __ehCreateRequire } from 'node:module'; const require = __ehCreateRequire(import.meta.url);"
/** Files that are not imported but decide what the bundle contains. */
const EXTRA_INPUTS = ['package.json', 'package-lock.json', 'node_modules/.package-lock.json', 'tools/buildCli.mjs', 'bin/freshCliBundle.mjs']
/** How a worker module starts itself (electron/services/processes/spawnModuleWorker.ts); found by this text. */
const WORKER_CALL = 'spawnModuleWorker(import.meta.url'
const WORKER_SOURCES = 'electron'
const LOCK_WAIT_MS = 120_000
/** Earlier builds kept besides the current one (a long-running CLI may still load their chunks or workers)… */
const KEEP_BUILDS = 3
/** …and any build younger than this. Scratch left by a killed build goes after the same time. */
const KEEP_YOUNG_MS = 3600_000

const ESBUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: EXTERNAL,
  banner: { js: REQUIRE_SHIM },
  // esbuild renames clashing top-level names; keep Function.name/class names (error names cross IPC and journals).
  keepNames: true,
  logLevel: 'silent',
  legalComments: 'none',
}

/**
 * @param {{ root?: string, outDir?: string }} [options]
 * @returns {Promise<{ built: boolean, entry: string, ms: number, files: number }>} built: false when another process
 *   held the build lock and finished first (the caller should check the stamp again).
 */
export async function buildCli({ root = path.resolve(path.dirname(THIS_FILE), '..'), outDir = path.join(root, CLI_OUT_DIR) } = {}) {
  const started = performance.now()
  fs.mkdirSync(outDir, { recursive: true })
  const lock = path.join(outDir, '.build.lock')
  if (!(await takeLock(lock))) return { built: false, entry: '', ms: performance.now() - started, files: 0 }
  const esbuild = await import('esbuild')
  const state = { table: undefined }
  const workers = findWorkerModules(root)
  const buildId = `${Date.now().toString(36)}-${process.pid}`
  const tmpDir = path.join(outDir, `.build-${buildId}`)
  // One context, two builds: the second reuses the first's parse of every file and only re-links.
  const context = await esbuild.context({
    ...ESBUILD_OPTIONS,
    absWorkingDir: root,
    entryPoints: {
      main: path.join(root, MAIN),
      [TABLE_ENTRY]: `${TABLE_NAMESPACE}:entry`,
      ...Object.fromEntries(workers.map((w) => [workerEntryName(w), path.join(root, w)])),
    },
    outdir: tmpDir,
    splitting: true,
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    outExtension: { '.js': '.mjs' },
    metafile: true,
    write: false,
    plugins: [commandTablePlugin(root, state), workerEntryPlugin(root, workers)],
  })
  try {
    state.table = await readCommandTable(await context.rebuild(), tmpDir, outDir)
    const result = await context.rebuild()
    const inputs = Object.keys(result.metafile.inputs).filter((f) => !f.includes(':') && !f.split(/[\\/]/).includes('node_modules'))
    fs.mkdirSync(tmpDir)
    for (const file of result.outputFiles) fs.writeFileSync(file.path, file.contents)
    fs.renameSync(tmpDir, path.join(outDir, buildId))
    const stamp = { version: STAMP_VERSION, entry: `${buildId}/main.mjs`, builtAt: new Date().toISOString(), inputs: {} }
    for (const file of [...new Set([...inputs, ...EXTRA_INPUTS])].sort()) {
      const st = fs.statSync(path.join(root, file), { throwIfNoEntry: false })
      if (st) stamp.inputs[file] = [st.size, st.mtimeMs]
    }
    writeAtomically(path.join(outDir, STAMP_FILE), `${JSON.stringify(stamp, null, 1)}\n`)
    sweep(outDir, buildId)
    return { built: true, entry: path.join(outDir, stamp.entry), ms: performance.now() - started, files: result.outputFiles.length }
  } finally {
    await context.dispose()
    fs.rmSync(tmpDir, { recursive: true, force: true })
    fs.rmSync(lock, { force: true })
  }
}

/** Source files (not tests) under electron/ that start themselves as a worker thread. */
function findWorkerModules(root) {
  const found = []
  const walk = (dir) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`
      if (entry.isDirectory()) walk(rel)
      else if (rel.endsWith('.ts') && !rel.endsWith('.test.ts') && fs.readFileSync(path.join(root, rel), 'utf8').includes(WORKER_CALL)) found.push(rel)
    }
  }
  walk(WORKER_SOURCES)
  return found.sort()
}

function workerEntryName(file) {
  return `worker-${path.basename(file, '.ts')}`
}

/** In a worker module, `spawnModuleWorker(import.meta.url` names its own entry file (same folder as every chunk). */
function workerEntryPlugin(root, workers) {
  const byPath = new Map(workers.map((w) => [path.join(root, w), w]))
  return {
    name: 'worker-entries',
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        const worker = byPath.get(args.path)
        if (!worker) return undefined
        const source = fs.readFileSync(args.path, 'utf8')
        const parts = source.split(WORKER_CALL)
        if (parts.length !== 2) throw new Error(`${worker} must call ${WORKER_CALL}, …) exactly once to be built as a worker`)
        return { loader: 'ts', contents: parts.join(`spawnModuleWorker(new URL(${JSON.stringify(`./${workerEntryName(worker)}.mjs`)}, import.meta.url).href`) }
      })
    },
  }
}

/**
 * Pass 1 output: the command table entry, run once in a child process, prints each listed command's file, export
 * name and description. Written to a scratch folder inside outDir so it resolves node_modules as the real build will.
 */
async function readCommandTable(result, buildDir, outDir) {
  const scratch = fs.mkdtempSync(path.join(outDir, '.pass1-'))
  try {
    let tableFile
    for (const file of result.outputFiles) {
      const target = path.join(scratch, path.relative(buildDir, file.path))
      fs.writeFileSync(target, file.contents)
      if (path.basename(file.path) === `${TABLE_ENTRY}.mjs`) tableFile = target
    }
    // Asynchronous, so the launcher's SIGINT/SIGTERM handlers still run while the table is read.
    const { stdout } = await execFileAsync(process.execPath, [tableFile], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, timeout: 120_000 }).catch((error) => {
      throw new Error(`reading the command table failed: ${String(error.stderr || error.message).trim().split('\n').slice(0, 8).join('\n')}`)
    })
    return JSON.parse(stdout)
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true })
  }
}

/**
 * Pass 1: main.ts keeps the real table, and an extra entry prints it as data. Pass 2: main.ts's `./commands/index`
 * becomes that data, each run() importing its command's module on first use; the extra entry is empty.
 */
function commandTablePlugin(root, state) {
  const mainPath = path.join(root, MAIN)
  const dir = path.join(root, COMMANDS_DIR)
  return {
    name: 'lazy-command-table',
    setup(build) {
      build.onResolve({ filter: new RegExp(`^${TABLE_NAMESPACE}:entry$`) }, () => ({ path: 'entry', namespace: TABLE_NAMESPACE }))
      build.onResolve({ filter: /^\.\/commands\/index$/ }, (args) => (args.importer === mainPath && state.table ? { path: 'lazy', namespace: TABLE_NAMESPACE } : undefined))
      build.onLoad({ filter: /^entry$/, namespace: TABLE_NAMESPACE }, () => ({ resolveDir: dir, loader: 'js', contents: state.table ? '' : tablePrinter(dir) }))
      build.onLoad({ filter: /^lazy$/, namespace: TABLE_NAMESPACE }, () => ({
        resolveDir: dir,
        loader: 'js',
        contents: `export const commands = [\n${state.table
          .map(({ file, name, meta }) => `  { ...${JSON.stringify(meta)}, run: async (ctx) => (await import(${JSON.stringify(`./${file}`)}))[${JSON.stringify(name)}].run(ctx) },`)
          .join('\n')}\n]\n`,
      }))
    },
  }
}

/** A program that finds each listed command's file and export, and prints them with the command's plain data. */
function tablePrinter(dir) {
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'index.ts').sort()
  return [
    "import { isDeepStrictEqual } from 'node:util'",
    "import { commands } from './index.ts'",
    ...files.map((f, i) => `import * as m${i} from './${f}'`),
    `const modules = [${files.map((f, i) => `[${JSON.stringify(f)}, m${i}]`).join(', ')}]`,
    'const table = commands.map((command) => {',
    '  const { run, ...meta } = command',
    "  if (typeof run !== 'function') throw new Error(`command ${command.path.join(' ')} has no run()`)",
    "  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(meta)), meta)) throw new Error(`command ${command.path.join(' ')} has a description that is not plain data`)",
    '  for (const [file, mod] of modules) for (const [name, value] of Object.entries(mod)) if (value === command) return { file, name, meta }',
    "  throw new Error(`command ${command.path.join(' ')} is not exported by a file in electron/cli/commands`)",
    '})',
    'process.stdout.write(JSON.stringify(table))',
  ].join('\n')
}

function writeAtomically(file, contents) {
  const tmp = `${file}.${process.pid}.tmp`
  fs.writeFileSync(tmp, contents)
  fs.renameSync(tmp, file)
}

/** One builder at a time; a lock left by a dead process (killed mid-build) is taken over. */
async function takeLock(lock) {
  const deadline = Date.now() + LOCK_WAIT_MS
  for (;;) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' })
      return true
    } catch (error) {
      if (error?.code !== 'EEXIST') throw error
    }
    const holder = Number(fs.readFileSync(lock, { encoding: 'utf8', flag: 'r' }).trim() || NaN)
    if (!isAlive(holder)) {
      fs.rmSync(lock, { force: true })
      continue
    }
    // Another launcher is building: wait for it, then let the caller check the stamp it wrote.
    while (fs.existsSync(lock) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100))
    if (Date.now() >= deadline) throw new Error(`another process (pid ${holder}) has been building the CLI for over ${LOCK_WAIT_MS / 1000} s`)
    return false
  }
}

function isAlive(pid) {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return error?.code === 'EPERM'
  }
}

/** Removes earlier builds (all but the newest few, once old enough), scratch of killed builds, and stray files. */
function sweep(outDir, current) {
  const now = Date.now()
  const entries = fs
    .readdirSync(outDir)
    .filter((name) => name !== current && name !== STAMP_FILE && name !== '.build.lock')
    .map((name) => ({ name, st: fs.statSync(path.join(outDir, name), { throwIfNoEntry: false }) }))
    .filter((e) => e.st && now - e.st.mtimeMs > KEEP_YOUNG_MS)
    .sort((a, b) => b.st.mtimeMs - a.st.mtimeMs)
  let kept = 0
  for (const { name, st } of entries) {
    if (st.isDirectory() && !name.startsWith('.') && kept < KEEP_BUILDS) {
      kept++
      continue
    }
    fs.rmSync(path.join(outDir, name), { recursive: true, force: true })
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === THIS_FILE) {
  try {
    const { ms, files, entry, built } = await buildCli()
    process.stdout.write(built ? `build:cli: ${path.relative(process.cwd(), entry)} and ${files - 1} more files in ${(ms / 1000).toFixed(1)} s\n` : 'build:cli: built by another process\n')
  } catch (error) {
    process.stderr.write(`build:cli: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = 1
  }
}
