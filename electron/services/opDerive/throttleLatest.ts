/**
 * Passes on at most one value per interval, always the latest: the first at once, the ones in between dropped, and
 * the last one of a burst delivered when its interval ends (so a pause in progress never hides the newest state).
 * `flush` delivers a pending value now; `cancel` drops it.
 */
export interface ThrottleLatest<T> {
  push(value: T): void
  flush(): void
  cancel(): void
}

export function throttleLatest<T>(intervalMs: number, deliver: (value: T) => void, now: () => number = () => performance.now()): ThrottleLatest<T> {
  let last = -Infinity
  let pending: { value: T } | undefined
  let timer: ReturnType<typeof setTimeout> | undefined

  const fire = () => {
    if (timer) clearTimeout(timer)
    timer = undefined
    if (!pending) return
    const { value } = pending
    pending = undefined
    last = now()
    deliver(value)
  }

  return {
    push(value) {
      pending = { value }
      const wait = last + intervalMs - now()
      if (wait <= 0) fire()
      else timer ??= setTimeout(fire, wait)
    },
    flush: fire,
    cancel() {
      if (timer) clearTimeout(timer)
      timer = undefined
      pending = undefined
    },
  }
}
