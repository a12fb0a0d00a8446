/**
 * Long synchronous decoding (a 100 MB channel of batches) would keep the event loop busy, so a SIGINT/SIGTERM
 * handler, a cancel button or a timer could not run until it ends. Loops call the function `createYielder` returns;
 * after `everyMs` of work it awaits the host's `yieldNow` (Node: setImmediate; shared/ has no timers of its own).
 * A resolved promise would not do: microtasks run before signals and I/O are looked at.
 */
export type YieldNow = () => Promise<void>

export function createYielder(yieldNow: YieldNow | undefined, everyMs = 50): () => Promise<void> {
  let last = Date.now()
  return async () => {
    if (!yieldNow || Date.now() - last < everyMs) return
    await yieldNow()
    last = Date.now()
  }
}
