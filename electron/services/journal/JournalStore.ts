/**
 * The job journal on disk: one append-only file per job (`<jobId>.jsonl`), one record per line, each record fsynced
 * before `append` resolves. Nothing here interprets records beyond the pure rules in shared/journal.
 *
 * Crash safety:
 * - each record names the hash of the line before it (hash chain), and after each fsynced append the job's committed
 *   length (records, bytes, last line's hash) is written to `<jobId>.commit` (shared/journal/commitCodec.ts) and
 *   fsynced before `append` resolves; so a record was acted on only if the commit covers it;
 * - a torn last line beyond the commit (the process died mid-append) was never acknowledged; on load it is copied
 *   aside to `<jobId>.torn-<time>.txt` and cut from the file, so the next append starts on a clean line;
 * - a journal shorter than its commit, whose record at the commit is another one, or whose chain is broken, LOST
 *   records that were acted on (a signed transaction may be on L1): that is damage, never a torn tail;
 * - a damaged complete line is reported, copied aside once to `<jobId>.corrupt-<hash of the file>.txt` with the reason, and the file
 *   is left untouched; the job is then read-only (state = the intact prefix) until a person looks at it.
 * - one writer per job: a lock file holds the writer's pid; a lock whose process is gone is taken over.
 * Journals written before the commit file existed (no chained record) replay as before; the commit file is created
 * when such a job is next written to.
 */
import { EventEmitter } from 'node:events'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { createHash, randomBytes } from 'node:crypto'
import { EscapeError, registerErrorClass } from '../../../shared/errors/EscapeError'
import { redactUrlsDeep } from '../../../shared/errors/redactUrls'
import { appendRefusal } from '../../../shared/journal/appendRules'
import { checkAgainstCommit, decodeCommitFile, encodeCommitFile, encodeCommitSlot, type JournalCommit } from '../../../shared/journal/commitCodec'
import { decodeJournal, encodeRecordLine, lineHash, type JournalProblem } from '../../../shared/journal/lineCodec'
import { journalEventSchema, recordVersionOf, type JournalEvent, type JournalRecord, type JsonValue } from '../../../shared/journal/records'
import { applyRecord, compareJobsNewestFirst, reduce, summarize, type JobState, type JobSummary } from '../../../shared/journal/reduce'
import { releasePidLock, takePidLock } from '../processes/pidLock'

export class JournalError extends EscapeError {
  override name = 'JournalError'
}
registerErrorClass('JournalError', JournalError)

export interface LoadedJob {
  state: JobState
  records: JournalRecord[]
  problems: JournalProblem[]
  /** True when a complete record could not be read: the job is read-only until someone looks at it. */
  damaged: boolean
  file: string
}

interface OpenJob {
  loaded: LoadedJob
  fd: number | undefined
  /** The journal's committed end: the next record links to `last`, and the commit file is updated to it. */
  tip: JournalCommit | undefined
  commitFd?: number
}

const JOB_FILE = /^([a-z0-9][a-z0-9-]{2,80})\.jsonl$/

export interface JournalStoreEvents {
  changed: [jobId: string, state: JobState]
}

export class JournalStore extends EventEmitter<JournalStoreEvents> {
  private readonly jobs = new Map<string, OpenJob>()
  private closed = false

  private constructor(readonly dir: string, private readonly now: () => Date) {
    super()
  }

  static async open(dir: string, options: { now?: () => Date } = {}): Promise<JournalStore> {
    try {
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
    } catch (cause) {
      throw new JournalError('The job journal folder cannot be created.', {
        steps: [`Check that ${dir} is writable, or set ESCAPE_HATCH_HOME to a writable folder.`],
        kind: 'user-action',
        cause,
      })
    }
    return new JournalStore(dir, options.now ?? (() => new Date()))
  }

