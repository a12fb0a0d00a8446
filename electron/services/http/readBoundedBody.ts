/**
 * Read an HTTP response body with a cap: refused by its content-length when declared, and while streaming otherwise,
 * so an untrusted endpoint cannot exhaust memory with one answer. `undefined` means "larger than max" (the body is
 * cancelled); the caller turns that into its own error.
 */
export async function readBoundedBody(res: Response, max: number): Promise<Uint8Array | undefined> {
  const declared = Number(res.headers.get('content-length') ?? Number.NaN)
  if (declared > max) {
    await res.body?.cancel()
    return undefined
  }
  if (!res.body) return new Uint8Array(0)
  const reader = res.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > max) {
      await reader.cancel()
      return undefined
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks)
}
