// A bad command line. Exit status 1 (USAGE) like every other usage error, but the
// describer adds mosquitto's "Use '<tool> --help' to see usage." hint after it,
// and --quiet never hides it (mosquitto prints argument errors regardless).
import { MqttToolError } from '../../errors.js';

export class ArgvError extends MqttToolError {
  /** Print the "--help" hint after the message. */
  readonly usageHint: boolean;

  constructor(message: string, opts: { usageHint?: boolean } = {}) {
    super('USAGE', message);
    this.name = 'ArgvError';
    this.usageHint = opts.usageHint ?? true;
  }
}

export function isArgvError(e: unknown): e is ArgvError {
  return e instanceof ArgvError;
}
