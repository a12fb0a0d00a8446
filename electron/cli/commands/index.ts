/**
 * Every `escape-hatch` command, in the order `--help` lists them (grouped by what the user is doing). Add one import
 * and one entry per command, in its group;
 * a command is listed only when it works.
 */
import type { Command } from '../command'
import { jobsListCommand, jobsShowCommand } from './jobs'
import { jobsAbandonCommand } from './jobs-abandon'
import { versionCommand } from './version'
import { devnetUpCommand } from './devnet-up'
import { devnetDownCommand } from './devnet-down'
import { arbDecodeBatchCommand } from './arb-decode-batch'
import { signFileCommand } from './sign-file'
import { verifyFileCommand } from './verify-file'
import { opDecodeBatcherTxCommand } from './op-decode-batcher-tx'
import { opDeriveCommand } from './op-derive'
import { accountsCommand } from './accounts'
import { arbStatusCommand } from './arb-status'
import { arbRetryablesCommand } from './arb-retryables'
import { arbRedeemCommand } from './arb-redeem'
import { statusCommand } from './status'
import { drillCommand } from './drill'
import { opReplayBlockCommand } from './op-replay-block'
import { opReplayRangeCommand } from './op-replay-range'
import { opRebuildCommand } from './op-rebuild'
import { opGenesisCommand } from './op-genesis'
import { arbEscapeCommand } from './arb-escape'
import { opEscapeCommand } from './op-escape'
import { jobsResumeCommand } from './jobs-resume'
import { jobsBumpFeeCommand } from './jobs-bump-fee'
import { jobsExportCommand } from './jobs-export'
import { networksCommand } from './networks'

export const commands: readonly Command[] = [
  // Diagnose and escape (real networks)
  statusCommand,
  networksCommand,
  arbStatusCommand,
  arbRetryablesCommand,
  arbRedeemCommand,
  arbEscapeCommand,
  opEscapeCommand,
  jobsListCommand,
  jobsShowCommand,
  jobsResumeCommand,
  jobsBumpFeeCommand,
  jobsExportCommand,
  jobsAbandonCommand,
  // Signing, also on an offline machine
  accountsCommand,
  signFileCommand,
  verifyFileCommand,
  // Rehearse
  drillCommand,
  devnetUpCommand,
  devnetDownCommand,
  // Rebuild from L1 (tools)
  opDeriveCommand,
  opDecodeBatcherTxCommand,
  opReplayBlockCommand,
  opReplayRangeCommand,
  opRebuildCommand,
  opGenesisCommand,
  arbDecodeBatchCommand,
  versionCommand,
]
