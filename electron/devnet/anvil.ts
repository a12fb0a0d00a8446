import { spawn, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { HDKey } from '@scure/bip32'
import { mnemonicToSeedSync } from '@scure/bip39'
import { bytesToHex } from 'viem'
import { privateKeyToAddress } from 'viem/accounts'
import { AnvilCrashedError, AnvilPortInUseError, AnvilStartError } from './anvilErrors'
import { resolveAnvilBinary } from './resolveAnvilBinary'

/** The well-known development mnemonic (anvil's and hardhat's default): the devnet is deterministic. */
export const DEVNET_MNEMONIC = 'test test test test test test test test test test test junk'
export const DEVNET_ACCOUNT_COUNT = 10
export const DEVNET_DEFAULT_CHAIN_ID = 31337
/** Prague is the oldest hardfork the app must handle on L1 (blobs, EIP-7702, requests). */
export const DEVNET_DEFAULT_HARDFORK = 'prague'

const READY_TIMEOUT_MS = 20_000
const STOP_GRACE_MS = 5_000
const OUTPUT_TAIL_BYTES = 8_192
const AUTO_PORT_ATTEMPTS = 3
/** How long a failed call waits for anvil's exit to be noticed before blaming something else. */
const CRASH_NOTICE_MS = 250

export interface DevnetAccount {
  address: `0x${string}`
  privateKey: `0x${string}`
}

export interface AnvilExit {
  code: number | null
  signal: NodeJS.Signals | null
  /** True when stop() asked for it; false when anvil died on its own. */
  expected: boolean
}

export interface AnvilHandle {
  rpcUrl: string
  /** anvil serves the beacon API (`/eth/v1/beacon/blobs/{block}`) on the JSON-RPC port. */
  beaconUrl: string
  port: number
  chainId: number
  pid: number
  accounts: readonly DevnetAccount[]
  stop(): Promise<void>
  /** False once anvil has exited, for any reason. */
  isRunning(): boolean
  /** Throws AnvilCrashedError naming `step` when anvil is no longer running. */
  assertRunning(step: string): void
  /**
   * After a failed RPC call: waits briefly for anvil's exit to be noticed (a kill is seen a few ms after the socket
   * closes), then behaves like assertRunning. Resolves when anvil is still running.
   */
  confirmRunning(step: string): Promise<void>
  /** Resolves when the anvil process exits (after stop(), or on a crash). */
  exited: Promise<AnvilExit>
  /** The last few KB anvil wrote to stdout/stderr, for error reports. */
  outputTail(): string
}

export interface StartAnvilOptions {
  /** A fixed port; when taken, AnvilPortInUseError. Default: a free port chosen by the OS. */
  port?: number
  hardfork?: string
  chainId?: number
  /** Seconds between blocks; default: automine (a block per transaction). */
  blockTime?: number
  signal?: AbortSignal
  /** Path of an anvil binary to use instead of the platform npm package. */
  binary?: string
}

let cachedAccounts: readonly DevnetAccount[] | undefined

/** The devnet's accounts: BIP-44 m/44'/60'/0'/0/i of DEVNET_MNEMONIC, the same set anvil funds. */
export function devnetAccounts(): readonly DevnetAccount[] {
  if (cachedAccounts) return cachedAccounts
  const root = HDKey.fromMasterSeed(mnemonicToSeedSync(DEVNET_MNEMONIC))
  const accounts: DevnetAccount[] = []
  for (let i = 0; i < DEVNET_ACCOUNT_COUNT; i++) {
    const key = root.derive(`m/44'/60'/0'/0/${i}`).privateKey
    if (!key) throw new Error(`BIP-32 derivation gave no private key for index ${i}`)
    const privateKey = bytesToHex(key)
    accounts.push(Object.freeze({ address: privateKeyToAddress(privateKey), privateKey }))
  }
  cachedAccounts = Object.freeze(accounts)
  return cachedAccounts
}

// Every anvil this process started and has not yet seen exit. On process exit they are killed synchronously, so a
// test run or CLI that ends without calling stop() leaves nothing behind.
const live = new Set<ChildProcess>()
let exitHookInstalled = false

function installExitHook(): void {
  if (exitHookInstalled) return
  exitHookInstalled = true
  process.on('exit', () => {
    for (const child of live) killTree(child, 'SIGKILL')
  })
}

function killTree(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return
  try {
    // detached on POSIX: anvil leads its own process group, so -pid reaches anything it spawned too.
    if (process.platform === 'win32') process.kill(child.pid, signal)
    else process.kill(-child.pid, signal)
  } catch {
    // already gone
  }
}

/**
 * A watchdog shell that kills anvil's process group when this process dies in a way no exit hook sees (SIGKILL, a
 * crashed test worker): it blocks reading a pipe only we hold open; the pipe closes when we die. POSIX only.
 */
function startWatchdog(pid: number): ChildProcess | undefined {
  if (process.platform === 'win32') return undefined
  const watchdog = spawn('sh', ['-c', 'read _line; kill -s KILL -- -"$1" 2>/dev/null', 'escape-hatch-anvil-watchdog', String(pid)], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true,
  })
  watchdog.on('error', () => undefined)
  watchdog.stdin?.on('error', () => undefined)
  watchdog.unref()
  ;(watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.()
  return watchdog
}

function stopWatchdog(watchdog: ChildProcess | undefined): void {
  if (!watchdog || watchdog.exitCode !== null || watchdog.signalCode !== null) return
  try {
    watchdog.kill('SIGKILL')
  } catch {
    // already gone
  }
}

/** Resolves when the port can be bound on 127.0.0.1 right now; rejects with the bind error otherwise. */
function probePort(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.once('error', reject)
    server.listen({ host: '127.0.0.1', port, exclusive: true }, () => {
      const address = server.address()
      const bound = typeof address === 'object' && address ? address.port : port
      server.close(() => resolve(bound))
    })
  })
}

