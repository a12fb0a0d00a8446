/**
 * Every `escape-hatch` command, in the order `--help` lists them. Add one import and one entry per command;
 * a command is listed only when it works (no placeholders).
 */
import type { Command } from '../command'
import { jobsListCommand, jobsShowCommand } from './jobs'
import { versionCommand } from './version'

export const commands: readonly Command[] = [
  versionCommand,
  jobsListCommand,
  jobsShowCommand,
]
