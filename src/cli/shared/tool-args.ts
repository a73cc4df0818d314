// The whole argv pipeline a tool runs first: its options file, then argv, into
// one ParsedArgs keyed by the tool's table. Throws ArgvError.
import { optionError } from './argv-error.js';
import { emptyArgs, parseArgs, type ParseOptions, type ParsedArgs } from './args.js';
import { loadConfigArgs } from './config-file.js';
import { optionIndex, type OptionSpec } from './option-table.js';
import { readPropertyArg } from './properties-arg.js';
import { CONNECTION_CHECKS, type ValueCheck } from './parse-checks.js';

export interface ToolArgsOptions<K extends string> {
  /** Name used for the options file and error hints, e.g. 'mqtt-pub'. */
  tool: string;
  specs: readonly OptionSpec<K>[];
  /** Options files read when the tool's own is missing (mosquitto_pub's for mqtt-pub). */
  configFallbacks?: readonly string[];
  /** The tool's own checks made while reading an option (beside CONNECTION_CHECKS), by key. */
  checks?: Readonly<Record<string, ValueCheck>>;
  env?: NodeJS.ProcessEnv;
  /** Skip the options file (tests). */
  noConfigFile?: boolean;
}

export function parseToolArgs<K extends string>(argv: readonly string[], o: ToolArgsOptions<K>): ParsedArgs<K> {
  const index = optionIndex(o.specs);
  const opts = { validate: { ...CONNECTION_CHECKS, ...o.checks }, property: readPropertyArg } as ParseOptions<K>;
  if (o.noConfigFile) return parseArgs(argv, index, opts, emptyArgs<K>());
  const explicit = optionsFileArg(argv, index, opts);
  const names = [o.tool, ...(o.configFallbacks ?? [])];
  const args = loadConfigArgs(explicit === undefined ? { names } : { names, explicit }, o.env ?? process.env, index, opts);
  if (args.request) return args;
  return parseArgs(argv, index, opts, args);
}

/** The key of -o, in the tables of the tools that accept it (repeatable, so a second one is seen). */
export const OPTIONS_FILE_KEY = 'optionsFile';

/**
 * -o FILE, found before anything else is read (the file comes first and argv
 * overrides it, as in mosquitto). Parsing argv once to find it means a "-o"
 * that is another option's value (`-m -o`) is not taken for it.
 */
function optionsFileArg<K extends string>(
  argv: readonly string[],
  index: ReadonlyMap<string, OptionSpec<K>>,
  opts: ParseOptions<K>,
): string | undefined {
  if (index.get('-o')?.key !== OPTIONS_FILE_KEY) return undefined;
  const files = parseArgs(argv, index, opts).lists[OPTIONS_FILE_KEY as K] ?? [];
  if (files.length > 1) throw optionError('Duplicate -o argument given.');
  return files[0];
}
