import type { InvokeRequest, InvokeResponse } from '../../../../shared/ipc/contract'
import type { DrillService } from '../../drill/createDrillService'

export function createStartDrill(drill: Pick<DrillService, 'start'>): (request: InvokeRequest<'startDrill'>) => Promise<InvokeResponse<'startDrill'>> {
  return async ({ stack, batchMode }) => drill.start({ stack, batchMode })
}
