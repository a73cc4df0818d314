// For the lazy-loading tests: what an esbuild bundle reaches from an entry
// through static imports only (dynamic import() edges are on-demand chunks).
import type { Metafile } from 'esbuild';

/** Outputs reachable from `entry` through static imports only. */
export function staticClosure(meta: Metafile, entry: string): Set<string> {
  const seen = new Set<string>();
  const walk = (out: string): void => {
    if (seen.has(out)) return;
    seen.add(out);
    for (const imp of meta.outputs[out]?.imports ?? []) {
      if (imp.kind === 'import-statement' && !imp.external) walk(imp.path);
    }
  };
  walk(entry);
  return seen;
}
