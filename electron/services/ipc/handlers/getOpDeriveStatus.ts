import type { InvokeResponse } from '../../../../shared/ipc/contract'
import type { OpDeriveService } from '../../opDerive/createOpDeriveService'

export function createGetOpDeriveStatus(service: Pick<OpDeriveService, 'status'>): () => Promise<InvokeResponse<'getOpDeriveStatus'>> {
  return async () => service.status()
}
