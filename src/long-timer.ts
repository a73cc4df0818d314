// Timers for durations the user gives (-W, --repeat-delay, --timeout, ...).
// Node's setTimeout takes at most 2^31-1 ms: anything longer fires after 1 ms
// with a TimeoutOverflowWarning on stderr. Longer waits are chained here in
// steps Node accepts; an infinite one never fires.

/** The longest delay Node's setTimeout honours. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface LongTimer {
  clear(): void;
}

/** Calls `fn` once after `ms` (any length); `unref`: the wait alone does not keep the process alive. */
export function setLongTimeout(fn: () => void, ms: number, opts: { unref?: boolean } = {}): LongTimer {
  let handle: NodeJS.Timeout | undefined;
  let cleared = false;
  const due = Date.now() + ms;
  const arm = (left: number): void => {
    if (cleared || !(left < Infinity)) return; // Infinity (or NaN): a wait that never ends
    handle = setTimeout(
      () => {
        const rest = due - Date.now();
        if (rest > 0) arm(rest);
        else fn();
      },
      Math.min(Math.max(left, 0), MAX_TIMER_MS),
    );
    if (opts.unref) handle.unref();
  };
  // An infinite, referenced wait still has to hold the process open, as a real timer would.
  const keepAlive = !(ms < Infinity) && !opts.unref ? setInterval(() => {}, MAX_TIMER_MS) : undefined;
  arm(ms);
  return {
    clear: () => {
      cleared = true;
      clearTimeout(handle);
      clearInterval(keepAlive);
    },
  };
}

/** A promise that resolves after `ms` (any length). */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => void setLongTimeout(resolve, ms));
}
