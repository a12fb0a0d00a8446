/**
 * Long synchronous decoding (a 100 MB channel of batches) would keep the event loop busy, so a SIGINT/SIGTERM
 * handler, a cancel button or a timer could not run until it ends. Loops call `maybeYield()` from a
 * `createYielder()`: after `everyMs` of work it waits one macrotask (a resolved promise is not enough: microtasks
 * run before signals and I/O are looked at).
 */
export function createYielder(everyMs = 50): () => Promise<void> {
  let last = Date.now()
  return async () => {
    if (Date.now() - last < everyMs) return
    await new Promise<void>((resolve) => setTimeout(resolve, 0))
    last = Date.now()
  }
}
