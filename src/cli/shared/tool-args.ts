// The whole argv pipeline a tool runs first: its options file, then argv, into
// one ParsedArgs (with -L expanded where it appears). Throws ArgvError.
import { emptyArgs, optionIndex, parseArgs, type ParseOptions, type ParsedArgs } from './args.js';
import { loadConfigArgs } from './config-file.js';
import type { OptionSpec } from './connection-options.js';
import { expandUrlOption } from './url-arg.js';

export interface ToolArgsOptions {
  /** Name used for the options file and error hints, e.g. 'mqtt-pub'. */
  tool: string;
  specs: readonly OptionSpec[];
  env?: NodeJS.ProcessEnv;
  /** Skip the options file (tests). */
  noConfigFile?: boolean;
}

export function parseToolArgs(argv: readonly string[], o: ToolArgsOptions): ParsedArgs {
  const index = optionIndex(o.specs);
  const opts: ParseOptions = { tool: o.tool, expand: { url: expandUrlOption } };
  const args = o.noConfigFile ? emptyArgs() : loadConfigArgs(o.tool, o.env ?? process.env, index, opts);
  if (args.request) return args;
  return parseArgs(argv, index, opts, args);
}
