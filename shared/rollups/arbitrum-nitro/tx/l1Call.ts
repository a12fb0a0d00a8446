/** The L1 call every builder returns lives in shared/signing (both stacks build them); re-exported for the Arbitrum builders. */
export { toUnsignedL1Request, type L1Call, type L1FeeChoice } from '../../../signing/l1Call'
