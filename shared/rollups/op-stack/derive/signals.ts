/** Stage signals, as in op-node: io.EOF (nothing more at this L1 origin) and NotEnoughData (call again). */
export const EOF = Symbol('EOF')
export const NOT_ENOUGH_DATA = Symbol('NotEnoughData')
export type Signal = typeof EOF | typeof NOT_ENOUGH_DATA
