// V8 tiering settings for the long runs (pub -l, mqtt-sub), made once the run
// is known to be long: each flag is read when V8 next decides to compile, so
// setting it at run time takes effect. Only on the V8 majors the flags are known
// in (an unknown flag is an error line on stderr); Node 20 (V8 11) needs neither.
import { SAVE_BEFORE_FLAGS } from '../../launch/hooks.js';

/** V8's major version: flags exist only in some (Node 20: 11, 22: 12, 24: 13). */
export const V8_MAJOR = Number.parseInt(process.versions.v8, 10);

/**
 * Node 22/24 can hang for ever in process.exit: a concurrent Sparkplug compile
 * job waits for a main-thread GC while the exiting main thread waits to join it
 * (nodejs/node#54918, #64274; seen here in 1 of 4 to 1 of 15 runs of pub -l at
 * QoS 1 on Node 24.22, stack: ConcurrentBaselineCompiler -> CollectionBarrier::
 * AwaitCollectionBackground, main thread in NodePlatform::Shutdown). Sparkplug
 * compiles small, fast, on the main thread just as well: 0 hangs in 20 runs.
 *
 * Maglev (the mid tier) buys the one hot loop of a long run no measurable speed,
 * but its code and compile zones cost ~4.5 MB of peak RSS (pub -l 200k lines,
 * Node 24: QoS 0 76 -> 71.5 MB, QoS 1 80.5 -> 76 MB, same time).
 */
export function tierForLongRun(): void {
  if (V8_MAJOR < 12 || V8_MAJOR > 14) return;
  setV8Flags('--no-concurrent-sparkplug', '--no-maglev');
}

/**
 * Sets V8 flags for the rest of the run. The launcher's code cache is written
 * first when this run is to write one: V8 refuses a cache made under other
 * flags than the next run starts with, so one written at exit would be refused
 * and rewritten by every run (src/launch/code-cache.ts).
 */
export function setV8Flags(...flags: string[]): void {
  const saveCache = (globalThis as Record<symbol, unknown>)[SAVE_BEFORE_FLAGS];
  if (typeof saveCache === 'function') (saveCache as () => void)();
  // Fetched here, not imported: node:v8 costs a one-message publish ~0.3 ms to load.
  const v8 = process.getBuiltinModule('node:v8');
  for (const flag of flags) v8.setFlagsFromString(flag);
}
