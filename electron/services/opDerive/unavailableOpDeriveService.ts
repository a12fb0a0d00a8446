/**
 * The rebuild channels of a router built without the service (some tests build the handlers around a journal only):
 * starting answers OpDeriveUnavailableError, and there is never a run.
 */
import { OpDeriveUnavailableError } from '../../../shared/ipc/opDeriveErrors'
import type { OpDeriveService } from './createOpDeriveService'

export const unavailableOpDeriveService: OpDeriveService = {
  start() {
    throw new OpDeriveUnavailableError()
  },
  cancel: () => ({ status: 'unknown' }),
  status: () => ({}),
  idle: async () => {},
  stop: async () => {},
}
