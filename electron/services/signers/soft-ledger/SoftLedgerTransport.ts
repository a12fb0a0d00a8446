/**
 * A software Ledger running the Ethereum app, at the APDU level. It is a real `@ledgerhq/hw-transport` Transport, so
 * the unmodified hw-app-eth code runs on top of it exactly as it does over USB: same framing, same chunking, same
 * status words, same legacy `v` truncation. Used by tests of the Ledger signer and by drills.
 *
 * Commands implemented (app-ethereum doc/ethapp.adoc; framing as hw-app-eth speaks it, notes/tooling.md §2):
 *   0x06 GET APP CONFIGURATION, 0x02 GET ETH PUBLIC ADDRESS, 0x04 SIGN ETH TRANSACTION, 0x08 SIGN PERSONAL MESSAGE.
 * Fault switches (`setFaults`) reproduce what a real device does when it is locked, when the Ethereum app is not
 * open, when blind signing is off, when the user rejects, and when the cable is pulled mid-signature.
 *
 * Hand-written because no npm package emulates the Ethereum app (Speculos needs the app ELF and PyPI; tooling §3).
 */
import { HDKey } from '@scure/bip32'
import { mnemonicToSeedSync, validateMnemonic } from '@scure/bip39'
import { wordlist } from '@scure/bip39/wordlists/english.js'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { keccak_256 } from '@noble/hashes/sha3.js'
import { fromRlp, getAddress, hexToBigInt, keccak256, toHex, type Address, type Hex } from 'viem'
import { publicKeyToAddress } from 'viem/accounts'
import { formatDerivationPath, HARDENED_OFFSET, MAX_PATH_DEPTH } from '../../../../shared/signing/derivationPaths'
import { Transport, TransportError } from '../ledger/loadLedgerLibs'

/** Status words of the Ethereum app and the OS (app-ethereum src/apdu_constants.h, ledger-secure-sdk). */
export const SW = {
  OK: 0x9000,
  LOCKED: 0x5515,
  APP_NOT_OPEN_DASHBOARD: 0x6e00,
  INS_NOT_SUPPORTED: 0x6d00,
  APP_NOT_OPEN: 0x6511,
  WRONG_LENGTH: 0x6700,
  INVALID_DATA: 0x6a80,
  USER_REJECTED: 0x6985,
  INCORRECT_P1_P2: 0x6b00,
} as const

export type AppNotOpenStatus = typeof SW.APP_NOT_OPEN_DASHBOARD | typeof SW.INS_NOT_SUPPORTED | typeof SW.APP_NOT_OPEN

/** What the device shows and asks the user to confirm. */
export type SoftLedgerPrompt =
  | { kind: 'verify-address'; path: string; address: Address }
  | {
      kind: 'sign-transaction'
      path: string
      /** keccak256 of the unsigned payload: the "Transaction hash" the app shows when blind signing. */
      signingHash: Hex
      blind: boolean
      chainId: bigint
      to: Address | null
      value: bigint
    }
  | { kind: 'sign-message'; path: string; message: Uint8Array }

export type SoftLedgerDecision = 'approve' | 'reject'

export interface SoftLedgerFaults {
  /** The device is locked (PIN screen): every APDU answers 0x5515. */
  locked: boolean
  /** The Ethereum app is not open: every APDU answers this status (dashboard 0x6e00, another app 0x6d00/0x6511). */
  appNotOpen: AppNotOpenStatus | null
  /** The "Blind signing" setting of the Ethereum app. Off: a tx with calldata is refused with 0x6a80. */
  blindSigning: boolean
  /** How the user answers confirmations (address display, transaction, message). */
  confirm: SoftLedgerDecision | ((prompt: SoftLedgerPrompt) => Promise<SoftLedgerDecision>)
  /**
   * Pull the cable when this SIGN chunk (1-based) of the next transaction arrives: the exchange fails with a transport
   * error, nothing is signed, and the device stays disconnected until `reconnect()`.
   */
  disconnectAtSignChunk: number | null
  /** Ethereum app version reported by GET APP CONFIGURATION. */
  version: readonly [number, number, number]
}

export const DEFAULT_SOFT_LEDGER_FAULTS: Readonly<SoftLedgerFaults> = Object.freeze({
  locked: false,
  appNotOpen: null,
  blindSigning: true,
  confirm: 'approve',
  disconnectAtSignChunk: null,
  version: [1, 17, 0] as const,
})

