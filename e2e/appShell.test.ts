/**
 * The app shell in Chromium through the loopback bridge, against the real services and a real journal: the jobs
 * list, a job's detail, live updates from main's events, keyboard navigation, and a screenshot to look at.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { JournalStore } from '../electron/services/journal/JournalStore'
import { artifactsDir, startAppUnderTest, type AppUnderTest } from './support/startAppUnderTest'
import { ARB_JOB, OP_JOB, RAW_TX, SIGNED_HASH, seedJobs } from './support/seedJobs'
import type { BrowserGlobals } from './support/browserGlobals'

let app: AppUnderTest

beforeAll(async () => {
  app = await startAppUnderTest((services) => seedJobs(services.journal))
  fs.mkdirSync(artifactsDir, { recursive: true })
})
afterAll(async () => {
  await app?.stop()
})

/** Accessible-ish name of the focused element: its text, or its aria-label. */
async function focused(): Promise<string> {
  return app.page.evaluate(() => {
    const { document } = globalThis as unknown as BrowserGlobals
    const el = document.activeElement
    if (!el || el === document.body) return '(body)'
    return `${el.tagName.toLowerCase()}:${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().replace(/\s+/g, ' ')}`
  })
}

describe('app shell through the loopback bridge', () => {
  it('shows the start screen, the app info and the jobs from the journal', async () => {
    const { page } = app
    await page.goto(app.bridge.url)
    await page.getByRole('heading', { level: 1, name: 'What do you want to do?' }).waitFor()
    const jobs = page.getByRole('navigation', { name: 'Jobs' })
    await jobs.getByRole('link').nth(1).waitFor()
    // Newest activity first: the Arbitrum job was written last.
    expect(await jobs.getByRole('link').allInnerTexts()).toEqual([
      expect.stringContaining(ARB_JOB.title),
      expect.stringContaining(OP_JOB.title),
    ])
    await expect.poll(() => page.locator('.app-status').innerText()).toBe('Version 0.1.0 · Linux · custom data folder')
    const resume = page.getByRole('region', { name: 'Resume a job' })
    expect(await resume.getByRole('link').allInnerTexts()).toEqual([ARB_JOB.title])
    expect(await resume.innerText()).toContain('1 transaction waiting')
    // The emergency path comes first, as a real action of the window.
    expect(await page.getByRole('region', { name: 'Get my funds out' }).getByRole('link', { name: 'Get my funds out' }).getAttribute('href')).toBe('#/escape')
    expect(await page.getByRole('region', { name: 'Practise with a drill' }).innerText()).toContain('npx escape-hatch drill --stack arbitrum')
    await page.screenshot({ path: path.join(artifactsDir, 'start-screen.png') })
  })

  it('is operable with the keyboard alone, with a visible focus ring, and opens a job', async () => {
    const { page } = app
    await page.goto(app.bridge.url)
    await page.getByRole('navigation', { name: 'Jobs' }).getByRole('link').nth(1).waitFor()
    const order: string[] = []
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab')
      order.push(await focused())
    }
    expect(order).toEqual([
      'button:Skip to main content',
      'a:Escape Hatch — start screen',
      expect.stringMatching(new RegExp(`^a:${ARB_JOB.title}`)),
      expect.stringMatching(new RegExp(`^a:${OP_JOB.title}`)),
    ])
    const ring = await page.evaluate(() => {
      const { document, getComputedStyle } = globalThis as unknown as BrowserGlobals
      return getComputedStyle(document.activeElement!).outlineStyle
    })
    expect(ring).toBe('solid')

    // Arrow keys move within the list; Enter opens the escape job on its single next action.
    await page.keyboard.press('ArrowUp')
    expect(await focused()).toMatch(new RegExp(`^a:${ARB_JOB.title}`))
    await page.keyboard.press('Enter')
    await page.getByRole('heading', { level: 1, name: ARB_JOB.title }).waitFor()
    await expect.poll(focused).toBe('button:Resume')
    expect(new URL(page.url()).hash).toBe(`#/jobs/${ARB_JOB.id}`)
  })

  it('renders the job detail from the journal: steps, the recorded error with its next steps, and the transaction', async () => {
    const { page } = app
    await page.goto(`${app.bridge.url}#/jobs/${ARB_JOB.id}`)
    const article = page.getByRole('article', { name: ARB_JOB.title })
    await article.waitFor()
    const steps = article.getByRole('region', { name: 'Steps' })
    expect(await steps.getByRole('listitem').filter({ has: page.locator('.step-name') }).locator('.step-name').allInnerTexts()).toEqual(['Scan L1', 'Fetch blobs', 'Sign your L2 withdrawal (not sent on L2)'])
    const failure = steps.getByRole('region', { name: 'A blob for batch 812 is no longer on the beacon node.' })
    expect(await failure.getByRole('listitem').allInnerTexts()).toEqual(['Add a blob archive endpoint in Settings.', 'Or point Escape Hatch at a beacon node that keeps blobs longer.'])
    expect(await failure.locator('details').getAttribute('open')).toBeNull()
    const txs = article.getByRole('table')
    expect(await txs.getByRole('row').nth(1).innerText()).toContain('Sent, waiting for inclusion')
    expect(await txs.getByText(SIGNED_HASH, { exact: true }).count()).toBe(1)
    // Signed bytes never reach the page.
    expect(await page.content()).not.toContain(RAW_TX.slice(2))
    expect(await article.getByRole('region', { name: 'Notes' }).innerText()).toContain('force-inclusion delay')
    await page.getByRole('link', { name: ARB_JOB.title }).first().evaluate((a) => a.getAttribute('aria-current')).then((v) => expect(v).toBe('page'))
    await page.screenshot({ path: path.join(artifactsDir, 'app-shell-job.png') })
  })

  it('updates the list and the open job live when the journal changes, also from another process', async () => {
    const { page } = app
    await page.goto(`${app.bridge.url}#/jobs/${ARB_JOB.id}`)
    await page.getByRole('article', { name: ARB_JOB.title }).waitFor()
    // Another writer (as the CLI would be): its store's events never reach ours; the directory watch does.
    app.services.journal.close()
    const cli = await JournalStore.open(app.jobsDir)
    try {
      await cli.append(ARB_JOB.id, { type: 'tx.mined', hash: SIGNED_HASH, blockNumber: '21000000', status: 'success' })
      await cli.append(ARB_JOB.id, { type: 'step.completed', step: 'sign-l2-tx', result: null })
      await cli.append(ARB_JOB.id, { type: 'step.started', step: 'wait-force-inclusion' })
      const created = await cli.createJob({ jobId: 'op-escape-20261121-0a0b0c', kind: 'op-escape', title: 'Drill: withdraw from the devnet', params: null })
      await page.getByRole('table').getByText('Included in block 21000000').waitFor()
      await page.getByRole('navigation', { name: 'Jobs' }).getByRole('link', { name: new RegExp(created.title) }).waitFor()
      expect(await page.getByRole('navigation', { name: 'Jobs' }).getByRole('link').first().innerText()).toContain(created.title)
      expect(await page.getByRole('navigation', { name: 'Jobs' }).getByRole('link', { name: new RegExp(ARB_JOB.title) }).innerText()).toContain('Wait for the force-inclusion delay')
    } finally {
      cli.close()
    }
  })

  it('made no request that left loopback, and logged no errors', () => {
    expect(app.requests.length).toBeGreaterThan(0)
    for (const url of app.requests) expect(new URL(url).host).toBe(`127.0.0.1:${app.bridge.port}`)
    expect(app.offLoopback).toEqual([])
    expect(app.pageErrors).toEqual([])
  })
})