async function assertPortFree(port: number): Promise<void> {
  try {
    await probePort(port)
  } catch (cause) {
    throw portInUse(port, cause)
  }
}

function portInUse(port: number, cause?: unknown): AnvilPortInUseError {
  return new AnvilPortInUseError(`Cannot start the devnet: port ${port} on 127.0.0.1 is already in use.`, {
    steps: ['Stop the program using that port (another devnet? `escape-hatch devnet down`), or leave the port unset to pick a free one.'],
    cause,
  })
}

interface RpcResponse {
  result?: unknown
  error?: { code: number; message: string }
}

async function rpcOnce(url: string, method: string, params: unknown[], timeoutMs: number): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
    signal: AbortSignal.timeout(timeoutMs),
  })
  const body = (await response.json()) as RpcResponse
  if (body.error) throw new Error(`${method}: ${body.error.message} (${body.error.code})`)
  return body.result
}

/**
 * Whether anvil exits within `ms`. The timer is cleared once it has: a pending grace timer would otherwise keep the
 * process alive after everything is done (every CLI run that stopped a devnet waited the full 5 s before exiting).
 */
async function exitedWithin(attempt: Attempt, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined
  try {
    return await Promise.race([attempt.exited.then(() => true), new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)))])
  } finally {
    clearTimeout(timer)
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}

class OutputTail {
  private text = ''
  push(chunk: Buffer): void {
    this.text = (this.text + chunk.toString('utf8')).slice(-OUTPUT_TAIL_BYTES)
  }
  toString(): string {
    return this.text
  }
}

interface Attempt {
  child: ChildProcess
  watchdog: ChildProcess | undefined
  tail: OutputTail
  exited: Promise<AnvilExit>
  exitInfo: () => AnvilExit | undefined
  markStopping: () => void
}

