/**
 * The drill channels of a router built without a drill service (some tests build the handlers around a journal
 * only): every drill action answers with DrillUnavailableError, and there is never a status or a past drill.
 */
import { DrillUnavailableError } from '../../../shared/ipc/drillErrors'
import type { DrillService } from './createDrillService'

export const unavailableDrillService: DrillService = {
  start() {
    throw new DrillUnavailableError()
  },
  cancel: () => ({ status: 'unknown' }),
  status: () => ({}),
  list: async () => ({ drills: [], truncated: false }),
  saveReport: async () => {
    throw new DrillUnavailableError()
  },
  idle: async () => {},
  stop: async () => {},
}