  /** Create a job; its first record is written and fsynced before this resolves. */
  async createJob(input: { kind: string; title: string; params: JsonValue; jobId?: string }): Promise<JobState> {
    const id = input.jobId ?? newJobId(input.kind, this.now())
    const file = this.fileOf(id)
    let fd: number
    try {
      fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL | fs.constants.O_APPEND, 0o600)
    } catch (cause) {
      throw new JournalError(`A job named ${id} already exists or cannot be created.`, { steps: ['Choose another job id.'], kind: 'user-action', cause })
    }
    this.takeLock(id)
    const record = this.validRecord(id, 0, { type: 'job.created', kind: input.kind, title: input.title, params: input.params }, undefined)
    const line = encodeRecordLine(record)
    const tip: JournalCommit = { records: 1, bytes: Buffer.byteLength(line), last: lineHash(line) }
    // The commit first: a crash before the line is written leaves an empty journal (no job), never an uncommitted one.
    this.createCommitFile(id, tip)
    writeDurably(fd, line)
    fsyncDir(this.dir)
    const state = applyRecord(undefined, record)
    this.jobs.set(id, { loaded: { state, records: [record], problems: [], damaged: false, file }, fd, tip })
    this.emit('changed', id, state)
    return state
  }

  /** Append one record; resolves after it is on disk (fsync). Refuses records that break the journal's rules. */
  async append(jobId: string, event: JournalEvent): Promise<JournalRecord> {
    const job = this.openForWrite(jobId)
    const { state } = job.loaded
    const refusal = appendRefusal(state, event)
    if (refusal) throw new JournalError(`This step cannot be recorded: ${refusal}.`, { steps: ['This is a bug in Escape Hatch; export the job report and send it to support.'], details: `job ${jobId}, record ${event.type}` })
    const record = this.validRecord(jobId, state.lastSeq + 1, event, job.tip?.last)
    const line = encodeRecordLine(record)
    writeDurably(job.fd, line)
    // The line is in the file: the next record follows it even if the commit below fails (a commit may lag the file,
    // never lead it), so the in-memory job moves on first.
    const tip: JournalCommit = { records: record.seq + 1, bytes: (job.tip?.bytes ?? 0) + Buffer.byteLength(line), last: lineHash(line) }
    job.tip = tip
    job.loaded = { ...job.loaded, state: applyRecord(state, record), records: [...job.loaded.records, record] }
    this.writeCommit(jobId, tip)
    this.emit('changed', jobId, job.loaded.state)
    return record
  }

  /** Read a job from disk (or the open copy), replaying the longest intact prefix. */
  async load(jobId: string): Promise<LoadedJob> {
    const open = this.jobs.get(jobId)
    if (open) return open.loaded
    return this.readJob(jobId).loaded
  }

  async list(): Promise<{ jobs: JobSummary[]; problems: { jobId: string; problems: JournalProblem[] }[] }> {
    const jobs: JobSummary[] = []
    const problems: { jobId: string; problems: JournalProblem[] }[] = []
    for (const name of fs.readdirSync(this.dir)) {
      const m = JOB_FILE.exec(name)
      if (!m?.[1]) continue
      try {
        const loaded = await this.load(m[1])
        jobs.push(summarize(loaded.state))
        if (loaded.problems.length > 0) problems.push({ jobId: m[1], problems: loaded.problems })
      } catch (error) {
        problems.push({ jobId: m[1], problems: [{ kind: 'corrupt', line: 1, byteOffset: 0, reason: error instanceof Error ? error.message : String(error), text: '', linesAfter: 0 }] })
      }
    }
    jobs.sort(compareJobsNewestFirst)
    return { jobs, problems }
  }

  /** Release file handles and locks. */
  close(): void {
    if (this.closed) return
    this.closed = true
    for (const [id, job] of this.jobs) {
      if (job.fd !== undefined) fs.closeSync(job.fd)
      if (job.commitFd !== undefined) fs.closeSync(job.commitFd)
      releasePidLock(this.lockOf(id))
    }
    this.jobs.clear()
  }

  private openForWrite(jobId: string): OpenJob & { fd: number } {
    if (this.closed) throw new JournalError('The journal is closed.', { details: jobId })
    let job = this.jobs.get(jobId)
    if (!job || job.fd === undefined) {
      const read = job ? { loaded: job.loaded, tip: job.tip, committed: true } : this.readJob(jobId, { repairTornTail: true })
      const { loaded, tip } = read
      if (loaded.damaged) throw damagedJournalError(loaded)
      this.takeLock(jobId)
      // A journal from before the commit file: its commit starts now, at what the file holds.
      if (!read.committed && tip) this.createCommitFile(jobId, tip)
      const fd = fs.openSync(loaded.file, fs.constants.O_WRONLY | fs.constants.O_APPEND)
      job = { loaded, fd, tip }
      this.jobs.set(jobId, job)
    }
    return job as OpenJob & { fd: number }
  }

  /** The job as the file holds it; `tip` is the intact records' end (where the next record links), `committed` whether a commit file exists. */
  private readJob(jobId: string, options: { repairTornTail?: boolean } = {}): { loaded: LoadedJob; tip: JournalCommit | undefined; committed: boolean } {
    const file = this.fileOf(jobId)
    let text: string
    try {
      text = fs.readFileSync(file, 'utf8')
    } catch (cause) {
      throw new JournalError(`There is no job ${jobId}.`, { steps: ['Run `escape-hatch jobs list` to see the jobs on this computer.'], kind: 'user-action', cause })
    }
    const decoded = decodeJournal(text, jobId)
    const state = reduce(decoded.records)
    if (!state) {
      throw new JournalError(`The journal of job ${jobId} has no readable first record.`, {
        steps: ['Nothing was deleted. Export the journal file and contact support.'],
        details: decoded.problems.map(describeProblem).join('; '),
      })
    }
    // What was written and acknowledged (the commit) against what the file holds: records lost at the end are damage.
    const commit = this.readCommit(jobId)
    const chained = decoded.records.some((r) => r.v >= 3)
    let lost: string | undefined
    if (commit === 'unreadable') lost = 'the record of how much of the journal was written (its .commit file) cannot be read'
    else if (commit === undefined && chained) lost = 'the record of how much of the journal was written (its .commit file) is missing'
    else if (commit !== undefined && !decoded.damaged) lost = checkAgainstCommit(decoded.lineHashes, commit)
    const problems = [...decoded.problems]
    const tornIndex = problems.findIndex((p) => p.kind === 'torn-tail')
    if (lost !== undefined) {
      const torn = tornIndex >= 0 ? problems.splice(tornIndex, 1)[0] : undefined
      const committed = typeof commit === 'object' ? commit.records : decoded.records.length
      problems.push({ kind: 'lost', present: decoded.records.length, committed, reason: lost, text: torn?.kind === 'torn-tail' ? torn.text : '' })
    }
    const damaged = decoded.damaged || lost !== undefined
    const stamp = this.now().toISOString().replace(/[:.]/g, '-')
    const damage = problems.filter((p) => p.kind === 'corrupt' || p.kind === 'newer-version' || p.kind === 'lost')
    if (damage.length > 0) {
      // Named by the hash of the damaged file, so each damage is set aside once: loading a damaged job is a read
      // (jobs list, the app's job list) and must not leave a new file behind every time.
      const aside = path.join(this.dir, `${jobId}.corrupt-${createHash('sha256').update(text).digest('hex').slice(0, 16)}.txt`)
      if (!fs.existsSync(aside)) writeFileDurably(aside, damage.map((p) => `${describeProblem(p)}\n${p.kind === 'newer-version' ? '' : p.text}\n`).join(''))
    }
    const torn = problems.find((p) => p.kind === 'torn-tail')
    if (torn && options.repairTornTail && !damaged) {
      // Keep the torn bytes, then cut them so the next record starts on its own line.
      writeFileDurably(path.join(this.dir, `${jobId}.torn-${stamp}.txt`), text.slice(text.lastIndexOf('\n') + 1))
      const fd = fs.openSync(file, 'r+')
      try {
        fs.ftruncateSync(fd, decoded.completeBytes)
        fs.fsyncSync(fd)
      } finally {
        fs.closeSync(fd)
      }
    }
    const loaded = { state, records: decoded.records, problems, damaged, file }
    // The writer continues from what the file holds (possibly one acknowledged-but-uncommitted record past the commit).
    const last = decoded.lineHashes[decoded.lineHashes.length - 1]
    const tip = last === undefined || damaged ? undefined : { records: decoded.records.length, bytes: decoded.completeBytes, last }
    return { loaded, tip, committed: commit !== undefined }
  }

  private readCommit(jobId: string): JournalCommit | 'unreadable' | undefined {
    let text: string
    try {
      text = fs.readFileSync(this.commitFileOf(jobId), 'latin1')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
      return 'unreadable'
    }
    return decodeCommitFile(text) ?? 'unreadable'
  }

  /** A new commit file, made durable by rename: it never exists half-written. */
  private createCommitFile(jobId: string, commit: JournalCommit): void {
    const final = this.commitFileOf(jobId)
    const tmp = `${final}.tmp-${process.pid}`
    writeFileDurably(tmp, encodeCommitFile(commit))
    fs.renameSync(tmp, final)
    fsyncDir(this.dir)
  }

  /** Update the commit in place (one slot) and fsync: after this, the record is acknowledged. */
  private writeCommit(jobId: string, commit: JournalCommit): void {
    const job = this.jobs.get(jobId)!
    job.commitFd ??= fs.openSync(this.commitFileOf(jobId), 'r+')
    const { offset, text } = encodeCommitSlot(commit)
    const bytes = Buffer.from(text, 'latin1')
    let written = 0
    while (written < bytes.length) written += fs.writeSync(job.commitFd, bytes, written, bytes.length - written, offset + written)
    fs.fsyncSync(job.commitFd)
  }

  private validRecord(jobId: string, seq: number, event: JournalEvent, prev: string | undefined): JournalRecord {
    const parsed = journalEventSchema.safeParse(event)
    if (!parsed.success) {
      throw new JournalError('A step produced a journal record that is not valid.', {
        steps: ['This is a bug in Escape Hatch; nothing was written.'],
        details: `${event.type}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join(', ')}`,
      })
    }
    // No record may hold an RPC URL beyond its host (issue 14 #4); only the job's saved parameters keep theirs.
    return { v: recordVersionOf(parsed.data), seq, ...(prev !== undefined ? { prev } : {}), at: this.now().toISOString(), jobId, ...redactUrlsDeep(parsed.data, { keepKeys: ['params'] }) } as JournalRecord
  }

  private takeLock(jobId: string): void {
    const lock = this.lockOf(jobId)
    const taken = takePidLock(lock)
    if (!taken.taken) {
      throw new JournalError(`Job ${jobId} is open in another Escape Hatch window or command (process ${taken.holder}).`, {
        steps: ['Close the other window or wait for the other command to finish, then try again.'],
        kind: 'user-action',
      })
    }
  }

  private fileOf(jobId: string): string {
    if (!/^[a-z0-9][a-z0-9-]{2,80}$/.test(jobId)) throw new JournalError(`"${jobId}" is not a job id.`, { kind: 'user-action', steps: ['Job ids look like arb-escape-20261121-ab12cd.'] })
    return path.join(this.dir, `${jobId}.jsonl`)
  }

  private commitFileOf(jobId: string): string {
    return path.join(this.dir, `${jobId}.commit`)
  }

  private lockOf(jobId: string): string {
    return path.join(this.dir, `${jobId}.lock`)
  }
}

