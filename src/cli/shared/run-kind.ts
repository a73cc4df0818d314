// What kind of run this is, told to the launcher's code cache (src/launch/code-cache.ts):
// runs of one kind call the same functions, and a kind the cache has not seen adds
// its own once. Made of our own option names, never of what the user typed (a
// password must not reach a cache file), but for two values that choose other
// code and are checked to be short words: the QoS and the MQTT version.
import type { ParsedArgs } from './args.js';
import { RUN_KIND } from '../../launch/hooks.js';

export function reportRunKind(kind: string): void {
  (globalThis as Record<symbol, unknown>)[RUN_KIND] = kind;
}

const KIND_VALUES = ['qos', 'protocolVersion'];

/** The option keys given (and -D), sorted, with the values of KIND_VALUES: "message port qos=1 topic". */
export function argsKind(args: ParsedArgs): string {
  const keys = new Set([...Object.keys(args.values), ...Object.keys(args.lists)]);
  if (args.properties.length > 0) keys.add('property');
  const kind: string[] = [];
  for (const k of keys) {
    const v = args.values[k];
    kind.push(KIND_VALUES.includes(k) && typeof v === 'string' && isShortWord(v) ? `${k}=${v}` : k);
  }
  return kind.sort().join(' ');
}

function isShortWord(s: string): boolean {
  if (s.length === 0 || s.length > 8) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a))) return false;
  }
  return true;
}
