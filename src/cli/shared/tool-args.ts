// The whole argv pipeline a tool runs first: its options file, then argv, into
// one ParsedArgs keyed by the tool's table. Throws ArgvError.
import { emptyArgs, parseArgs, type ParseOptions, type ParsedArgs } from './args.js';
import { loadConfigArgs } from './config-file.js';
import { optionIndex, type OptionSpec } from './option-table.js';
import { readPropertyArg } from './properties-arg.js';
import { URL_VALIDATION } from './url-arg.js';

export interface ToolArgsOptions<K extends string> {
  /** Name used for the options file and error hints, e.g. 'mqtt-pub'. */
  tool: string;
  specs: readonly OptionSpec<K>[];
  env?: NodeJS.ProcessEnv;
  /** Skip the options file (tests). */
  noConfigFile?: boolean;
}

export function parseToolArgs<K extends string>(argv: readonly string[], o: ToolArgsOptions<K>): ParsedArgs<K> {
  const index = optionIndex(o.specs);
  const opts = { validate: URL_VALIDATION, property: readPropertyArg } as ParseOptions<K>;
  const args = o.noConfigFile ? emptyArgs<K>() : loadConfigArgs(o.tool, o.env ?? process.env, index, opts);
  if (args.request) return args;
  return parseArgs(argv, index, opts, args);
}
