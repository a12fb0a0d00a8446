/**
 * Send the same raw transaction to every endpoint, in parallel. Each endpoint's answer is classified; an endpoint on
 * another chain is never sent to.
 */
import type { Hex } from 'viem'
import { classifySendError, errorText, type SendOutcome } from './classifySendError'
import type { EndpointClient } from '../l1/endpointClients'

export interface EndpointSendResult {
  endpoint: EndpointClient
  outcome: SendOutcome | 'wrong-chain'
  detail?: string
}

export async function broadcastRaw(raw: Hex, chainId: number, endpoints: readonly EndpointClient[]): Promise<EndpointSendResult[]> {
  return Promise.all(
    endpoints.map(async (endpoint): Promise<EndpointSendResult> => {
      try {
        const served = await endpoint.client.getChainId()
        if (served !== chainId) return { endpoint, outcome: 'wrong-chain', detail: `${endpoint.label} serves chain ${served}, the tx is for chain ${chainId}` }
      } catch (error) {
        return { endpoint, outcome: 'unavailable', detail: `${endpoint.label}: ${errorText(error)}` }
      }
      try {
        await endpoint.client.request({ method: 'eth_sendRawTransaction', params: [raw] })
        return { endpoint, outcome: 'accepted' }
      } catch (error) {
        return { endpoint, outcome: classifySendError(error), detail: `${endpoint.label}: ${errorText(error)}` }
      }
    }),
  )
}
