/**
 * The `escape-hatch` command runner: finds the command, parses its options, runs it, prints the result as text or
 * JSON, and turns failures into one line with the user's next step and a non-zero exit code.
 *
 * Exit codes: 0 success; 1 the command failed (the message says why and what to do); 2 the command line was wrong;
 * 130 interrupted (SIGINT), 143 terminated (SIGTERM). A command may also return its own non-zero code for a negative
 * outcome (e.g. a root mismatch). The bin entry aborts the signal on SIGINT/SIGTERM and exits after a short grace if
 * the command has not stopped by then.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { EscapeError, oneLine, serializeError } from '../../shared/errors/EscapeError'
import { redactUrlsInText } from '../../shared/errors/redactUrls'
import { dataDir } from '../services/paths'
import { UsageError, type Command, type CommandContext, type OptionSpec } from './command'
import { commands } from './commands/index'

export const EXIT_OK = 0
export const EXIT_FAILED = 1
export const EXIT_USAGE = 2
export const EXIT_INTERRUPTED = 130
export const EXIT_TERMINATED = 143

const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  json: { type: 'boolean', description: 'Print the result as JSON on stdout (errors too).' },
  quiet: { type: 'boolean', description: 'No progress messages on stderr.' },
  debug: { type: 'boolean', description: 'Print stack traces and causes of errors.' },
  help: { type: 'boolean', description: 'Show help for this command.' },
}

export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  env: NodeJS.ProcessEnv
}

const processIo: CliIo = {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
}

export async function main(argv: readonly string[], rawIo: CliIo = processIo, signal?: AbortSignal): Promise<number> {
  // Nothing the CLI prints holds an RPC URL beyond its host (issue 14 #4): not a library's error text, not a progress
  // line, not the URLs a job saved with --save-rpc-urls (`jobs show --json`). Hosts and ports stay.
  const io: CliIo = { ...rawIo, stdout: (t) => rawIo.stdout(redactUrlsInText(t)), stderr: (t) => rawIo.stderr(redactUrlsInText(t)) }
  const wantsJson = argv.includes('--json')
  const found = findCommand(argv)
  if (!found) {
    const first = argv.find((a) => !a.startsWith('-'))
    if (first === undefined || argv.includes('--help') || argv.includes('-h') || first === 'help') {
      io.stdout(wantsJson ? `${toJson(helpJson())}\n` : topHelp())
      return first === undefined && !argv.includes('--help') && !argv.includes('-h') ? EXIT_USAGE : EXIT_OK
    }
    const group = commands.filter((c) => c.path[0] === first)
    if (group.length > 0) {
      io.stderr(`escape-hatch: "${argv.filter((a) => !a.startsWith('-')).join(' ')}" needs a subcommand: ${group.map((c) => c.path.join(' ')).join(', ')}\n`)
    } else {
      io.stderr(`escape-hatch: unknown command "${first}". Next: run \`escape-hatch --help\` to see the commands.\n`)
    }
    return EXIT_USAGE
  }

  const { command, rest } = found
  let parsed: { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] }
  try {
    parsed = parse(command, rest)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    io.stderr(`escape-hatch ${command.path.join(' ')}: ${message}. Next: run \`escape-hatch ${command.path.join(' ')} --help\`.\n`)
    return EXIT_USAGE
  }
  const { values } = parsed
  if (values.help) {
    io.stdout(commandHelp(command))
    return EXIT_OK
  }
  const json = values.json === true
  const controller = new AbortController()
  let interruptedCode = EXIT_INTERRUPTED
  const onSignal = (name?: unknown) => {
    if (name === 'SIGTERM' || interruptionCode(signal?.reason) === EXIT_TERMINATED) interruptedCode = EXIT_TERMINATED
    controller.abort(new EscapeError('Interrupted.', { kind: 'user-action' }))
  }
  if (signal?.aborted) onSignal()
  signal?.addEventListener('abort', onSignal, { once: true })
  const ownSignals = signal === undefined
  if (ownSignals) {
    process.once('SIGINT', onSignal)
    process.once('SIGTERM', onSignal)
  }
  const ctx: CommandContext = {
    positionals: parsed.positionals,
    options: values,
    json,
    progress: values.quiet ? () => {} : (message) => io.stderr(`${message}\n`),
    dataDir: dataDir(io.env),
    signal: controller.signal,
  }
  try {
    const result = await command.run(ctx)
    io.stdout(json ? `${toJson(result.json)}\n` : result.text.endsWith('\n') || result.text === '' ? result.text : `${result.text}\n`)
    return result.exitCode ?? EXIT_OK
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`escape-hatch ${command.path.join(' ')}: ${error.message}. Next: run \`escape-hatch ${command.path.join(' ')} --help\`.\n`)
      return EXIT_USAGE
    }
    const escape = error instanceof EscapeError ? error : undefined
    if (json) io.stdout(`${toJson({ ok: false, error: serializeError(error) })}\n`)
    if (escape) {
      io.stderr(`escape-hatch: ${oneLine(escape)}\n`)
      if (values.debug) io.stderr(`${debugChain(escape)}\n`)
    } else {
      const message = error instanceof Error ? error.message : String(error)
      io.stderr(`escape-hatch: unexpected error: ${message.split('\n')[0]} Next: run again with --debug and send the output to support.\n`)
      if (values.debug) io.stderr(`${error instanceof Error ? (error.stack ?? message) : message}\n`)
    }
    return controller.signal.aborted ? interruptedCode : EXIT_FAILED
  } finally {
    signal?.removeEventListener('abort', onSignal)
    if (ownSignals) {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    }
  }
}

/** The bin entry aborts with `{ signal, exitCode }`; anything else (a test's plain abort) counts as SIGINT. */
function interruptionCode(reason: unknown): number {
  return typeof reason === 'object' && reason !== null && 'exitCode' in reason && reason.exitCode === EXIT_TERMINATED ? EXIT_TERMINATED : EXIT_INTERRUPTED
}

