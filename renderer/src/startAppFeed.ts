/**
 * Connects the stores to main: subscribe to job changes first, then tell main the window is ready (it delivers the
 * events it held back), then read the app info and the jobs list. Failures are shown, never swallowed.
 */
import { invoke, onEvent } from './bridge'
import { useAppStore } from './stores/appStore'
import { useErrorStore } from './stores/errorStore'
import { useJobDetailStore } from './stores/jobDetailStore'
import { useJobsStore } from './stores/jobsStore'

export async function startAppFeed(): Promise<() => void> {
  const report = useErrorStore.getState().report
  let unsubscribe: () => void = () => {}
  try {
    unsubscribe = onEvent(
      'jobChanged',
      ({ job }) => {
        useJobsStore.getState().upsert(job)
        void useJobDetailStore.getState().refreshIfShowing(job.id)
      },
      (error) => report(error, 'Receiving a job update'),
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
  return unsubscribe
}
