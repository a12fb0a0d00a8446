import { defineConfig } from 'vitest/config'
import react from '@vitejs/plugin-react'

// Unit and integration tests. Devnet integration tests start real anvil processes; they are part of the suite,
// so their timeouts are generous and the pool is forks (child processes are cleaned up per file).
export default defineConfig({
  test: {
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 120_000,
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
