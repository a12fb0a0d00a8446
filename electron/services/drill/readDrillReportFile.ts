/**
 * Reads a drill's saved report back from the drills folder. The file is on disk where anything could have changed
 * it, so it is untrusted: bounded in size, parsed as JSON, and checked against the window's report schema.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { z } from 'zod'
import { DrillReportUnreadableError } from '../../../shared/ipc/drillErrors'
import { DrillReportSchema } from '../../../shared/ipc/drillSchemas'
import { describeIssues } from '../../../shared/ipc/wire'
import { DRILL_REPORT_FILE } from './drillPaths'
import type { DrillReportFile } from './writeDrillReportFile'

/** A real report is a few kilobytes; anything near this is not one the app wrote. */
export const MAX_DRILL_REPORT_BYTES = 1024 * 1024

const DrillReportFileSchema = z.strictObject({ version: z.literal(1), cancelled: z.boolean(), report: DrillReportSchema })

/** The report, or undefined when the drill has none (a CLI run); throws DrillReportUnreadableError for a bad file. */
export function readDrillReportFile(drillDir: string, drillId: string): DrillReportFile | undefined {
  const file = path.join(drillDir, DRILL_REPORT_FILE)
  let fd: number
  try {
    fd = fs.openSync(file, 'r')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new DrillReportUnreadableError(drillId, 'the file cannot be opened', { cause: error })
  }
  let text: string
  try {
    const size = fs.fstatSync(fd).size
    if (size > MAX_DRILL_REPORT_BYTES) throw new DrillReportUnreadableError(drillId, `the file is ${size} bytes, more than a report can be (${MAX_DRILL_REPORT_BYTES})`)
    const bytes = Buffer.alloc(size)
    let read = 0
    while (read < size) {
      const n = fs.readSync(fd, bytes, read, size - read, read)
      if (n === 0) break
      read += n
    }
    text = bytes.subarray(0, read).toString('utf8')
  } finally {
    fs.closeSync(fd)
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new DrillReportUnreadableError(drillId, 'the file is not valid JSON', { cause: error })
  }
  const parsed = DrillReportFileSchema.safeParse(json)
  if (!parsed.success) throw new DrillReportUnreadableError(drillId, describeIssues(parsed.error, 5).join('; '))
  return parsed.data
}
