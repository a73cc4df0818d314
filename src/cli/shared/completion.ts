// The answer to `<tool> --get-yargs-completions <words...>`, which the yargs
// completion script (--completion-script) runs on every <Tab>. Answered from
// the option table without loading yargs, so completion stays instant.

/** What the script passes first; only as argv[0] does it mean this. */
export const COMPLETION_REQUEST = '--get-yargs-completions';

/**
 * `words` are the command line being completed, the word under the cursor
 * last (bash and zsh pass the tool name first, fish does not). An option being
 * typed completes to the option names it begins; anything else gets no answer,
 * so bash and zsh fall back to file names.
 */
export function optionCompletions(names: Iterable<string>, words: readonly string[]): string[] {
  const current = words[words.length - 1] ?? '';
  if (!current.startsWith('-')) return [];
  return [...new Set(names)].filter((n) => n.startsWith(current)).sort();
}

/** Prints the completions one per line; status 0 even when there are none. */
export function printCompletions(names: Iterable<string>, words: readonly string[]): number {
  const found = optionCompletions(names, words);
  if (found.length > 0) process.stdout.write(`${found.join('\n')}\n`);
  return 0;
}

/** --completion-script: yargs renders it (loaded only now); status 0. */
export async function printCompletionScript(tool: string): Promise<number> {
  const { completionScript } = await import('./yargs-help.js');
  process.stdout.write(await completionScript(tool));
  return 0;
}
