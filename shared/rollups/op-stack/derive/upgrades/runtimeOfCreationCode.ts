/**
 * The runtime code inside a contract's creation code, when the creation code is exactly solc's constructor preamble for
 * a contract without constructor logic, arguments or immutables, followed by the runtime code:
 * `PUSH1 80 PUSH1 40 MSTORE CALLVALUE DUP1 ISZERO PUSH2 0010 JUMPI PUSH1 0 DUP1 REVERT JUMPDEST POP
 *  PUSH2 <len> DUP1 PUSH2 0020 PUSH1 0 CODECOPY PUSH1 0 RETURN INVALID` (32 bytes), then `<len>` bytes of runtime.
 * Such init code can only deploy those runtime bytes and write no storage, so a published runtime code hash fixes it.
 * Anything else (constructor logic, a different length, trailing bytes) gives undefined.
 */
const PREAMBLE_HEAD = [0x60, 0x80, 0x60, 0x40, 0x52, 0x34, 0x80, 0x15, 0x61, 0x00, 0x10, 0x57, 0x60, 0x00, 0x80, 0xfd, 0x5b, 0x50, 0x61]
const PREAMBLE_TAIL = [0x80, 0x61, 0x00, 0x20, 0x60, 0x00, 0x39, 0x60, 0x00, 0xf3, 0xfe]
export const SOLC_PREAMBLE_LENGTH = PREAMBLE_HEAD.length + 2 + PREAMBLE_TAIL.length

export function runtimeOfCreationCode(creation: Uint8Array): Uint8Array | undefined {
  if (creation.length <= SOLC_PREAMBLE_LENGTH) return undefined
  for (let i = 0; i < PREAMBLE_HEAD.length; i++) if (creation[i] !== PREAMBLE_HEAD[i]) return undefined
  const len = ((creation[PREAMBLE_HEAD.length] as number) << 8) | (creation[PREAMBLE_HEAD.length + 1] as number)
  for (let i = 0; i < PREAMBLE_TAIL.length; i++) if (creation[PREAMBLE_HEAD.length + 2 + i] !== PREAMBLE_TAIL[i]) return undefined
  if (creation.length !== SOLC_PREAMBLE_LENGTH + len) return undefined
  return creation.subarray(SOLC_PREAMBLE_LENGTH)
}
