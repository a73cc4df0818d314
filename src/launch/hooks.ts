// What the launcher (code-cache.ts, its own bundle) and a tool's bundle say to
// each other through globalThis: one module, imported by both builds, so each
// symbol's key is written once.

/** Where the tool finds the launcher's "save the cache now, if this run is to write one" (before it sets V8 flags). */
export const SAVE_BEFORE_FLAGS = Symbol.for('mqtt-cli.saveCodeCacheBeforeFlags');

/** Where the launcher finds the tool's kind of run (a string, cli/shared/run-kind.ts) when it saves the cache. */
export const RUN_KIND = Symbol.for('mqtt-cli.runKind');
