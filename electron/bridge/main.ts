/**
 * `npx tsx electron/bridge/main.ts [--data-dir DIR] [--port N] [--renderer DIR]`: runs the app's services and the
 * loopback bridge, and prints the URL (with the run's token) to open in a browser. Stops on Ctrl-C.
 */
import * as fs from 'node:fs'
import * as path from 'node:path'
import { parseArgs } from 'node:util'
import { fileURLToPath } from 'node:url'
import { oneLine, toEscapeError } from '../../shared/errors/EscapeError'
import { errorLogText, redactUrlsInText } from '../../shared/errors/redactUrls'
import { dataDir } from '../services/paths'
import { startIpcServices } from '../services/ipc/startIpcServices'
import { startBridge } from './startBridge'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string', default: '0' },
      renderer: { type: 'string', default: path.join(repoRoot, 'out/bridge-renderer') },
    },
    strict: true,
  })
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, not ${values.port}`)
  const customDataDir = values['data-dir'] !== undefined || Boolean(process.env.ESCAPE_HATCH_HOME?.trim())
  const home = values['data-dir'] ? path.resolve(values['data-dir']) : dataDir(process.env)
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }

  const services = await startIpcServices({
    dataDir: home,
    customDataDir,
    version: pkg.version,
    platform: process.platform,
    onUnexpectedError: (error, where) => console.error(`[bridge] unexpected error in ${where}: ${errorLogText(error)}`),
  })
  const bridge = await startBridge({ router: services.router, rendererDir: path.resolve(values.renderer), port })
  console.log(`Escape Hatch is running for your browser at:\n\n  ${bridge.url}\n\nData folder: ${home}\nPress Ctrl-C to stop.`)

  const stop = () => {
    void bridge.close().finally(() => {
      services.stop()
      process.exit(0)
    })
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

main().catch((error: unknown) => {
  console.error(redactUrlsInText(oneLine(toEscapeError(error, 'The bridge could not start.'))))
  process.exit(1)
})