function findCommand(argv: readonly string[]): { command: Command; rest: string[] } | undefined {
  // Command words come first; only the global boolean flags may stand before them (`escape-hatch --json version`).
  const words: string[] = []
  const leading: string[] = []
  let i = 0
  for (; i < argv.length; i++) {
    const a = argv[i] ?? ''
    if (a.startsWith('-')) {
      if (words.length === 0 && LEADING_FLAGS.has(a)) {
        leading.push(a)
        continue
      }
      break
    }
    words.push(a)
  }
  let best: Command | undefined
  for (const c of commands) {
    if (c.path.length <= words.length && c.path.every((p, j) => words[j] === p) && (!best || c.path.length > best.path.length)) best = c
  }
  if (!best) return undefined
  const commandEnd = leading.length + best.path.length
  return { command: best, rest: [...leading, ...argv.slice(commandEnd)] }
}

const LEADING_FLAGS = new Set(['--json', '--quiet', '--debug'])

function parse(command: Command, args: string[]) {
  const specs = { ...GLOBAL_OPTIONS, ...command.options }
  const options: NonNullable<ParseArgsConfig['options']> = {}
  for (const [name, spec] of Object.entries(specs)) {
    options[name] = spec.type === 'boolean' ? { type: 'boolean' } : spec.multiple ? { type: 'string', multiple: true } : { type: 'string' }
  }
  const { values, positionals } = parseArgs({ args, options, allowPositionals: true, strict: true })
  // Our specs never mix booleans into a repeatable string option, so the values are strings, booleans or string[].
  const out = { ...values } as Record<string, string | boolean | string[] | undefined>
  for (const [name, spec] of Object.entries(specs)) {
    if (out[name] === undefined && 'default' in spec && spec.default !== undefined) out[name] = spec.default
  }
  return { values: out, positionals }
}

/** JSON with bigints as decimal strings (wei and block numbers exceed 2^53). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? `0x${Buffer.from(v).toString('hex')}` : v), 2)
}

function debugChain(error: EscapeError): string {
  const lines: string[] = []
  let current: unknown = error
  for (let depth = 0; current !== undefined && depth < 8; depth++) {
    if (current instanceof Error) {
      lines.push(`${depth === 0 ? '' : 'caused by: '}${current.stack ?? current.message}`)
      current = current.cause
    } else {
      lines.push(`caused by: ${String(current)}`)
      break
    }
  }
  return lines.join('\n')
}

function topHelp(): string {
  const width = Math.max(...commands.map((c) => `${c.path.join(' ')} ${c.args ?? ''}`.length))
  const lines = [
    'escape-hatch: get your money out of an Ethereum rollup when its operator will not help.',
    '',
    'Usage: escape-hatch <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${`${c.path.join(' ')} ${c.args ?? ''}`.padEnd(width)}  ${c.summary}`),
    '',
    'Options for every command:',
    ...Object.entries(GLOBAL_OPTIONS).map(([n, s]) => `  --${n.padEnd(8)} ${s.description}`),
    '',
    'Data (jobs, caches) lives in the folder named by ESCAPE_HATCH_HOME, or the platform data folder.',
    'Run `escape-hatch <command> --help` for a command\'s options.',
    '',
  ]
  return lines.join('\n')
}

function commandHelp(c: Command): string {
  const specs = { ...(c.options ?? {}), ...GLOBAL_OPTIONS }
  const render = (name: string, s: OptionSpec) => {
    const arg = s.type === 'string' ? ` ${s.valueName ?? 'VALUE'}` : ''
    const def = 'default' in s && s.default !== undefined ? ` (default: ${String(s.default)})` : ''
    const many = s.type === 'string' && s.multiple ? ' (repeatable)' : ''
    return `  --${name}${arg}`.padEnd(30) + ` ${s.description}${def}${many}`
  }
  return [
    `Usage: escape-hatch ${c.path.join(' ')}${c.args ? ` ${c.args}` : ''} [options]`,
    '',
    c.summary,
    ...(c.description ? ['', c.description] : []),
    '',
    'Options:',
    ...Object.entries(specs).map(([n, s]) => render(n, s)),
    '',
  ].join('\n')
}

function helpJson() {
  return {
    commands: commands.map((c) => ({ command: c.path.join(' '), args: c.args ?? null, summary: c.summary, options: Object.keys(c.options ?? {}) })),
    globalOptions: Object.keys(GLOBAL_OPTIONS),
  }
}
