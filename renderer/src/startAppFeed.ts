/**
 * Connects the stores to main: subscribe to job changes and drill progress first, then tell main the window is ready
 * (it delivers the events it held back), then read the app info and the jobs list (the Drill screen reads the drill's
 * state when it opens). Failures are shown, never swallowed.
 */
import { invoke, onEvent } from './bridge'
import { useAppStore } from './stores/appStore'
import { useDrillStore } from './stores/drillStore'
import { useErrorStore } from './stores/errorStore'
import { useJobDetailStore } from './stores/jobDetailStore'
import { useJobsStore } from './stores/jobsStore'
import { useEscapeRunStore } from './stores/escapeRunStore'
import { useLedgerStore } from './stores/ledgerStore'
import { IpcDisconnectedError } from '../../shared/ipc/errors'

/** How often the window checks the service is still there (to show "Not connected" when it is gone). */
export const HEARTBEAT_MS = 4_000

export async function startAppFeed(): Promise<() => void> {
  const report = useErrorStore.getState().report
  const subscriptions: (() => void)[] = []
  const unsubscribe = () => {
    for (const off of subscriptions.splice(0)) off()
  }
  try {
    subscriptions.push(
      onEvent(
        'jobChanged',
        ({ job }) => {
          useJobsStore.getState().upsert(job)
          void useJobDetailStore.getState().refreshIfShowing(job.id)
        },
        (error) => report(error, 'Receiving a job update'),
      ),
      onEvent('drillProgress', (event) => useDrillStore.getState().applyProgress(event), (error) => report(error, 'Receiving drill progress')),
      onEvent('drillFinished', (event) => useDrillStore.getState().applyFinished(event), (error) => report(error, 'Receiving the drill’s result')),
      onEvent('escapeProgress', ({ jobId, at, message, counts }) => useEscapeRunStore.getState().addProgress(jobId, { at, message, ...(counts ? { counts } : {}) }), (error) => report(error, 'Receiving escape progress')),
      onEvent(
        'escapeRunChanged',
        (run) => {
          useEscapeRunStore.getState().setRun(run)
          void useJobDetailStore.getState().refreshIfShowing(run.jobId)
        },
        (error) => report(error, 'Receiving an escape’s state'),
      ),
      onEvent('ledgerSigning', (view) => useLedgerStore.getState().applySigning(view), (error) => report(error, 'Receiving what the Ledger signs')),
    )
    await invoke('rendererReady')
  } catch (error) {
    useAppStore.getState().setFailed()
    useJobsStore.getState().setFailed()
    report(error, 'Connecting to Escape Hatch')
    return unsubscribe
  }
  await Promise.all([
    invoke('getAppInfo').then(
      (info) => useAppStore.getState().setInfo(info),
      (error: unknown) => {
        useAppStore.getState().setFailed()
        report(error, 'Reading the app version')
      },
    ),
    invoke('listJobs').then(
      (list) => useJobsStore.getState().setList(list),
      (error: unknown) => {
        useJobsStore.getState().setFailed()
        report(error, 'Loading the jobs list')
      },
    ),
  ])
  subscriptions.push(watchConnection())
  return unsubscribe
}

/**
 * The backend can go away (the app's service process killed, the bridge stopped). Ask it something cheap now and
 * then: a lost transport shows "Not connected" in the header until it answers again.
 */
function watchConnection(): () => void {
  const timer = setInterval(() => {
    invoke('getAppInfo').then(
      (info) => {
        if (useAppStore.getState().connection !== 'ready') useAppStore.getState().setInfo(info)
      },
      (error: unknown) => {
        if (error instanceof IpcDisconnectedError) useAppStore.getState().setLost()
      },
    )
  }, HEARTBEAT_MS)
  return () => clearInterval(timer)
}
