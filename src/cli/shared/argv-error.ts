// A bad command line. Exit status 1 (USAGE) like every other usage error, but the
// describer adds mosquitto's "Use '<tool> --help' to see usage." hint after it,
// and --quiet never hides it (mosquitto prints argument errors regardless).
import { MqttToolError } from '../../errors.js';

export interface ArgvErrorOptions {
  /** Print the "--help" hint after the message. */
  usageHint?: boolean;
  /**
   * mosquitto ends this message with a blank line of its own ("...\n\n", as every
   * check made while reading an option does), so one more blank line comes before the hint.
   */
  blank?: boolean;
  /** Our own line(s) after mosquitto's first line, where we say more on purpose (a hint, a suggestion). */
  note?: string;
  /** The message is mosquitto's whole line, without the usual "Error: " ("Error in CONNECT properties: ..."). */
  bare?: boolean;
  /** mosquitto prints the message through err_printf: --quiet hides it (not the --help hint). */
  hiddenByQuiet?: boolean;
}

export class ArgvError extends MqttToolError {
  readonly usageHint: boolean;
  readonly blank: boolean;
  readonly note: string | undefined;
  readonly bare: boolean;
  readonly hiddenByQuiet: boolean;

  constructor(message: string, opts: ArgvErrorOptions = {}) {
    super('USAGE', message);
    this.name = 'ArgvError';
    this.usageHint = opts.usageHint ?? true;
    this.blank = opts.blank ?? false;
    this.note = opts.note;
    this.bare = opts.bare ?? false;
    this.hiddenByQuiet = opts.hiddenByQuiet ?? false;
  }
}

/** An error mosquitto reports while reading an option (client_config_line_proc): its text ends in a blank line. */
export function optionError(message: string, opts: Omit<ArgvErrorOptions, 'blank'> = {}): ArgvError {
  return new ArgvError(message, { ...opts, blank: true });
}

export function isArgvError(e: unknown): e is ArgvError {
  return e instanceof ArgvError;
}

/** The stderr text of an argument error, byte for byte as mosquitto's clients print it (`tool` as invoked). */
export function argvErrorText(e: ArgvError, tool: string, quiet = false): string {
  let text = e.bare ? `${e.message}\n` : `Error: ${e.message}\n`;
  if (quiet && e.hiddenByQuiet) text = '';
  if (e.note !== undefined) text += `${e.note}\n`;
  if (e.blank) text += '\n';
  return e.usageHint ? `${text}\nUse '${tool} --help' to see usage.` : text.replace(/\n$/, '');
}
