// mosquitto's argv grammar over the OptionSpec tables (option-table.ts): exact
// spellings, each value is the next argv element verbatim, later scalars win,
// repeatable options and -D accumulate; with `positionals`, mosquitto_passwd's
// variant. Pure; the options file (config-file.ts) feeds the same state one line
// at a time before argv, so file and command line mix exactly as in mosquitto.
// See connection-options.ts for why this is not yargs.
import { ArgvError, optionError } from './argv-error.js';
import { suggestionNote } from './suggest.js';
import type { OptionSpec } from './option-table.js';
import type { PropertyArg } from './properties-arg.js';

/** What argv (and the options file) said, under the keys of one tool's table (K). */
export interface ParsedArgs<K extends string = string> {
  /** Last value of each scalar option (true for flags). */
  values: Partial<Record<K, string | true>>;
  /** Every value of each repeatable option, in order. */
  lists: Partial<Record<K, string[]>>;
  /** Every -D, parsed and checked, in order. */
  properties: PropertyArg[];
  /** Which member (key) of each exclusive group was chosen (pub: message mode). */
  groups: Record<string, string>;
  /** Position of the last write to each key: later wins when two keys set one thing (-L vs -p). */
  seq: Partial<Record<K, number>>;
  /** Writes so far; `seq` counts from here, so positions belong to this parse alone. */
  clock: number;
  /** With ParseOptions.positionals: the arguments from the first non-option on. */
  positionals: string[];
  /** --help / --version / --completion-script seen (parsing stops there, as in mosquitto). */
  request?: 'help' | 'version' | 'completion';
  /** With ParseOptions.positionals: the unknown option that asked for the usage. */
  unknown?: string;
}

export function emptyArgs<K extends string = string>(): ParsedArgs<K> {
  return { values: {}, lists: {}, properties: [], groups: {}, seq: {}, clock: 0, positionals: [] };
}

export interface ParseOptions<K extends string = string> {
  /**
   * Checks an option's value where it appears, so its error comes in argv order, as
   * mosquitto checks while reading each option (-L, -p, -q, -C ...). `args` holds what came before.
   */
  validate?: Partial<Record<K, (value: string, args: ParsedArgs<K>) => void>>;
  /**
   * mosquitto_passwd's grammar: the first argument that is not an option starts
   * the positionals (so they may begin with '-'), and an unknown option asks for
   * the usage text instead of failing.
   */
  positionals?: boolean;
  /**
   * Reads a -D at `tokens[at]` (its values follow): the property and how many values
   * it took. Passed in by the client tools (tool-args.ts), so mqtt-passwd's bundle
   * carries no property table.
   */
  property?: (tokens: readonly string[], at: number) => { arg: PropertyArg; values: number };
  /** The error for an option given last without its value (default: mosquitto's clients'). */
  missingValue?: (opt: string, spec: OptionSpec<K>) => ArgvError;
}

// mosquitto names the option by one spelling whichever was typed (--host → -h).
const missingValue = (_opt: string, spec: OptionSpec): ArgvError =>
  optionError(spec.missing ?? `${spec.names[0]} argument given but no ${spec.what ?? 'value'} specified.`);

/**
 * Parses `tokens` into `args` (mutated and returned). Throws ArgvError with
 * mosquitto's wording. Stops at --help/--version.
 */
export function parseArgs<K extends string>(
  tokens: readonly string[],
  index: ReadonlyMap<string, OptionSpec<K>>,
  opts: ParseOptions<K> = {},
  args: ParsedArgs<K> = emptyArgs<K>(),
): ParsedArgs<K> {
  const set = (key: K, value: string | true): void => {
    args.values[key] = value;
    args.seq[key] = ++args.clock;
  };
  for (let i = 0; i < tokens.length && !args.request; i++) {
    const opt = tokens[i] as string;
    const spec = index.get(opt);
    if (!spec) {
      if (!opts.positionals) throw unknownOption(opt, index);
      if (opt.startsWith('-') && opt.length > 1) {
        args.request = 'help';
        args.unknown = opt;
      } else args.positionals = tokens.slice(i);
      break;
    }
    if (spec.group) {
      if (args.groups[spec.group]) throw optionError(spec.groupError ?? `Only one of the ${spec.group} options may be given.`);
      args.groups[spec.group] = spec.key;
    }
    // Tables with impliesV5 rows also declare -V (CONNECTION_OPTIONS), whose key this is.
    if (spec.impliesV5) set('protocolVersion' as K, '5');
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
        if (!opts.property) throw new Error(`${opt}: this parser reads no properties`);
        const { arg, values } = opts.property(tokens, i);
        args.properties.push(arg);
        i += values;
        break;
      }
      case 'value': {
        const value = tokens[i + 1];
        if (value === undefined) throw (opts.missingValue ?? missingValue)(opt, spec);
        i++;
        opts.validate?.[spec.key]?.(value, args);
        if (spec.repeatable) {
          (args.lists[spec.key] ??= []).push(value);
          args.seq[spec.key] = ++args.clock;
        } else set(spec.key, value);
        break;
      }
    }
  }
  return args;
}

/** mosquitto's line, then ours: the nearest known spelling when the unknown one looks like a typo. */
function unknownOption(opt: string, index: ReadonlyMap<string, OptionSpec>): ArgvError {
  const note = suggestionNote(opt, index.keys());
  return new ArgvError(`Unknown option '${opt}'.`, note === undefined ? {} : { note });
}

/** The string value of an option, or undefined. */
export function str<K extends string>(args: ParsedArgs<K>, key: NoInfer<K>): string | undefined {
  const v = args.values[key];
  return typeof v === 'string' ? v : undefined;
}

export function flag<K extends string>(args: ParsedArgs<K>, key: NoInfer<K>): boolean {
  return args.values[key] === true;
}

/** Every value of a repeatable option, in order. */
export function list<K extends string>(args: ParsedArgs<K>, key: NoInfer<K>): string[] {
  return args.lists[key] ?? [];
}

/** Of keys that set the same thing, the one given last (undefined if none was). */
export function latest<K extends string>(args: ParsedArgs<K>, ...keys: NoInfer<K>[]): K | undefined {
  let best: K | undefined;
  let at = 0;
  for (const k of keys) {
    const s = args.seq[k] ?? 0;
    if (s > at) [best, at] = [k, s];
  }
  return best;
}

/** An atoi option that must be at least `min` (else `error(n)`): its value, or `fallback` when not given. */
export function intAtLeast<K extends string, F>(
  args: ParsedArgs<K>,
  key: NoInfer<K>,
  o: { min: number; fallback: F; what: string; error: (n: number) => string },
): number | F {
  const text = str(args, key);
  if (text === undefined) return o.fallback;
  const n = atoiOr(text, o.what, (note) => optionError(o.error(0), { note }));
  if (n < o.min) throw optionError(o.error(n));
  return n;
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

/**
 * atoi for an option whose 0 is refused: no digits reads as mosquitto's 0 (its error
 * line, `-C x` → Invalid message count "0"), with ours after it.
 */
export function atoiOr(text: string, what: string, refuse: (note: string) => ArgvError): number {
  if (!/^[ \t\n\v\f\r]*[+-]?\d/.test(text)) throw refuse(`(${what} "${text}" is not a number.)`);
  return atoi(text, what);
}

/** C atof, same policy as atoi. */
export function atof(text: string, what: string): number {
  const m = /^[ \t\n\v\f\r]*([+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?)/.exec(text);
  if (!m) throw new ArgvError(`${what} "${text}" is not a number.`);
  return Number(m[1]);
}
