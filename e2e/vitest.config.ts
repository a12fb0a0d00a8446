import { defineConfig } from 'vitest/config'

// End-to-end tests: the renderer build in Debian Chromium (playwright-core) against the loopback bridge and the real
// services. `npm run e2e` builds the renderer first. One file at a time: each starts its own browser.
export default defineConfig({
  test: {
    root: '.',
    include: ['e2e/**/*.test.ts'],
    environment: 'node',
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    // A hang fails fast with its name: see tools/watchdog (the longest e2e wait is 150 s).
    setupFiles: ['./tools/watchdog/recordRunningTest.ts'],
    reporters: ['default', ['./tools/watchdog/WatchdogReporter.ts', { perTestMs: 300_000, overallMs: 20 * 60_000 }]],
  },
})
