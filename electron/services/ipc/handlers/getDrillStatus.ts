import type { InvokeResponse } from '../../../../shared/ipc/contract'
import type { DrillService } from '../../drill/createDrillService'

export function createGetDrillStatus(drill: Pick<DrillService, 'status'>): () => Promise<InvokeResponse<'getDrillStatus'>> {
  return async () => drill.status()
}
