import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ChooseFileOptions, FileDialog } from '../files/fileDialog'
import { FileDialogUnavailableError } from '../files/FileDialogUnavailableError'
import { ChosenPathRefusedError } from '../files/writeFileAtChosenPath'
import { jsonPathBeside, saveReport, writeReportFiles, writeReportFilesAtChosenPath } from './writeReportFiles'

const KEY = 'SECRETKEY123report'
const html = `<p>L1 https://rpc.example/v2/${KEY}</p>`
const json = { l1: `https://rpc.example/v2/${KEY}`, n: 1 }

let dir: string
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eh-report-as-'))
})
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true })
})

/** The save dialog as main sees it: the answer the user gave (a path, or none when they closed it). */
function dialogAnswering(answer: string | undefined, asked: ChooseFileOptions[] = []): FileDialog {
  return {
    chooseSavePath: (options) => {
      asked.push(options)
      return Promise.resolve(answer)
    },
    chooseOpenPath: () => Promise.resolve(undefined),
  }
}

function expectNoKey(...files: string[]): void {
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8')
    expect(text).not.toContain(KEY)
    expect(text).toContain('https://rpc.example/…')
  }
}

describe('report files (HTML + JSON) where the user chooses', () => {
  it('puts the JSON beside the chosen HTML, both cut of URL paths, private, and no temporary left', () => {
    const target = path.join(dir, 'for support.html')
    const written = writeReportFilesAtChosenPath(target, html, json)
    expect(written.htmlPath).toBe(target)
    expect(written.jsonPath).toBe(path.join(dir, 'for support.json'))
    expectNoKey(written.htmlPath, written.jsonPath)
    expect(JSON.parse(fs.readFileSync(written.jsonPath, 'utf8'))).toEqual({ l1: 'https://rpc.example/…', n: 1 })
    expect(fs.readdirSync(dir).sort()).toEqual(['for support.html', 'for support.json'])
    expect(fs.statSync(written.htmlPath).mode & 0o777).toBe(0o600)
    expect(written.bytes).toBe(fs.statSync(written.htmlPath).size + fs.statSync(written.jsonPath).size)
  })

  it('names the JSON from the HTML name, with or without .html', () => {
    expect(jsonPathBeside('/a/r.html')).toBe('/a/r.json')
    expect(jsonPathBeside('/a/r.HTM')).toBe('/a/r.json')
    expect(jsonPathBeside('/a/report')).toBe('/a/report.json')
    expect(jsonPathBeside('/a/r.txt')).toBe('/a/r.txt.json')
  })

  it('refuses a .json target, a folder, and a JSON slot that is a link, writing nothing', () => {
    fs.writeFileSync(path.join(dir, 'elsewhere'), 'keep')
    fs.symlinkSync(path.join(dir, 'elsewhere'), path.join(dir, 'r.json'))
    expect(() => writeReportFilesAtChosenPath(path.join(dir, 'x.json'), html, json)).toThrow(/name the \.html file/)
    expect(() => writeReportFilesAtChosenPath(dir, html, json)).toThrow(ChosenPathRefusedError)
    expect(() => writeReportFilesAtChosenPath(path.join(dir, 'r.html'), html, json)).toThrow(/a link/)
    expect(fs.readdirSync(dir).sort()).toEqual(['elsewhere', 'r.json'])
    expect(fs.readFileSync(path.join(dir, 'elsewhere'), 'utf8')).toBe('keep')
  })

  it('writes into reports/ by default, through the same atomic writer', () => {
    const written = writeReportFiles(path.join(dir, 'reports'), 'job-x', html, json)
    expectNoKey(written.htmlPath, written.jsonPath)
    expect(fs.readdirSync(path.join(dir, 'reports')).sort()).toEqual(['job-x.html', 'job-x.json'])
  })
})

describe('saveReport: the destination the window asked for', () => {
  const base = { baseName: 'diagnosis-2026-12-08T00-00-00-000Z-abcdef', html, json, title: 'Save the diagnosis report' }

  it('asks the save dialog with the report’s name, and writes where it answered', async () => {
    const asked: ChooseFileOptions[] = []
    const target = path.join(dir, 'chosen.html')
    const written = await saveReport({ ...base, to: { kind: 'choose' }, dir: path.join(dir, 'reports'), fileDialog: dialogAnswering(target, asked) })
    expect(written).toMatchObject({ htmlPath: target, jsonPath: path.join(dir, 'chosen.json') })
    expect(asked).toEqual([{ title: 'Save the diagnosis report', defaultName: `${base.baseName}.html`, filters: [{ name: 'HTML report (the JSON is saved beside it)', extensions: ['html'] }] }])
    expect(fs.existsSync(path.join(dir, 'reports'))).toBe(false)
  })

  it('writes nothing when the dialog is closed, and says so', async () => {
    expect(await saveReport({ ...base, to: { kind: 'choose' }, dir, fileDialog: dialogAnswering(undefined) })).toEqual({ cancelled: true })
    expect(fs.readdirSync(dir)).toEqual([])
  })

  it('without a dialog (the loopback bridge) asks for a typed path; a typed path is checked and written', async () => {
    await expect(saveReport({ ...base, to: { kind: 'choose' }, dir, fileDialog: undefined })).rejects.toBeInstanceOf(FileDialogUnavailableError)
    await expect(saveReport({ ...base, to: { kind: 'path', path: 'relative.html' }, dir, fileDialog: undefined })).rejects.toThrow(/full path/)
    const written = await saveReport({ ...base, to: { kind: 'path', path: path.join(dir, 'typed.html') }, dir, fileDialog: undefined })
    expect(written).toMatchObject({ htmlPath: path.join(dir, 'typed.html'), jsonPath: path.join(dir, 'typed.json') })
    const byDefault = await saveReport({ ...base, to: undefined, dir: path.join(dir, 'reports'), fileDialog: undefined })
    expect(byDefault).toMatchObject({ htmlPath: path.join(dir, 'reports', `${base.baseName}.html`) })
  })
})
