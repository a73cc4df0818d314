// --timeout: give up when nothing moves. "Moving" is any acknowledgement or a
// restored link; "waiting" is messages outstanding or the link being down. A
// counter compared on a coarse tick costs the -l hot loop nothing per message.

export interface WatchdogProbe {
  /** Grows whenever something was confirmed or the link came back. */
  progress(): number;
  /** True while messages wait for their acknowledgement or the link is down. */
  waiting(): boolean;
}

export interface WatchdogClock {
  now(): number;
  every(ms: number, tick: () => void): () => void;
}

const realClock: WatchdogClock = {
  now: () => Date.now(),
  every: (ms, tick) => {
    const t = setInterval(tick, ms);
    t.unref(); // never what keeps the process alive
    return () => clearInterval(t);
  },
};

/** Calls `expire` once, `timeoutMs` (plus at most one tick) after progress stopped while waiting. */
export function startWatchdog(timeoutMs: number, probe: WatchdogProbe, expire: () => void, clock: WatchdogClock = realClock): () => void {
  let seen = probe.progress();
  let since = clock.now();
  const stop = clock.every(Math.max(10, Math.min(250, Math.floor(timeoutMs / 4))), () => {
    const now = clock.now();
    const p = probe.progress();
    if (p !== seen || !probe.waiting()) {
      seen = p;
      since = now;
      return;
    }
    if (now - since >= timeoutMs) {
      stop();
      expire();
    }
  });
  return stop;
}
