// The requests a tool answers instead of running: shell completion, the
// completion script, --help and --version. Shared by mqtt-pub, mqtt-sub and mqtt-rr.
import { COMPLETION_REQUEST, printCompletions, printCompletionScript } from './completion.js';
import { optionNames, type OptionSpec } from './option-table.js';
import type { ParsedArgs } from './args.js';
import { parseToolArgs, type ToolArgsOptions } from './tool-args.js';
import { argsKind, reportRunKind } from './run-kind.js';

export interface HelpTexts {
  usageText(): Promise<string>;
  versionText(): string;
}

/** The parsed arguments, or the exit status when argv was one of those requests. */
export async function parseOrAnswer<K extends string>(
  argv: string[],
  tool: string,
  specs: readonly OptionSpec<K>[],
  help: () => Promise<HelpTexts>,
  more: Pick<ToolArgsOptions<K>, 'configFallbacks' | 'checks'> = {},
): Promise<ParsedArgs<K> | number> {
  if (argv[0] === COMPLETION_REQUEST) {
    reportRunKind('completion');
    return printCompletions(optionNames(specs), argv.slice(1));
  }
  const args = parseToolArgs(argv, { tool, specs, ...more });
  reportRunKind(argsKind(args));
  if (args.request === 'completion') return printCompletionScript(tool);
  if (args.request) {
    const texts = await help();
    process.stdout.write(args.request === 'help' ? await texts.usageText() : texts.versionText());
    return 1; // as mosquitto's tools
  }
  return args;
}
