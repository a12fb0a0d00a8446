// Renders build/icon.svg to build/icon.png (1024×1024, what electron-builder converts for every target) with the
// Debian Chromium used by the e2e suite: `npx tsx build/renderIcon.ts`.
import * as fs from 'node:fs'
import { chromium } from 'playwright-core'

const svg = fs.readFileSync(new URL('./icon.svg', import.meta.url), 'utf8')
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] })
try {
  const page = await browser.newPage({ viewport: { width: 1024, height: 1024 } })
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg.replace('<svg ', '<svg width="1024" height="1024" ')}</body></html>`)
  await page.screenshot({ path: new URL('./icon.png', import.meta.url).pathname, omitBackground: true })
} finally {
  await browser.close()
}
