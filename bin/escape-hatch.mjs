#!/usr/bin/env node
// Entry point for `npx escape-hatch` and `npm run drill`. The CLI's sources are TypeScript (the same ones serve the
// tests and the Electron main process); this runs the build of them in out/cli (tools/buildCli.mjs: plain JavaScript,
// each command loaded on first use), which starts in about 0.1 s of CPU where compiling the sources through tsx took
// 3–4 s. The build is used only while its stamp matches every source it was built from (bin/freshCliBundle.mjs);
// when a source changed, it is rebuilt first (about as long as one tsx start, and the next start is fast again).
// If it cannot be rebuilt (no esbuild, out/ not writable, a build error) the sources run through tsx as before,
// with a note on stderr, so a stale build is never run.
//
// SIGINT/SIGTERM: the first one aborts the command's signal so it can stop cleanly (release the Ledger, stop anvil)
// and exit with 130 (SIGINT) or 143 (SIGTERM). If it has not exited GRACE_MS later, or a second signal comes, the
// process dies by that same signal (shells report 130/143). Not process.exit(): it waits for libuv's worker threads,
// and one blocked in a read (a FIFO, a stuck network disk) would hang it forever. The handlers are installed before
// the (slow) import so no signal is ever ignored.
import { fileURLToPath, pathToFileURL } from 'node:url'

const GRACE_MS = 3_000
const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 }
const controller = new AbortController()
let started = false
const dieBy = (name) => {
  process.removeAllListeners('SIGINT')
  process.removeAllListeners('SIGTERM')
  process.kill(process.pid, name)
}
const onSignal = (name) => {
  if (controller.signal.aborted || !started) return dieBy(name)
  controller.abort({ signal: name, exitCode: EXIT_CODES[name] })
  setTimeout(() => {
    process.stderr.write(`escape-hatch: still running ${GRACE_MS / 1000} s after ${name}; stopping now.\n`)
    dieBy(name)
  }, GRACE_MS).unref()
}
process.on('SIGINT', onSignal)
process.on('SIGTERM', onSignal)

const { main } = await loadCli()
started = true
process.exitCode = await main(process.argv.slice(2), undefined, controller.signal)
// A command that stops cleanly on the signal and says it succeeded (`devnet up` stopped by `devnet down`) exits with
// its code now: left to the event loop, the grace timer above could still turn that success into a kill. Only here:
// after an interrupted read (130/143) a blocked worker thread can make process.exit hang, so those end by signal.
if (controller.signal.aborted && process.exitCode === 0) process.exit(0)

/** The fresh build of the CLI (rebuilt first if a source changed), or the sources through tsx if it cannot be built. */
async function loadCli() {
  const root = fileURLToPath(new URL('..', import.meta.url))
  const { freshCliBundle } = await import('./freshCliBundle.mjs')
  let bundle = freshCliBundle(root)
  if (!bundle.fresh) {
    const why = bundle.reason
    try {
      const { buildCli } = await import('../tools/buildCli.mjs')
      await buildCli({ root })
      bundle = freshCliBundle(root)
      if (!bundle.fresh) throw new Error(`still stale after the build: ${bundle.reason}`)
    } catch (error) {
      const message = error instanceof Error ? error.message.split('\n')[0] : String(error)
      process.stderr.write(`escape-hatch: could not rebuild the CLI (${why}: ${message}); running from the sources, which starts slower. Next: \`npm run build:cli\` shows the build error.\n`)
    }
  }
  if (bundle.fresh) return import(pathToFileURL(bundle.entry).href)
  const { register } = await import('tsx/esm/api')
  register()
  return import('../electron/cli/main.ts')
}
