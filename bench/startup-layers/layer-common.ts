// What every start-up layer (bench/startup-layers/*.ts) shares.
import type { Socket } from 'node:net';
import { RUN_KIND } from '../../src/launch/hooks.js';

/** A layer names its kind of run, as the tools do, so that its code cache is written once (src/launch/code-cache.ts). */
export function reportKind(kind: string): void {
  (globalThis as Record<symbol, unknown>)[RUN_KIND] = kind;
}

export function failed(e: unknown): never {
  process.stderr.write(`layer: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
}

export function exitOnError(s: Socket): void {
  s.on('error', failed);
}
