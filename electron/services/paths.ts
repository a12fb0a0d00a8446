/**
 * Where Escape Hatch keeps its data (jobs, caches, devnet state). The CLI, the tests and the Electron app all use
 * this one function, so a job started in the app can be resumed from the CLI and the other way round.
 * ESCAPE_HATCH_HOME overrides everything (tests, portable installs, custodians' air-gapped machines).
 */
import * as os from 'node:os'
import * as path from 'node:path'

export function dataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const override = env.ESCAPE_HATCH_HOME?.trim()
  if (override) return path.resolve(override)
  const home = os.homedir()
  switch (platform) {
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', 'Escape Hatch')
    case 'win32':
      return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Escape Hatch')
    default:
      return path.join(env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'escape-hatch')
  }
}

export function jobsDir(base = dataDir()): string {
  return path.join(base, 'jobs')
}

export function cacheDir(base = dataDir()): string {
  return path.join(base, 'cache')
}

/** Drill runs, one sub-folder each (journal + report), whether started from the CLI or the app. */
export function drillsDir(base = dataDir()): string {
  return path.join(base, 'drills')
}

/** Reports the user saved as HTML. */
export function reportsDir(base = dataDir()): string {
  return path.join(base, 'reports')
}

/** Locks of the runs in progress (electron/services/jobs/createRunRegistry.ts): one file per run key, holding a PID. */
export function runsDir(base = dataDir()): string {
  return path.join(base, 'runs')
}
