// mosquitto's argv grammar over the OptionSpec tables: exact spellings, each value
// is the next argv element verbatim, later scalars win, repeatable options and
// -D accumulate. Pure; the options file (config-file.ts) feeds the same state
// one line at a time before argv, so file and command line mix exactly as in
// mosquitto. See connection-options.ts for why this is not yargs.
import { ArgvError } from './argv-error.js';
import type { OptionSpec } from './connection-options.js';
import { parsePropertyArg, propertyArity, type PropertyArg } from './properties-arg.js';

export interface ParsedArgs {
  /** Last value of each scalar option (true for flags). */
  values: Record<string, string | true>;
  /** Every value of each repeatable option, in order. */
  lists: Record<string, string[]>;
  /** Every -D, parsed and checked, in order. */
  properties: PropertyArg[];
  /** Which member of each exclusive group was chosen (pub: message mode). */
  groups: Record<string, string>;
  /** Position of the last write to each key: later wins when two keys set one thing (-L vs -p). */
  seq: Record<string, number>;
  /** --help / --version / --completion-script seen (parsing stops there, as in mosquitto). */
  request?: 'help' | 'version' | 'completion';
}

export function emptyArgs(): ParsedArgs {
  return { values: {}, lists: {}, properties: [], groups: {}, seq: {} };
}

export interface ParseOptions {
  /** For "Error: Unknown option". */
  tool: string;
  /** Called for an option's value at parse time (e.g. -L expands into host, port, ...). */
  expand?: Record<string, (value: string, set: (key: string, value: string | true) => void) => void>;
}

let counter = 0;

/** Builds the exact-spelling lookup once per table. */
export function optionIndex(specs: readonly OptionSpec[]): Map<string, OptionSpec> {
  const index = new Map<string, OptionSpec>();
  for (const s of specs) for (const n of s.names) index.set(n, s);
  return index;
}

/**
 * Parses `tokens` into `args` (mutated and returned). Throws ArgvError with
 * mosquitto's wording. Stops at --help/--version.
 */
export function parseArgs(
  tokens: readonly string[],
  index: Map<string, OptionSpec>,
  opts: ParseOptions,
  args: ParsedArgs = emptyArgs(),
): ParsedArgs {
  const set = (key: string, value: string | true): void => {
    args.values[key] = value;
    args.seq[key] = ++counter;
  };
  for (let i = 0; i < tokens.length && !args.request; i++) {
    const opt = tokens[i] as string;
    const spec = index.get(opt);
    if (!spec) throw new ArgvError(`Unknown option '${opt}'.`);
    if (spec.unsupported) throw new ArgvError(spec.unsupported);
    if (spec.group) {
      if (args.groups[spec.group]) throw new ArgvError(spec.groupError ?? `Only one of the ${spec.group} options may be given.`);
      args.groups[spec.group] = spec.key;
    }
    if (spec.impliesV5) set('protocolVersion', '5');
    switch (spec.kind) {
      case 'help':
      case 'version':
      case 'completion':
        args.request = spec.kind;
        break;
      case 'flag':
        set(spec.key, true);
        break;
      case 'property': {
        const n = propertyArity(tokens[i + 2]);
        if (i + n >= tokens.length) {
          throw new ArgvError('--property argument given but not enough arguments specified.');
        }
        args.properties.push(parsePropertyArg(tokens.slice(i + 1, i + 1 + n)));
        i += n;
        break;
      }
      case 'value': {
        const value = tokens[i + 1];
        if (value === undefined) throw new ArgvError(`${opt} argument given but no ${spec.what ?? 'value'} specified.`);
        i++;
        const expand = opts.expand?.[spec.key];
        if (expand) expand(value, set);
        else if (spec.repeatable) {
          (args.lists[spec.key] ??= []).push(value);
          args.seq[spec.key] = ++counter;
        } else set(spec.key, value);
        break;
      }
    }
  }
  return args;
}

/** The string value of an option, or undefined. */
export function str(args: ParsedArgs, key: string): string | undefined {
  const v = args.values[key];
  return typeof v === 'string' ? v : undefined;
}

export function flag(args: ParsedArgs, key: string): boolean {
  return args.values[key] === true;
}

/** The later-given of two keys that set the same thing (undefined if neither). */
export function later(args: ParsedArgs, a: string, b: string): string | undefined {
  const sa = args.seq[a] ?? -1;
  const sb = args.seq[b] ?? -1;
  if (sa < 0 && sb < 0) return undefined;
  return sa >= sb ? a : b;
}

/**
 * C atoi as mosquitto uses it: leading blanks, optional sign, digits; junk after
 * the digits is ignored (`-p 1883abc` is 1883). Unlike atoi, no digits at all is
 * an error rather than a silent 0 (`-q x` would otherwise mean QoS 0).
 */
export function atoi(text: string, what: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?\d+)/.exec(text);
  if (!m) throw new ArgvError(`${what} "${text}" is not a number.`);
  return Number(m[1]);
}

/** C atof, same policy as atoi. */
export function atof(text: string, what: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)/.exec(text);
  if (!m) throw new ArgvError(`${what} "${text}" is not a number.`);
  return Number(m[1]);
}