function spawnAnvil(binary: string, args: string[]): Attempt {
  const child = spawn(binary, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: process.platform !== 'win32',
    windowsHide: true,
  })
  const tail = new OutputTail()
  child.stdout?.on('data', (chunk: Buffer) => tail.push(chunk))
  child.stderr?.on('data', (chunk: Buffer) => tail.push(chunk))
  // Do not keep the event loop alive just for anvil: a script that forgets stop() exits, and the exit hook kills it.
  child.unref()
  ;(child.stdout as unknown as { unref?: () => void } | null)?.unref?.()
  ;(child.stderr as unknown as { unref?: () => void } | null)?.unref?.()

  let stopping = false
  let info: AnvilExit | undefined
  const watchdog = child.pid !== undefined ? startWatchdog(child.pid) : undefined
  live.add(child)
  const exited = new Promise<AnvilExit>((resolve) => {
    const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (info) return
      info = { code, signal, expected: stopping }
      live.delete(child)
      stopWatchdog(watchdog)
      resolve(info)
    }
    child.once('exit', finish)
    child.once('error', (error) => {
      tail.push(Buffer.from(`\n${error.message}\n`))
      // spawn failures (ENOENT, EACCES) emit 'error' and no 'exit'.
      if (child.pid === undefined) finish(null, null)
    })
  })
  return { child, watchdog, tail, exited, exitInfo: () => info, markStopping: () => (stopping = true) }
}

