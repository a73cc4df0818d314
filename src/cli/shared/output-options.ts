// How mqtt-sub prints a message and mqtt-rr a response: the options (mosquitto's
// -v -N -F --pretty and our --json --output --raw) and parsed argv → OutputPlan.
// Pure; the printer itself is mqtt-sub's (sub/printer.ts), which both use.
import { ArgvError } from './argv-error.js';
import { flag, str, type ParsedArgs } from './args.js';
import { flagOption as f, underHeading, valueOption as v, type OptionKey, type OptionSpec } from './option-table.js';
import { parseFormat, type FormatToken } from '../sub/format-parse.js';
import type { OutputEncoding } from '../sub/printer.js';
import type { ValueCheck } from './parse-checks.js';

export const OUTPUT_OPTIONS = underHeading('Output:', [
  f(['-v', '--verbose'], 'verbose', 'print the topic before each payload.'),
  f(['-N'], 'noEol', 'do not add an end of line character after each payload.'),
  v(['-F'], 'format', 'format', 'output format (see the man page: %t %p %x %j %J %I %U @N and more).'),
  f(['--pretty'], 'pretty', 'pretty-print JSON output (-F %j, %J, --json).'),
  // Ours: binary-safe output.
  f(['--json'], 'json', 'print one JSON object per line: binary-safe, every MQTT 5 property.'),
  v(['--output'], 'output', 'output encoding', 'how the default and -v forms print payloads: raw (default), hex or base64.', {
    placeholder: 'encoding',
  }),
  f(['--raw'], 'raw', 'never escape control characters (they are escaped when stdout is a terminal).'),
] as const satisfies readonly OptionSpec[]);

export type OutputKey = OptionKey<typeof OUTPUT_OPTIONS>;

/** Checked while reading the option, as mosquitto_sub and mosquitto_rr check -F (see shared/parse-checks.ts). */
export const OUTPUT_CHECKS: Record<string, ValueCheck> = {
  format: (value) => void parseFormat(value),
};

export interface OutputPlan {
  mode: 'default' | 'verbose' | 'format' | 'json';
  format?: FormatToken[];
  /** false with -N */
  eol: boolean;
  pretty: boolean;
  encoding: OutputEncoding;
  /** --raw: never escape control characters, even on a terminal. */
  raw: boolean;
}

export function outputFrom(args: ParsedArgs<OutputKey>): OutputPlan {
  const formatText = str(args, 'format');
  const json = flag(args, 'json');
  if (json && formatText !== undefined) throw new ArgvError('Only one of -F and --json may be given.');
  const encodingText = str(args, 'output') ?? 'raw';
  if (encodingText !== 'raw' && encodingText !== 'hex' && encodingText !== 'base64') {
    throw new ArgvError(`Invalid output encoding '${encodingText}', it must be hex, base64 or raw.`);
  }
  const out: OutputPlan = {
    mode: json ? 'json' : formatText !== undefined ? 'format' : flag(args, 'verbose') ? 'verbose' : 'default',
    eol: !flag(args, 'noEol'),
    pretty: flag(args, 'pretty'),
    encoding: encodingText,
    raw: flag(args, 'raw'),
  };
  if (formatText !== undefined) out.format = parseFormat(formatText);
  return out;
}
