// The one shape of an option table, shared by every tool: a row per option
// (spellings, key, kind, --help text), built with the constructors below so the
// key stays a string literal. A tool's key type is derived from its table
// (OptionKey), and the parser and the accessors in args.ts take only those keys,
// so a misspelt or undeclared key fails `npm run typecheck`.

export type OptionKind = 'flag' | 'value' | 'property' | 'help' | 'version' | 'completion';

export interface OptionSpec<K extends string = string> {
  /** Every exact spelling, e.g. ['-h', '--host']. */
  readonly names: readonly string[];
  /** Key under which ParsedArgs stores it. */
  readonly key: K;
  readonly kind: OptionKind;
  /** Noun for "Error: -p argument given but no <what> specified." (mosquitto's word, the first name's). */
  readonly what?: string;
  /** The whole missing-value error where mosquitto words it otherwise (-M, -V). */
  readonly missing?: string;
  /** Values accumulate in ParsedArgs.lists instead of the last one winning. */
  readonly repeatable?: boolean;
  /** Mutually exclusive group (pub's message modes); a second member is `groupError`. */
  readonly group?: string;
  readonly groupError?: string;
  /** Selecting this option also selects MQTT v5 (mosquitto: -D; dev/2.1: -x). */
  readonly impliesV5?: boolean;
  /** Accepted by mosquitto but impossible in Node.js (why): read, left out of the synopsis, refused where the tool sets it up. */
  readonly unsupported?: string;
  /** --help: one short line (facts from the man page). */
  readonly describe?: string;
  /** --help: the heading this option is listed under. */
  readonly helpGroup?: string;
  /** --help: the value's name when `what` reads badly as one, e.g. 'file' for --cafile. */
  readonly placeholder?: string;
}

/** The keys a table declares: the only ones its ParsedArgs accepts. */
export type OptionKey<T extends readonly OptionSpec[]> = T[number]['key'];

type Extra = Omit<Partial<OptionSpec>, 'names' | 'key' | 'kind' | 'describe'>;

/** An option that takes the next argv element as its value. */
export function valueOption<K extends string>(
  names: readonly string[],
  key: K,
  what: string,
  describe: string,
  extra: Extra = {},
): OptionSpec<K> {
  return { names, key, kind: 'value', what, describe, ...extra };
}

/** An option that takes no value. */
export function flagOption<K extends string>(names: readonly string[], key: K, describe: string, extra: Extra = {}): OptionSpec<K> {
  return { names, key, kind: 'flag', describe, ...extra };
}

/** An option that prints something instead of running (--help, --version, --completion-script). */
export function requestOption<K extends string>(
  names: readonly string[],
  key: K,
  kind: 'help' | 'version' | 'completion',
  describe: string,
): OptionSpec<K> {
  return { names, key, kind, describe };
}

/** Gives each spec its --help heading (tables read top to bottom, a heading per block). */
export function underHeading<K extends string>(helpGroup: string, specs: readonly OptionSpec<K>[]): OptionSpec<K>[] {
  return specs.map((s) => ({ ...s, helpGroup }));
}

/** Builds the exact-spelling lookup once per table. */
export function optionIndex<K extends string>(specs: readonly OptionSpec<K>[]): Map<string, OptionSpec<K>> {
  const index = new Map<string, OptionSpec<K>>();
  for (const s of specs) for (const n of s.names) index.set(n, s);
  return index;
}

/** Every spelling in a table, for shell completion. */
export function optionNames(specs: readonly OptionSpec[]): string[] {
  return specs.flatMap((s) => s.names);
}
