import type { InvokeResponse } from '../../../../shared/ipc/contract'
import type { DrillService } from '../../drill/createDrillService'

export function createListDrills(drill: Pick<DrillService, 'list'>): () => Promise<InvokeResponse<'listDrills'>> {
  return () => drill.list()
}
