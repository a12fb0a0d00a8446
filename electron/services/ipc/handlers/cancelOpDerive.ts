import type { InvokeRequest, InvokeResponse } from '../../../../shared/ipc/contract'
import type { OpDeriveService } from '../../opDerive/createOpDeriveService'

export function createCancelOpDerive(service: Pick<OpDeriveService, 'cancel'>): (request: InvokeRequest<'cancelOpDerive'>) => Promise<InvokeResponse<'cancelOpDerive'>> {
  return async ({ runId }) => service.cancel(runId)
}