/** The well-known test mnemonic (anvil/hardhat accounts). Drills and tests only. */
export const TEST_MNEMONIC = 'test test test test test test test test test test test junk'

export interface SoftLedgerOptions {
  mnemonic?: string
  faults?: Partial<SoftLedgerFaults>
}

/** Largest personal message we accept (the real app streams any length; bound memory for untrusted callers). */
const MAX_MESSAGE_BYTES = 1024 * 1024
/** Largest transaction payload (the app streams it; bound memory). */
const MAX_TX_BYTES = 256 * 1024

interface SignTxSession {
  path: number[]
  bytes: Uint8Array
  chunks: number
}

interface SignMessageSession {
  path: number[]
  length: number
  bytes: Uint8Array
}

/**
 * The device itself: keys, app state, settings, and whether its cable is plugged in. Several transports may be
 * opened to it over time (as USB re-opens a real device); they share this state.
 */
export class SoftLedgerDevice {
  private readonly root: HDKey
  private readonly keys = new Map<string, HDKey>()
  private faults: SoftLedgerFaults
  private txSession: SignTxSession | null = null
  private messageSession: SignMessageSession | null = null
  private unplugged = false
  private readonly listeners = new Set<(event: 'unplugged' | 'plugged') => void>()
  /** Every APDU received, hex, for tests that check framing. */
  readonly apduLog: string[] = []
  /** Every response sent (data || SW), hex, in order. */
  readonly responseLog: string[] = []
  /** Every prompt shown, in order. */
  readonly prompts: SoftLedgerPrompt[] = []

  constructor(options: SoftLedgerOptions = {}) {
    const mnemonic = options.mnemonic ?? TEST_MNEMONIC
    if (!validateMnemonic(mnemonic, wordlist)) throw new Error('SoftLedgerDevice: invalid BIP-39 mnemonic')
    this.root = HDKey.fromMasterSeed(mnemonicToSeedSync(mnemonic))
    this.faults = { ...DEFAULT_SOFT_LEDGER_FAULTS, ...options.faults }
  }

  setFaults(faults: Partial<SoftLedgerFaults>): void {
    this.faults = { ...this.faults, ...faults }
  }

  getFaults(): Readonly<SoftLedgerFaults> {
    return this.faults
  }

  /** Pull the cable: open transports die, the device is gone until `plugIn()`. */
  unplug(): void {
    if (this.unplugged) return
    this.unplugged = true
    this.txSession = null
    this.messageSession = null
    for (const l of this.listeners) l('unplugged')
  }

  plugIn(): void {
    if (!this.unplugged) return
    this.unplugged = false
    for (const l of this.listeners) l('plugged')
  }

  get isPluggedIn(): boolean {
    return !this.unplugged
  }

