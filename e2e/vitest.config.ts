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
  },
})
