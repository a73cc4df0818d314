// The answer to `<tool> --get-yargs-completions <words...>`, which the yargs
// completion script (--completion-script) runs on every <Tab>. Answered from
// the option table without loading yargs, so completion stays instant.

import { valueCompletions } from './completion-values.js';

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

/** Prints the completions (an option's values, else option names) one per line; status 0 even when there are none. */
export function printCompletions(names: Iterable<string>, words: readonly string[]): number {
  const all = new Set(names);
  const found = valueCompletions(all, words) ?? optionCompletions(all, words);
  if (found.length > 0) process.stdout.write(`${found.join('\n')}\n`);
  return 0;
}

/** --completion-script: yargs renders it (loaded only now); status 0. */
export async function printCompletionScript(tool: string): Promise<number> {
  const { completionScript } = await import('./yargs-help.js');
  process.stdout.write(forAnySpelling(await completionScript(tool), tool));
  return 0;
}

/**
 * yargs' bash script runs the installed name and registers only that; ours
 * runs the command as typed (so ./bin/mqtt-sub.js completes from a checkout)
 * and registers `mqtt-sub.js` too (bash tries a path's last part when the
 * full path has no completion).
 */
function forAnySpelling(script: string, tool: string): string {
  return script
    .replace(`< <(${tool} --get-yargs-completions`, '< <("${COMP_WORDS[0]}" --get-yargs-completions')
    .replace(new RegExp(`(complete -o bashdefault -o default -F \\S+ ${tool})$`, 'm'), `$1 ${tool}.js`);
}