  /** Subscribe to cable events. Returns unsubscribe. */
  onCable(listener: (event: 'unplugged' | 'plugged') => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** The address the device derives for a path (for tests that compare). */
  addressAt(path: string): Address {
    return addressOfKey(this.keyAt(parsePathText(path)))
  }

  async exchange(apdu: Uint8Array): Promise<Buffer> {
    if (this.unplugged) throw disconnectedError('DisconnectedDevice', 'Ledger device disconnected')
    this.apduLog.push(Buffer.from(apdu).toString('hex'))
    let response: Buffer
    try {
      response = await this.handle(apdu)
    } catch (e) {
      if (!(e instanceof StatusWordError)) throw e
      response = statusOnly(e.sw)
    }
    this.responseLog.push(response.toString('hex'))
    return response
  }

  private async handle(apdu: Uint8Array): Promise<Buffer> {
    if (apdu.length < 5) throw new StatusWordError(SW.WRONG_LENGTH)
    const [cla, ins, p1, p2, lc] = apdu as unknown as [number, number, number, number, number]
    const data = apdu.subarray(5)
    if (data.length !== lc) throw new StatusWordError(SW.WRONG_LENGTH)
    if (this.faults.locked) throw new StatusWordError(SW.LOCKED)
    if (this.faults.appNotOpen !== null) throw new StatusWordError(this.faults.appNotOpen)
    if (cla !== 0xe0) throw new StatusWordError(SW.APP_NOT_OPEN_DASHBOARD)
    switch (ins) {
      case 0x06:
        return this.getAppConfiguration()
      case 0x02:
        return this.getAddress(p1, p2, data)
      case 0x04:
        return this.signTransactionChunk(p1, p2, data)
      case 0x08:
        return this.signPersonalMessageChunk(p1, p2, data)
      default:
        throw new StatusWordError(SW.INS_NOT_SUPPORTED)
    }
  }

  private getAppConfiguration(): Buffer {
    const [major, minor, patch] = this.faults.version
    return ok(Uint8Array.of(this.faults.blindSigning ? 0x01 : 0x00, major, minor, patch))
  }

  private async getAddress(p1: number, p2: number, data: Uint8Array): Promise<Buffer> {
    if (p1 > 1 || p2 > 1) throw new StatusWordError(SW.INCORRECT_P1_P2)
    const { path, rest } = readPath(data)
    // Optional 8-byte chain id (Stax shows the network); anything else is malformed.
    if (rest.length !== 0 && rest.length !== 8) throw new StatusWordError(SW.INVALID_DATA)
    const key = this.keyAt(path)
    const address = addressOfKey(key)
    if (p1 === 1) await this.confirmOrReject({ kind: 'verify-address', path: formatDerivationPath(path), address })
    const publicKey = secp256k1.getPublicKey(key.privateKey!, false)
    // The app answers the address as 40 ASCII chars, EIP-55 mixed case, without 0x.
    const addressAscii = new TextEncoder().encode(address.slice(2))
    const parts: Uint8Array[] = [Uint8Array.of(publicKey.length), publicKey, Uint8Array.of(addressAscii.length), addressAscii]
    if (p2 === 1) parts.push(key.chainCode!)
    return ok(concat(parts))
  }

  private async signTransactionChunk(p1: number, p2: number, data: Uint8Array): Promise<Buffer> {
    if (p2 !== 0) throw new StatusWordError(SW.INCORRECT_P1_P2)
    if (p1 === 0x00) {
      const { path, rest } = readPath(data)
      this.txSession = { path, bytes: rest, chunks: 1 }
    } else if (p1 === 0x80) {
      if (!this.txSession) throw new StatusWordError(SW.INVALID_DATA)
      this.txSession = { ...this.txSession, bytes: concat([this.txSession.bytes, data]), chunks: this.txSession.chunks + 1 }
    } else {
      throw new StatusWordError(SW.INCORRECT_P1_P2)
    }
    const session = this.txSession
    if (this.faults.disconnectAtSignChunk !== null && session.chunks >= this.faults.disconnectAtSignChunk) {
      this.faults = { ...this.faults, disconnectAtSignChunk: null }
      this.unplug()
      throw disconnectedError('DisconnectedDeviceDuringOperation', 'Ledger device disconnected during operation')
    }
    if (session.bytes.length > MAX_TX_BYTES) {
      this.txSession = null
      throw new StatusWordError(SW.INVALID_DATA)
    }
    const status = payloadStatus(session.bytes)
    if (status === 'incomplete') return ok(new Uint8Array(0))
    this.txSession = null
    if (status === 'malformed') throw new StatusWordError(SW.INVALID_DATA)
    const tx = decodeTxPayload(session.bytes)
    if (!tx) throw new StatusWordError(SW.INVALID_DATA)
    const blind = tx.data.length > 0
    if (blind && !this.faults.blindSigning) throw new StatusWordError(SW.INVALID_DATA)
    const signingHash = keccak256(session.bytes)
    await this.confirmOrReject({ kind: 'sign-transaction', path: formatDerivationPath(session.path), signingHash, blind, chainId: tx.chainId, to: tx.to, value: tx.value })
    const sig = secp256k1.sign(keccak_256(session.bytes), this.keyAt(session.path).privateKey!, { prehash: false, format: 'recovered' })
    const parity = sig[0]!
    let v: number
    if (tx.type !== 'legacy') v = parity
    else if (tx.chainId === 0n) v = 27 + parity
    // The app keeps v in one byte: it takes the first 4 bytes of the minimal big-endian chain id, applies EIP-155
    // and truncates (app-ethereum src_features/signTx; mirrored by hw-app-eth utils getV/getChainIdAsUint32).
    else v = (chainIdAsUint32(tx.chainId) * 2 + 35 + parity) & 0xff
    return ok(concat([Uint8Array.of(v), sig.subarray(1, 33), sig.subarray(33, 65)]))
  }

  private async signPersonalMessageChunk(p1: number, p2: number, data: Uint8Array): Promise<Buffer> {
    if (p2 !== 0) throw new StatusWordError(SW.INCORRECT_P1_P2)
    if (p1 === 0x00) {
      const { path, rest } = readPath(data)
      if (rest.length < 4) throw new StatusWordError(SW.INVALID_DATA)
      const length = new DataView(rest.buffer, rest.byteOffset, 4).getUint32(0)
      if (length > MAX_MESSAGE_BYTES) throw new StatusWordError(SW.INVALID_DATA)
      this.messageSession = { path, length, bytes: rest.subarray(4) }
    } else if (p1 === 0x80) {
      if (!this.messageSession) throw new StatusWordError(SW.INVALID_DATA)
      this.messageSession = { ...this.messageSession, bytes: concat([this.messageSession.bytes, data]) }
    } else {
      throw new StatusWordError(SW.INCORRECT_P1_P2)
    }
    const session = this.messageSession
    if (session.bytes.length > session.length) {
      this.messageSession = null
      throw new StatusWordError(SW.INVALID_DATA)
    }
    if (session.bytes.length < session.length) return ok(new Uint8Array(0))
    this.messageSession = null
    await this.confirmOrReject({ kind: 'sign-message', path: formatDerivationPath(session.path), message: session.bytes })
    // EIP-191 version 0x45: "\x19Ethereum Signed Message:\n" + decimal length + message.
    const prefix = new TextEncoder().encode(`\x19Ethereum Signed Message:\n${session.length}`)
    const sig = secp256k1.sign(keccak_256(concat([prefix, session.bytes])), this.keyAt(session.path).privateKey!, { prehash: false, format: 'recovered' })
    return ok(concat([Uint8Array.of(27 + sig[0]!), sig.subarray(1, 33), sig.subarray(33, 65)]))
  }

  private async confirmOrReject(prompt: SoftLedgerPrompt): Promise<void> {
    this.prompts.push(prompt)
    const confirm = this.faults.confirm
    const decision = typeof confirm === 'function' ? await confirm(prompt) : confirm
    if (this.unplugged) throw disconnectedError('DisconnectedDeviceDuringOperation', 'Ledger device disconnected during operation')
    if (decision !== 'approve') throw new StatusWordError(SW.USER_REJECTED)
  }

  private keyAt(path: readonly number[]): HDKey {
    const text = `m/${formatDerivationPath(path)}`
    let key = this.keys.get(text)
    if (!key) {
      key = this.root.derive(text)
      this.keys.set(text, key)
    }
    return key
  }
}

class StatusWordError extends Error {
  constructor(readonly sw: number) {
    super(`status 0x${sw.toString(16)}`)
  }
}

/** hw-transport-node-hid reports a pulled cable with these error names (@ledgerhq/errors). */
function disconnectedError(name: 'DisconnectedDevice' | 'DisconnectedDeviceDuringOperation', message: string): Error {
  const e = new TransportError(message, name)
  e.name = name
  return e
}

function ok(data: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(data), Buffer.from([0x90, 0x00])])
}