export function describeProblem(p: JournalProblem): string {
  switch (p.kind) {
    case 'torn-tail':
      return `an unfinished last record (${p.bytes} bytes at offset ${p.byteOffset}) from an interrupted write was set aside`
    case 'corrupt':
      return `line ${p.line} (offset ${p.byteOffset}) is damaged: ${p.reason}; ${p.linesAfter} later line(s) were not applied`
    case 'newer-version':
      return `line ${p.line} was written by a newer Escape Hatch (record version ${p.version}); update the app to continue this job`
    case 'lost':
      return `records that were written are missing: ${p.reason} (${p.present} intact, ${p.committed} written)`
  }
}

/** Refusal to act on a damaged journal: what is wrong, and — when records were lost — why nothing may be signed. */
export function damagedJournalError(loaded: LoadedJob): JournalError {
  const lost = loaded.problems.some((p) => p.kind === 'lost')
  return new JournalError('This job\'s journal is damaged, so Escape Hatch will not act on it.', {
    // The first step is the one a one-line error shows: for lost records, why nothing may be signed.
    steps: [
      ...(lost
        ? ['Records this job had written are missing, so a transaction it signed may already be on L1: nothing will be signed for this job, and do not start a second escape for the same withdrawal.']
        : []),
      'Nothing has been deleted: the damaged lines were copied next to the journal file.',
      ...(lost ? ['If you have a backup of the job folder, restore both the .jsonl and the .commit file of this job; otherwise check your account on L1 (`escape-hatch arb status`).'] : []),
      'Export the job report and contact support before retrying any step.',
    ],
    kind: 'user-action',
    details: `${loaded.file}: ${loaded.problems.map(describeProblem).join('; ')}`,
  })
}

function newJobId(kind: string, now: Date): string {
  const prefix = kind.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'job'
  const date = now.toISOString().slice(0, 10).replace(/-/g, '')
  return `${prefix}-${date}-${randomBytes(3).toString('hex')}`
}

function writeDurably(fd: number, line: string): void {
  const bytes = Buffer.from(line, 'utf8')
  let written = 0
  while (written < bytes.length) written += fs.writeSync(fd, bytes, written, bytes.length - written)
  fs.fsyncSync(fd)
}

function writeFileDurably(file: string, content: string): void {
  const fd = fs.openSync(file, 'w', 0o600)
  try {
    writeDurably(fd, content)
  } finally {
    fs.closeSync(fd)
  }
}

function fsyncDir(dir: string): void {
  // Directory fsync makes the new file's name durable; not supported on Windows, where it is a no-op by design.
  if (process.platform === 'win32') return
  const fd = fs.openSync(dir, 'r')
  try {
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
}

