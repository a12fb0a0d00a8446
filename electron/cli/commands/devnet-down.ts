import { EscapeError } from '../../../shared/errors/EscapeError'
import {
  clearDevnetState,
  devnetStateDir,
  isProcessAlive,
  processLooksLike,
  readDevnetProcessState,
} from '../../devnet/devnetProcessState'
import type { Command } from '../command'

const GRACEFUL_MS = 15_000
const KILL_MS = 5_000

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms
  while (Date.now() < deadline) {
    if (!isProcessAlive(pid)) return true
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return !isProcessAlive(pid)
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name)
  } catch {
    // already gone
  }
}

/** `escape-hatch devnet down`: stop the devnet a `devnet up` process is serving, and wait until anvil is gone. */
export const devnetDownCommand: Command = {
  path: ['devnet', 'down'],
  summary: 'Stop the running devnet (started by `escape-hatch devnet up`) and wait until its anvil has exited.',
  description:
    'Reads <data dir>/devnet/process.json, sends SIGTERM to the `devnet up` process (which stops anvil and removes the ' +
    'manifest), and waits. If that process is gone but its anvil is not, anvil is killed directly.',
  async run(ctx) {
    const stateDir = devnetStateDir(ctx.dataDir)
    const state = readDevnetProcessState(stateDir)
    if (!state) {
      clearDevnetState(stateDir)
      return { json: { status: 'not-running', stateDir }, text: `No devnet is running (no state in ${stateDir}).` }
    }
    const servingAlive = processLooksLike(state.pid, 'escape-hatch') || processLooksLike(state.pid, 'devnet')
    if (servingAlive) {
      ctx.progress(`Stopping the devnet served by pid ${state.pid}…`)
      signal(state.pid, 'SIGTERM')
      if (!(await waitGone(state.pid, GRACEFUL_MS))) {
        throw new EscapeError(`The devnet process ${state.pid} did not stop within ${GRACEFUL_MS / 1000} s.`, {
          kind: 'temporary',
          steps: [`Run \`escape-hatch devnet down\` again, or stop it yourself: kill ${state.pid}`],
        })
      }
    }
    // The serving process stops anvil before it exits; if it died without doing so, stop anvil here.
    if (processLooksLike(state.anvilPid, 'anvil')) {
      ctx.progress(`Stopping anvil (pid ${state.anvilPid})…`)
      signal(state.anvilPid, 'SIGTERM')
      if (!(await waitGone(state.anvilPid, KILL_MS))) {
        signal(state.anvilPid, 'SIGKILL')
        await waitGone(state.anvilPid, KILL_MS)
      }
    }
    if (isProcessAlive(state.anvilPid) && processLooksLike(state.anvilPid, 'anvil')) {
      throw new EscapeError(`anvil (pid ${state.anvilPid}) is still running after SIGKILL.`, { kind: 'critical', steps: [`Stop it yourself: kill -9 ${state.anvilPid}`] })
    }
    clearDevnetState(stateDir)
    return {
      json: { status: 'stopped', pid: state.pid, anvilPid: state.anvilPid, rpcUrl: state.rpcUrl },
      text: `Devnet stopped (L1 ${state.rpcUrl}, anvil pid ${state.anvilPid}).`,
    }
  },
}