function statusOnly(sw: number): Buffer {
  return Buffer.from([(sw >> 8) & 0xff, sw & 0xff])
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let offset = 0
  for (const p of parts) {
    out.set(p, offset)
    offset += p.length
  }
  return out
}

function readPath(data: Uint8Array): { path: number[]; rest: Uint8Array } {
  const n = data[0]
  if (n === undefined || n === 0 || n > MAX_PATH_DEPTH || data.length < 1 + 4 * n) throw new StatusWordError(SW.INVALID_DATA)
  const view = new DataView(data.buffer, data.byteOffset, data.length)
  const path = Array.from({ length: n }, (_, i) => view.getUint32(1 + 4 * i))
  return { path, rest: data.subarray(1 + 4 * n) }
}

function parsePathText(path: string): number[] {
  return path
    .replace(/^m\//, '')
    .split('/')
    .map((p) => (p.endsWith("'") ? Number(p.slice(0, -1)) + HARDENED_OFFSET : Number(p)))
}

function addressOfKey(key: HDKey): Address {
  return getAddress(publicKeyToAddress(toHex(secp256k1.getPublicKey(key.privateKey!, false))))
}

/**
 * The app decides by itself when the streamed payload is complete: it reads the RLP list header (after the type
 * byte of a typed tx) and waits until the whole list has arrived; extra bytes are an error.
 */
function payloadStatus(bytes: Uint8Array): 'incomplete' | 'complete' | 'malformed' {
  let offset = 0
  const first = bytes[0]
  if (first === undefined) return 'incomplete'
  if (first <= 0x7f) offset = 1 // EIP-2718 type byte
  const b = bytes[offset]
  if (b === undefined) return 'incomplete'
  if (b < 0xc0) return 'malformed'
  let header: number
  let length: number
  if (b <= 0xf7) {
    header = 1
    length = b - 0xc0
  } else {
    const lengthOfLength = b - 0xf7
    if (bytes.length < offset + 1 + lengthOfLength) return 'incomplete'
    length = 0
    for (let i = 0; i < lengthOfLength; i++) length = length * 256 + bytes[offset + 1 + i]!
    header = 1 + lengthOfLength
  }
  const total = offset + header + length
  if (bytes.length < total) return 'incomplete'
  return bytes.length === total ? 'complete' : 'malformed'
}

interface DecodedTx {
  type: 'legacy' | 'eip2930' | 'eip1559'
  chainId: bigint
  to: Address | null
  value: bigint
  data: Uint8Array
}

/** Decode the fields the app shows (legacy, EIP-2930, EIP-1559); null for anything it cannot parse. */
function decodeTxPayload(bytes: Uint8Array): DecodedTx | null {
  try {
    const first = bytes[0]!
    const typed = first <= 0x7f
    const fields = fromRlp(typed ? bytes.subarray(1) : bytes, 'bytes')
    if (!Array.isArray(fields)) return null
    const item = (i: number): Uint8Array => {
      const x = fields[i]
      if (!(x instanceof Uint8Array)) throw new Error('not a byte string')
      return x
    }
    const num = (i: number) => {
      const x = item(i)
      return x.length > 0 ? hexToBigInt(toHex(x)) : 0n
    }
    const addr = (i: number) => {
      const x = item(i)
      if (x.length === 0) return null
      if (x.length !== 20) throw new Error('bad address')
      return getAddress(toHex(x))
    }
    if (!typed) {
      // [nonce, gasPrice, gas, to, value, data] or EIP-155 [..., chainId, 0, 0]
      if (fields.length !== 6 && fields.length !== 9) return null
      return { type: 'legacy', chainId: fields.length === 9 ? num(6) : 0n, to: addr(3), value: num(4), data: item(5) }
    }
    if (first === 0x01 && fields.length === 8) return { type: 'eip2930', chainId: num(0), to: addr(4), value: num(5), data: item(6) }
    if (first === 0x02 && fields.length === 9) return { type: 'eip1559', chainId: num(0), to: addr(5), value: num(6), data: item(7) }
    return null
  } catch {
    return null
  }
}

function chainIdAsUint32(chainId: bigint): number {
  let hex = chainId.toString(16)
  if (hex.length % 2 === 1) hex = `0${hex}`
  return parseInt(hex.slice(0, 8), 16)
}

/**
 * A connection to a SoftLedgerDevice, as a real `@ledgerhq/hw-transport` Transport. `new SoftLedgerTransport()`
 * creates its own device; pass `{ device }` to open another connection to an existing one.
 */
export class SoftLedgerTransport extends Transport {
  readonly device: SoftLedgerDevice
  private closed = false
  private readonly stopListening: () => void

  constructor(options: SoftLedgerOptions & { device?: SoftLedgerDevice } = {}) {
    super()
    this.device = options.device ?? new SoftLedgerDevice(options)
    this.stopListening = this.device.onCable((event) => {
      if (event === 'unplugged' && !this.closed) {
        this.closed = true
        this.emit('disconnect')
      }
    })
  }

  get apduLog(): readonly string[] {
    return this.device.apduLog
  }

  get responseLog(): readonly string[] {
    return this.device.responseLog
  }

  get prompts(): readonly SoftLedgerPrompt[] {
    return this.device.prompts
  }

  setFaults(faults: Partial<SoftLedgerFaults>): void {
    this.device.setFaults(faults)
  }

  addressAt(path: string): Address {
    return this.device.addressAt(path)
  }

  /** Plug the cable back in and use this same connection again (single-transport tests). */
  reconnect(): void {
    this.device.plugIn()
    this.closed = false
  }

  override async close(): Promise<void> {
    this.closed = true
    this.stopListening()
  }

  override async exchange(apdu: Buffer): Promise<Buffer> {
    if (this.closed) throw disconnectedError('DisconnectedDevice', 'Ledger device disconnected')
    return this.device.exchange(new Uint8Array(apdu))
  }
}
