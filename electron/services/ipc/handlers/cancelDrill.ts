import type { InvokeRequest, InvokeResponse } from '../../../../shared/ipc/contract'
import type { DrillService } from '../../drill/createDrillService'

export function createCancelDrill(drill: Pick<DrillService, 'cancel'>): (request: InvokeRequest<'cancelDrill'>) => Promise<InvokeResponse<'cancelDrill'>> {
  return async ({ runId }) => drill.cancel(runId)
}
