/**
 * The shape of one `escape-hatch` command. Each command lives in its own file under electron/cli/commands/ and is
 * listed once in electron/cli/commands/index.ts. A command returns its result as data; the runner prints it as
 * JSON (`--json`) or text, and turns a thrown EscapeError into a one-line message and a non-zero exit code.
 */
export type OptionSpec =
  | { type: 'string'; description: string; default?: string; multiple?: false; valueName?: string }
  | { type: 'string'; description: string; multiple: true; valueName?: string }
  | { type: 'boolean'; description: string; default?: boolean }

export interface CommandContext {
  /** Positional arguments after the command path. */
  positionals: string[]
  /** Parsed option values (strings, booleans or string arrays for `multiple`). */
  options: Record<string, string | boolean | string[] | undefined>
  json: boolean
  /** Progress for humans; goes to stderr so stdout stays machine-readable. Silent under --quiet. */
  progress(message: string): void
  /** Where jobs, caches and devnet state live (ESCAPE_HATCH_HOME or the OS data dir). */
  dataDir: string
  /** Aborted on SIGINT/SIGTERM; long commands must stop and clean up when it fires. */
  signal: AbortSignal
}

export interface CommandResult {
  /** What `--json` prints (must be JSON-serialisable; bigints are printed as decimal strings). */
  json: unknown
  /** What a human sees without --json. */
  text: string
  /** 0 unless the command reports a negative outcome it did not throw for (e.g. a replay that did not match). */
  exitCode?: number
}

export interface Command {
  /** e.g. ['jobs', 'list'] for `escape-hatch jobs list`. */
  path: readonly string[]
  summary: string
  /** Positional arguments, shown in help, e.g. 'FILE'. */
  args?: string
  /** Longer help: what it does, what it reads, what it writes. */
  description?: string
  options?: Record<string, OptionSpec>
  run(ctx: CommandContext): Promise<CommandResult>
}

/** Thrown by a command whose arguments are wrong: exit code 2 and a pointer to the command's help. */
export class UsageError extends Error {
  override name = 'UsageError'
}

export function usageError(message: string): never {
  throw new UsageError(message)
}
