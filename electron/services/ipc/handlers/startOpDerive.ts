import type { InvokeRequest, InvokeResponse } from '../../../../shared/ipc/contract'
import type { OpDeriveService } from '../../opDerive/createOpDeriveService'

export function createStartOpDerive(service: Pick<OpDeriveService, 'start'>): (request: InvokeRequest<'startOpDerive'>) => Promise<InvokeResponse<'startOpDerive'>> {
  return async (request) => service.start(request)
}
