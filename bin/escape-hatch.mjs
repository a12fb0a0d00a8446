#!/usr/bin/env node
// Entry point for `npx escape-hatch` and `npm run drill`. The CLI is TypeScript run under plain Node through tsx,
// so the same sources serve the CLI, the tests and the Electron main process without a separate build step.
import { register } from 'tsx/esm/api'

register()
const { main } = await import('../electron/cli/main.ts')
process.exitCode = await main(process.argv.slice(2))
