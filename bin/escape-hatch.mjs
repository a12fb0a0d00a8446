#!/usr/bin/env node
// Entry point for `npx escape-hatch` and `npm run drill`. The CLI is TypeScript run under plain Node through tsx,
// so the same sources serve the CLI, the tests and the Electron main process without a separate build step.
//
// SIGINT/SIGTERM: the first one aborts the command's signal so it can stop cleanly (release the Ledger, stop anvil)
// and exit with 130 (SIGINT) or 143 (SIGTERM). If it has not exited GRACE_MS later, or a second signal comes, the
// process dies by that same signal (shells report 130/143). Not process.exit(): it waits for libuv's worker threads,
// and one blocked in a read (a FIFO, a stuck network disk) would hang it forever. The handlers are installed before
// the (slow) import so no signal is ever ignored.
import { register } from 'tsx/esm/api'

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

register()
const { main } = await import('../electron/cli/main.ts')
started = true
process.exitCode = await main(process.argv.slice(2), undefined, controller.signal)
// A command that stops cleanly on the signal and says it succeeded (`devnet up` stopped by `devnet down`) exits with
// its code now: left to the event loop, the grace timer above could still turn that success into a kill. Only here:
// after an interrupted read (130/143) a blocked worker thread can make process.exit hang, so those end by signal.
if (controller.signal.aborted && process.exitCode === 0) process.exit(0)
