// What yargs is good at, done from our option tables: the option list under
// each tool's --help header, and the shell completion script. yargs is loaded
// here only, by dynamic import, on these two paths: importing it costs more
// than a whole publish (see connection-options.ts for why it does not parse argv).
import type { Argv, Options } from 'yargs';
import type { OptionKind } from './option-table.js';
import { importExternal } from '../../import-external.js';

/** The part of an option table row that --help shows (OptionSpec fits it). */
export interface HelpOption {
  readonly names: readonly string[];
  readonly kind: OptionKind;
  readonly what?: string;
  readonly describe?: string;
  readonly helpGroup?: string;
  readonly placeholder?: string;
}

const PARSER = {
  'camel-case-expansion': false,
  'short-option-groups': false,
  'boolean-negation': false,
  'dot-notation': false,
  'parse-numbers': false,
} as const;

/** yargs 18 calls that @types/yargs (17) does not know. */
type Yargs18 = Argv & {
  usageConfiguration(config: { 'hide-types'?: boolean }): Yargs18;
  showCompletionScript($0?: string, cmd?: string): Yargs18;
};

/** A yargs instance that never prints, exits, translates, or claims -h / --help / --version. */
async function quietYargs(tool: string): Promise<Yargs18> {
  const { default: yargs } = await importExternal<typeof import('yargs')>('yargs');
  const y = yargs([]) as Yargs18;
  return y
    .scriptName(tool)
    .help(false)
    .version(false)
    .exitProcess(false)
    .detectLocale(false)
    .parserConfiguration(PARSER)
    .wrap(Math.min(100, process.stdout.columns || 80)) as Yargs18;
}

/** The value's name as --help shows it: "<file>", or the three -D words. */
export function placeholderOf(o: HelpOption): string {
  if (o.kind === 'property') return '<command> <identifier> <value>';
  if (o.kind !== 'value') return '';
  return `<${(o.placeholder ?? o.what ?? 'value').replace(/ /g, '-')}>`;
}

function yargsOption(o: HelpOption): Options {
  const aliases = o.names.slice(1).map((n) => n.replace(/^--?/, ''));
  const value = placeholderOf(o);
  return {
    alias: aliases,
    // yargs has no value placeholder column: the placeholder leads the description.
    describe: value ? `${value}  ${o.describe ?? ''}`.trimEnd() : (o.describe ?? ''),
    type: value ? 'string' : 'boolean',
    ...(o.helpGroup ? { group: o.helpGroup } : {}),
  };
}

/**
 * The option list for --help, grouped as the table says, in table order.
 * `-h` is whatever the table makes it (the host for pub/sub), never yargs' help.
 */
export async function renderOptionHelp(specs: readonly HelpOption[], tool: string): Promise<string> {
  const y = (await quietYargs(tool)).usageConfiguration({ 'hide-types': true });
  for (const o of specs) y.option((o.names[0] as string).replace(/^--?/, ''), yargsOption(o));
  const text = await y.getHelp();
  return `${text.replace(/\s+$/, '')}\n`;
}

/**
 * yargs' completion script for `tool` (bash; zsh or fish when $SHELL says so).
 * It runs `tool --get-yargs-completions <words>`, which each tool answers from
 * its table (completion.ts) without loading yargs.
 */
export async function completionScript(tool: string): Promise<string> {
  const y = await quietYargs(tool);
  // showCompletionScript logs; inside parse(..., callback) yargs hands the log to the callback instead.
  y.middleware(() => void y.showCompletionScript(tool, '--completion-script'));
  const output = await new Promise<string>((resolve, reject) => {
    void y.parse([], {}, (err: Error | undefined, _argv: unknown, out: string) => (err ? reject(err) : resolve(out)));
  });
  return output.endsWith('\n') ? output : `${output}\n`;
}
