import * as fs from 'node:fs'
import * as path from 'node:path'
import { EscapeError } from '../../../shared/errors/EscapeError'
import { JournalStore } from '../../services/journal/JournalStore'
import { jobsDir } from '../../services/paths'
import { buildJobReport, renderJobReportHtml } from '../../services/reports/buildJobReport'
// Static JSON import (not a read relative to this file) so the built CLI bundle (out/cli) carries it too.
import packageJson from '../../../package.json' with { type: 'json' }
import { usageError, type Command } from '../command'

/** `escape-hatch jobs export`: the report support staff ask for, read-only, with secrets cut out. */
export const jobsExportCommand: Command = {
  path: ['jobs', 'export'],
  args: 'JOB_ID',
  summary: 'Write a shareable report of one job (HTML or JSON) for support: steps, errors, transactions; no keys, URLs cut to host.',
  description:
    'Reads the job\'s journal (nothing is changed, signed or sent) and writes a self-contained report. RPC URLs are cut to ' +
    'scheme and host because they often carry API keys; signed transaction bytes are left out unless --include-raw.',
  options: {
    out: { type: 'string', description: 'Where to write the report; .html for a readable page, .json for data.', valueName: 'FILE' },
    'include-raw': { type: 'boolean', description: 'Also include the signed transaction bytes.' },
  },
  async run(ctx) {
    const id = ctx.positionals[0]
    if (!id || ctx.positionals.length > 1) usageError('give exactly one job id')
    const out = ctx.options.out
    if (typeof out !== 'string' || !/\.(html?|json)$/i.test(out)) usageError('--out FILE is required and must end in .html or .json')
    const store = await JournalStore.open(jobsDir(ctx.dataDir))
    try {
      const loaded = await store.load(id)
      const report = buildJobReport({ loaded, app: { version: packageJson.version, platform: `${process.platform}/${process.arch}` }, includeRaw: ctx.options['include-raw'] === true })
      const content = /\.json$/i.test(out) ? `${JSON.stringify(report, null, 2)}\n` : renderJobReportHtml(report)
      try {
        fs.writeFileSync(out, content, { encoding: 'utf8', mode: 0o600 })
      } catch (cause) {
        throw new EscapeError(`The report could not be written to ${out}.`, { kind: 'user-action', steps: ['Choose a folder you can write to with --out.'], cause })
      }
      const file = path.resolve(out)
      return { json: { file, jobId: id, status: report.job.status, damaged: report.journal.damaged }, text: `Report for ${id} written to ${file}` }
    } finally {
      store.close()
    }
  },
}
