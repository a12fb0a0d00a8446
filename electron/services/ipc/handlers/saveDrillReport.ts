import type { InvokeRequest, InvokeResponse } from '../../../../shared/ipc/contract'
import type { DrillService } from '../../drill/createDrillService'

export function createSaveDrillReport(drill: Pick<DrillService, 'saveReport'>): (request: InvokeRequest<'saveDrillReport'>) => Promise<InvokeResponse<'saveDrillReport'>> {
  return ({ drillId, to }) => drill.saveReport(drillId, to)
}