function describeExit(exit: AnvilExit): string {
  return exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code ?? 'unknown'}`
}

async function stopAttempt(attempt: Attempt): Promise<void> {
  attempt.markStopping()
  if (attempt.exitInfo()) return
  killTree(attempt.child, 'SIGTERM')
  const graceful = await exitedWithin(attempt, STOP_GRACE_MS)
  if (!graceful) {
    killTree(attempt.child, 'SIGKILL')
    await attempt.exited
  }
}

type ReadyOutcome = { ready: true; chainId: number } | { ready: false; exit: AnvilExit } | { ready: false; timeout: true }

async function waitReady(attempt: Attempt, rpcUrl: string, signal: AbortSignal | undefined): Promise<ReadyOutcome> {
  const deadline = Date.now() + READY_TIMEOUT_MS
  let wait = 10
  while (Date.now() < deadline) {
    signal?.throwIfAborted()
    const exit = attempt.exitInfo()
    if (exit) return { ready: false, exit }
    try {
      const result = await rpcOnce(rpcUrl, 'eth_chainId', [], 1_000)
      if (typeof result === 'string') return { ready: true, chainId: Number(BigInt(result)) }
    } catch {
      // not listening yet
    }
    const exitAfter = attempt.exitInfo()
    if (exitAfter) return { ready: false, exit: exitAfter }
    await Promise.race([delay(wait), attempt.exited])
    wait = Math.min(wait * 2, 100)
  }
  return { ready: false, timeout: true }
}

/**
 * Start the real anvil binary (from the platform's npm package) on 127.0.0.1, with the devnet mnemonic's accounts,
 * and wait until it answers eth_chainId. The returned handle's stop() kills it and waits for the exit.
 */
export async function startAnvil(options: StartAnvilOptions = {}): Promise<AnvilHandle> {
  const { signal } = options
  signal?.throwIfAborted()
  const hardfork = options.hardfork ?? DEVNET_DEFAULT_HARDFORK
  const chainId = options.chainId ?? DEVNET_DEFAULT_CHAIN_ID
  const binary = options.binary ?? resolveAnvilBinary().path
  const accounts = devnetAccounts()
  installExitHook()

  if (options.port !== undefined) await assertPortFree(options.port)

  for (let attemptNo = 1; ; attemptNo++) {
    // An OS-chosen port can be taken by someone else between our probe and anvil's bind; that case is retried.
    const port = options.port ?? (await probePort(0))
    const args = [
      '--host', '127.0.0.1',
      '--port', String(port),
      '--hardfork', hardfork,
      '--chain-id', String(chainId),
      '--mnemonic', DEVNET_MNEMONIC,
      '--accounts', String(DEVNET_ACCOUNT_COUNT),
      '--silent',
    ]
    if (options.blockTime !== undefined) args.push('--block-time', String(options.blockTime))
    const attempt = spawnAnvil(binary, args)
    const rpcUrl = `http://127.0.0.1:${port}`
    let outcome: ReadyOutcome
    try {
      outcome = await waitReady(attempt, rpcUrl, signal)
    } catch (error) {
      await stopAttempt(attempt)
      throw error
    }

    if (!outcome.ready) {
      await stopAttempt(attempt)
      const output = attempt.tail.toString().trim()
      if ('exit' in outcome && /address already in use/i.test(output)) {
        if (options.port !== undefined) throw portInUse(port, new Error(output))
        if (attemptNo < AUTO_PORT_ATTEMPTS) continue
      }
      const why = 'exit' in outcome ? `anvil exited during start (${describeExit(outcome.exit)})` : `anvil did not answer within ${READY_TIMEOUT_MS / 1000} s`
      throw new AnvilStartError(`Cannot start the devnet: ${why}.`, {
        steps: ['Read anvil\'s output below; a wrong hardfork name or a broken binary shows there.', 'Try again; if it repeats, reinstall the @foundry-rs/anvil package for this platform.'],
        details: `${binary} ${args.join(' ')}\n${output || '(no output)'}`,
      })
    }

    const pid = attempt.child.pid
    try {
      if (pid === undefined) throw new Error('anvil has no pid')
      if (outcome.chainId !== chainId) throw new Error(`anvil answered chain id ${outcome.chainId}, expected ${chainId}`)
      // The accounts are derived here, not read from anvil: check both agree so a key never signs for the wrong address.
      const served = (await rpcOnce(rpcUrl, 'eth_accounts', [], 5_000)) as string[]
      const expected = accounts.map((a) => a.address.toLowerCase())
      if (served.length !== expected.length || served.some((a, i) => a.toLowerCase() !== expected[i])) {
        throw new Error(`anvil's accounts ${served.join(',')} differ from the devnet mnemonic's ${expected.join(',')}`)
      }
    } catch (cause) {
      await stopAttempt(attempt)
      throw new AnvilStartError('Cannot start the devnet: anvil came up with an unexpected configuration.', { cause, details: attempt.tail.toString() })
    }

    let stopPromise: Promise<void> | undefined
    const handle: AnvilHandle = {
      rpcUrl,
      beaconUrl: rpcUrl,
      port,
      chainId,
      pid,
      accounts,
      exited: attempt.exited,
      stop: () => (stopPromise ??= stopAttempt(attempt)),
      isRunning: () => attempt.exitInfo() === undefined,
      outputTail: () => attempt.tail.toString(),
      async confirmRunning(step: string): Promise<void> {
        if (attempt.exitInfo() === undefined) await exitedWithin(attempt, CRASH_NOTICE_MS)
        handle.assertRunning(step)
      },
      assertRunning(step: string): void {
        const exit = attempt.exitInfo()
        if (!exit) return
        if (exit.expected) {
          throw new AnvilCrashedError(`The devnet was already stopped when this step ran: ${step}.`, {
            steps: ['Start the devnet again (`escape-hatch devnet up`).'],
          })
        }
        throw new AnvilCrashedError(`The devnet's L1 node (anvil) stopped unexpectedly (${describeExit(exit)}); failed step: ${step}.`, {
          steps: ['Start the devnet again (`escape-hatch devnet up`); a devnet keeps no state across restarts.', 'If it repeats, read anvil\'s output in the details.'],
          details: attempt.tail.toString().trim() || undefined,
        })
      },
    }
    return handle
  }
}
