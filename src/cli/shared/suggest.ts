// "Did you mean ...?" for an unknown option: the nearest spelling in the tool's
// table by edit distance, when it is close enough to be a typo (never a guess
// at a different option: at most 2 edits, and fewer than a third of the word).

/** Levenshtein distance, with a cut-off: stops counting past `max`. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min((prev[j] as number) + 1, (row[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
    }
    prev = row;
  }
  return prev[b.length] as number;
}

/** The known spelling nearest to `unknown`, or undefined when none is a likely typo of it. */
export function nearestOption(unknown: string, known: Iterable<string>): string | undefined {
  if (!unknown.startsWith('--') || unknown.length < 4) return undefined;
  const max = Math.min(2, Math.floor((unknown.length - 2) / 3));
  let best: string | undefined;
  let bestDistance = max + 1;
  for (const name of known) {
    if (!name.startsWith('--')) continue;
    const d = distance(unknown, name, max);
    if (d < bestDistance) [best, bestDistance] = [name, d];
  }
  return best;
}

/** Our line after mosquitto's "Unknown option" line, or undefined. */
export function suggestionNote(unknown: string, known: Iterable<string>): string | undefined {
  const near = nearestOption(unknown, known);
  return near === undefined ? undefined : `Did you mean '${near}'?`;
}
