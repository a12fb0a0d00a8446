/**
 * Start a module (by its import.meta.url) in a worker thread. Under tsx (the sources run as .ts: tests, `npm run dev`,
 * the CLI before it is built) the worker first registers tsx's loader; a built .js module starts directly.
 * The one place that knows how a worker finds its code (rebuild workers use it).
 */
import { Worker } from 'node:worker_threads'

export function spawnModuleWorker(moduleUrl: string, workerData: unknown): Worker {
  if (!moduleUrl.endsWith('.ts')) return new Worker(new URL(moduleUrl), { workerData })
  const tsxApi = import.meta.resolve('tsx/esm/api')
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(moduleUrl)}) })`
  return new Worker(bootstrap, { eval: true, workerData })
}
