import { defineConfig } from 'vitest/config'
import react from '@vitejs/plugin-react'

// Unit and integration tests. Devnet integration tests start real anvil processes; they are part of the suite,
// so their timeouts are generous and the pool is forks (child processes are cleaned up per file).
// Every wait is bounded: per test and hook (vitest's timers, inside the worker) and, from outside the workers, by the
// watchdog reporter (tools/watchdog): a test or hook still running after 10 min, or a run past 45 min, is named on
// stderr, every process the run started is killed by PID, and the run fails.
export default defineConfig({
  test: {
    pool: 'forks',
    // vitest's default on 2 cores is ONE worker (cpus − 1): the devnet tests spend most of their time waiting on
    // anvil and child processes, so two workers overlap that waiting with CPU work (unit suite 585 s with one worker, 426 s with two on a busy machine).
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    teardownTimeout: 30_000,
    setupFiles: ['./tools/watchdog/recordRunningTest.ts'],
    reporters: ['default', ['./tools/watchdog/WatchdogReporter.ts', { perTestMs: 600_000, overallMs: 45 * 60_000 }]],
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['shared/**/*.test.ts', 'electron/**/*.test.ts', 'contracts-abi/**/*.test.ts', 'tools/**/*.test.ts', 'bench/**/*.test.ts', 'fixtures/**/*.test.ts'],
        },
      },
      {
        extends: true,
        plugins: [react()],
        test: {
          name: 'renderer',
          environment: 'jsdom',
          include: ['renderer/**/*.test.ts', 'renderer/**/*.test.tsx'],
        },
      },
    ],
  },
})
